import type { CommunityAccessContext } from '../access/community-access.service.js';
import { isMuted } from '../access/permissions.js';
import { CommunityArchivedError, CommunityForbiddenError } from '../../common/community.errors.js';
import type { CommentEntity, ModerationState, PostEntity } from './feed.entity.js';

/**
 * Who sees what in a feed (pure; the SQL of `FeedQueries` applies the same rules to pages):
 *
 * - nothing without CONTENT_READ (private communities: active members; banned users: nothing);
 * - deleted posts and comments: nobody;
 * - a scheduled post (`publishAt` in the future): its author and POST_MODERATE holders only, until then;
 * - moderation state: VISIBLE for every reader; PENDING_REVIEW and SUPPRESSED for POST_MODERATE holders and
 *   the author (marked by `moderationState`); REMOVED for POST_MODERATE holders only, and only by id
 *   (never in feeds or comment lists).
 */
export function isModerator(context: CommunityAccessContext): boolean {
  return context.has('POST_MODERATE');
}

function isAuthor(context: CommunityAccessContext, authorId: string): boolean {
  return context.viewer?.userId === authorId;
}

function stateVisible(
  context: CommunityAccessContext,
  authorId: string,
  state: ModerationState,
  byId: boolean,
): boolean {
  if (state === 'VISIBLE') return true;
  if (state === 'REMOVED') return byId && isModerator(context);
  return isModerator(context) || isAuthor(context, authorId);
}

export function canSeePost(
  context: CommunityAccessContext,
  post: Pick<PostEntity, 'authorId' | 'moderationState' | 'publishAt' | 'deletedAt'>,
  now: Date,
  options: { byId?: boolean } = {},
): boolean {
  if (!context.canRead || post.deletedAt !== null) return false;
  if (post.publishAt > now && !isModerator(context) && !isAuthor(context, post.authorId)) return false;
  return stateVisible(context, post.authorId, post.moderationState, options.byId ?? false);
}

export function canSeeComment(
  context: CommunityAccessContext,
  comment: Pick<CommentEntity, 'authorId' | 'moderationState' | 'deletedAt'>,
  options: { byId?: boolean } = {},
): boolean {
  if (!context.canRead || comment.deletedAt !== null) return false;
  return stateVisible(context, comment.authorId, comment.moderationState, options.byId ?? false);
}

/**
 * Gated content (`requiredTierId`): open to its author, to moderators, admins and the owner (rank ≥ 2),
 * to platform admins, and to members whose granted tiers (paywall's `TierAccessService`, which counts a
 * higher-ranked tier as granting the lower ones) include it. Everyone else gets a locked preview.
 */
export function isLocked(
  context: CommunityAccessContext,
  item: { requiredTierId: string | null; authorId?: string },
  grantedTierIds: ReadonlySet<string>,
): boolean {
  if (item.requiredTierId === null) return false;
  if (context.platformAdmin || context.rank >= 2) return false;
  if (item.authorId !== undefined && isAuthor(context, item.authorId)) return false;
  return !grantedTierIds.has(item.requiredTierId);
}

/** Whether gating can matter for this viewer at all (saves the tier lookup for managers and anonymous viewers). */
export function needsTierLookup(context: CommunityAccessContext): boolean {
  return Boolean(context.viewer) && !context.platformAdmin && context.rank < 2;
}

/**
 * Editing one's own post or comment: the author, still an ACTIVE member and not muted (a muted member
 * keeps reading, reacting and voting, but writes nothing — not even edits).
 */
export function assertMayWrite(context: CommunityAccessContext, now: Date): void {
  if (context.community.archivedAt !== null) throw new CommunityArchivedError();
  const membership = context.membership;
  if (!membership || membership.status !== 'ACTIVE') {
    if (context.platformAdmin) return;
    throw new CommunityForbiddenError('Only members can edit their posts and comments.', 'NOT_MEMBER', null);
  }
  if (isMuted(membership, now))
    throw new CommunityForbiddenError(
      `You are muted in this community until ${membership.mutedUntil?.toISOString() ?? ''}.`,
      'MUTED',
      null,
    );
}
