import type { PubSub } from '@edugraph/kit';
import type { ModerationState, PostEntity } from './feed.entity.js';

/** Redis pub/sub topic of feed changes (the PubSub adds the deployment prefix); id = community. */
export const FEED_TOPIC = 'community.feed-updated';

export type FeedEventKind = 'CREATED' | 'UPDATED' | 'DELETED' | 'PINNED' | 'UNPINNED';

/**
 * What travels through Redis for one feed change: enough to decide per subscriber whether they may see
 * it (no per-subscriber query but the access check); the post itself is loaded when the event is sent.
 */
export type FeedEventPayload = {
  kind: FeedEventKind;
  communityId: string;
  postId: string;
  authorId: string;
  moderationState: ModerationState;
  publishAt: string;
  at: string;
};

/** Publishes feed changes after their transaction committed. */
export class FeedRealtime {
  constructor(readonly pubSub: PubSub) {}

  publish(kind: FeedEventKind, post: PostEntity, at: Date): void {
    const payload: FeedEventPayload = {
      kind,
      communityId: post.communityId,
      postId: post.id,
      authorId: post.authorId,
      moderationState: post.moderationState,
      publishAt: post.publishAt.toISOString(),
      at: at.toISOString(),
    };
    this.pubSub.publish(FEED_TOPIC, post.communityId, payload);
  }
}
