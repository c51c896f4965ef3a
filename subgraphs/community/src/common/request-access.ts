import { NotFoundError, type RequestContext } from '@edugraph/kit';
import type { CommunityServices } from '../community-services.js';
import type { CommunityAccessContext } from '../modules/access/community-access.service.js';
import type { CommunityPermission } from '../modules/access/permissions.js';
import type { CommunityEntity } from '../modules/community/community.entity.js';

/**
 * The viewer's access context in one community, through the request's DataLoaders (a page of N
 * communities or posts costs a bounded number of queries). Null when the community does not exist.
 * Use it in field resolvers and queries; mutations call `services.access.require(...)` in their transaction.
 */
export async function accessInRequest(
  services: CommunityServices,
  ctx: RequestContext,
  community: CommunityEntity | string,
): Promise<CommunityAccessContext | null> {
  const loaded =
    typeof community === 'string'
      ? await ctx.loaders.get(services.loaders.community).load(community)
      : community;
  if (!loaded) return null;
  const membership = ctx.viewer
    ? await ctx.loaders.get(services.loaders.membership).load(`${loaded.id}|${ctx.viewer.userId}`)
    : null;
  const customRole = membership?.customRoleId
    ? await ctx.loaders.get(services.loaders.customRole).load(membership.customRoleId)
    : null;
  return services.access.evaluate(ctx.viewer, loaded, membership, customRole);
}

/**
 * Like `accessInRequest`, but throws as `CommunityAccess.require` does: NOT_FOUND when missing or
 * hidden, else the typed FORBIDDEN / COMMUNITY_ARCHIVED / UNAUTHENTICATED error without `permission`.
 */
export async function requireInRequest(
  services: CommunityServices,
  ctx: RequestContext,
  community: CommunityEntity | string,
  permission: CommunityPermission,
): Promise<CommunityAccessContext> {
  const context = await accessInRequest(services, ctx, community);
  if (!context || !context.canSee) throw new NotFoundError('Community');
  services.access.assert(context, permission);
  return context;
}

/** Maps a kit connection's nodes. */
export function mapConnection<A, B extends object>(
  connection: { edges: { cursor: string; node: A }[]; pageInfo: object },
  map: (a: A) => B,
) {
  return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: map(e.node) })) };
}
