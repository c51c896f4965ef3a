import type { RequestContext } from '@edugraph/kit';
import { accessInRequest } from '../../common/request-access.js';
import type { CommunityServices } from '../../community-services.js';
import type { CommunityAccessContext } from '../access/community-access.service.js';
import { canSeeComment, canSeePost, isLocked, needsTierLookup } from './feed-access.js';
import type { CommentEntity, PostEntity } from './feed.entity.js';

/**
 * Request-scoped reads of the feed module: everything goes through the request's DataLoaders, so a page
 * of posts or comments costs the same number of statements whatever its size.
 */

export async function tiersOf(
  services: CommunityServices,
  ctx: RequestContext,
  context: CommunityAccessContext,
): Promise<ReadonlySet<string>> {
  if (!context.viewer || !needsTierLookup(context)) return new Set();
  return ctx.loaders
    .get(services.loaders.feed.grantedTiers)
    .load(`${context.community.id}|${context.viewer.userId}`);
}

/** Whether the viewer gets only a locked preview of gated content. */
export async function lockedFor(
  services: CommunityServices,
  ctx: RequestContext,
  context: CommunityAccessContext,
  item: { requiredTierId: string | null; authorId?: string },
): Promise<boolean> {
  if (item.requiredTierId === null) return false;
  return isLocked(context, item, await tiersOf(services, ctx, context));
}

/** The post when the viewer may see it by id (moderators: every state; authors: their scheduled posts). */
export async function visiblePost(
  services: CommunityServices,
  ctx: RequestContext,
  postId: string,
): Promise<{ post: PostEntity; context: CommunityAccessContext } | null> {
  const post = await ctx.loaders.get(services.loaders.feed.post).load(postId);
  if (!post) return null;
  const context = await accessInRequest(services, ctx, post.communityId);
  if (!context || !canSeePost(context, post, services.clock.now(), { byId: true })) return null;
  return { post, context };
}

export async function visibleComment(
  services: CommunityServices,
  ctx: RequestContext,
  comment: CommentEntity,
): Promise<CommunityAccessContext | null> {
  const context = await accessInRequest(services, ctx, comment.communityId);
  return context && canSeeComment(context, comment, { byId: true }) ? context : null;
}

/** The viewer's access context in the post's community (loaders; null when the community is gone). */
export function postContext(
  services: CommunityServices,
  ctx: RequestContext,
  post: { communityId: string },
): Promise<CommunityAccessContext | null> {
  return accessInRequest(services, ctx, post.communityId);
}
