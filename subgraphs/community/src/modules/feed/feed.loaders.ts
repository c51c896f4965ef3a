import { byKey, groupByKey, type Connection, type LoaderFactory } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { TierGate } from './feed-gate.js';
import type { CommentPageKey, FeedQueries } from './feed-queries.js';
import type {
  CommentEntity,
  PollEntity,
  PollOptionEntity,
  PostEntity,
  ResourceEntity,
} from './feed.entity.js';

export type EmojiCount = { emoji: string; count: number };

/** The feed module's per-request DataLoaders (`services.loaders.feed.*`). */
export type FeedLoaders = {
  post: LoaderFactory<string, PostEntity | null>;
  comment: LoaderFactory<string, CommentEntity | null>;
  poll: LoaderFactory<string, PollEntity | null>;
  /** Post id → its poll's options by position. */
  pollOptions: LoaderFactory<string, PollOptionEntity[]>;
  /** Key `postId|userId` → the option ids the user voted for. */
  pollVotes: LoaderFactory<string, string[]>;
  /** Key `POST|id` or `COMMENT|id` → counts per emoji, most used first. */
  reactionCounts: LoaderFactory<string, EmojiCount[]>;
  /** Key `POST|id|userId` or `COMMENT|id|userId` → the user's emojis. */
  viewerReactions: LoaderFactory<string, string[]>;
  commentPage: LoaderFactory<CommentPageKey, Connection<CommentEntity>>;
  resource: LoaderFactory<string, ResourceEntity | null>;
  /** Key `communityId|userId` → tiers granted to the user (paywall), batched per community. */
  grantedTiers: LoaderFactory<string, ReadonlySet<string>>;
};

export function createFeedLoaders(queries: FeedQueries, tiers: () => TierGate | null): FeedLoaders {
  return {
    post: () => new DataLoader(async (ids) => byKey(ids, await queries.postsByIds(ids), (r) => r.id)),
    comment: () => new DataLoader(async (ids) => byKey(ids, await queries.commentsByIds(ids), (r) => r.id)),
    poll: () => new DataLoader(async (ids) => byKey(ids, await queries.pollsByPostIds(ids), (r) => r.postId)),
    pollOptions: () =>
      new DataLoader(async (ids) =>
        groupByKey(ids, await queries.pollOptionsByPostIds(ids), (r) => r.postId),
      ),
    pollVotes: () =>
      new DataLoader(async (keys) => {
        const votes = await queries.pollVotesByKeys(keys);
        return keys.map((k) => votes.get(k) ?? []);
      }),
    reactionCounts: () =>
      new DataLoader(async (keys) => {
        const rows = await queries.reactionCounts(keys);
        return keys.map((k) =>
          rows.filter((r) => r.targetKey === k).map((r) => ({ emoji: r.emoji, count: r.count })),
        );
      }),
    viewerReactions: () =>
      new DataLoader(async (keys) => {
        const found = await queries.viewerReactions(keys);
        return keys.map((k) => found.get(k) ?? []);
      }),
    commentPage: () =>
      new DataLoader((keys) => queries.commentPages(keys), { cacheKeyFn: (k) => JSON.stringify(k) }),
    resource: () => new DataLoader(async (ids) => byKey(ids, await queries.resourcesByIds(ids), (r) => r.id)),
    grantedTiers: () =>
      new DataLoader(async (keys) => {
        const gate = tiers();
        const byCommunity = new Map<string, string[]>();
        for (const key of keys) {
          const [communityId, userId] = key.split('|') as [string, string];
          byCommunity.set(communityId, [...(byCommunity.get(communityId) ?? []), userId]);
        }
        const granted = new Map<string, ReadonlySet<string>>();
        if (gate)
          for (const [communityId, userIds] of byCommunity) {
            const sets = await gate.grantedTierIdsForUsers(communityId, userIds);
            for (const userId of userIds)
              granted.set(`${communityId}|${userId}`, sets.get(userId) ?? new Set<string>());
          }
        return keys.map((k) => granted.get(k) ?? new Set<string>());
      }),
  };
}
