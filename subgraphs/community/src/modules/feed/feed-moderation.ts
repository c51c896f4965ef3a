import { NotFoundError } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/validation.js';
import { adjustCommentCounts } from './comment.service.js';
import type { FeedRealtime } from './feed-realtime.js';
import { CommentEntity, PostEntity, type ModerationState, type ReactionTargetType } from './feed.entity.js';

export type ModerationTarget = { targetType: ReactionTargetType; targetId: string };

export type ModerationChange = {
  targetType: ReactionTargetType;
  targetId: string;
  communityId: string;
  postId: string;
  authorId: string;
  previous: ModerationState;
  state: ModerationState;
};

/**
 * The moderation module's handle on feed content (contract: /tmp/community-contracts.md). Feed owns the
 * `moderation_state` columns; moderation changes them only through `FeedModeration.setState`, inside its
 * own transaction (its case, audit and outbox rows commit with the change).
 *
 * - VISIBLE: everyone who reads the community; PENDING_REVIEW and SUPPRESSED: POST_MODERATE holders and
 *   the author (who sees the state); REMOVED: POST_MODERATE holders, by id only.
 * - Comment counts (`posts.comment_count`, `comments.reply_count`, hence the TOP score) count VISIBLE
 *   comments, so they move when a comment enters or leaves VISIBLE. Replies of a hidden comment keep
 *   their state (they are out of reach in the thread until it is restored).
 * - Deleted posts and comments: NOT_FOUND.
 */
export class FeedModeration {
  constructor(
    private readonly realtime: FeedRealtime,
    private readonly clock: Clock,
  ) {}

  static async setState(
    manager: EntityManager,
    target: ModerationTarget,
    state: ModerationState,
  ): Promise<ModerationChange> {
    const what = target.targetType === 'POST' ? 'Post' : 'Comment';
    if (!isUuid(target.targetId)) throw new NotFoundError(what);
    if (target.targetType === 'POST') {
      const post = await manager
        .getRepository(PostEntity)
        .createQueryBuilder('p')
        .where('p.id = :id', { id: target.targetId })
        .setLock('pessimistic_write')
        .getOne();
      if (!post || post.deletedAt) throw new NotFoundError(what);
      const previous = post.moderationState;
      if (previous !== state)
        await manager.getRepository(PostEntity).update({ id: post.id }, { moderationState: state });
      return {
        ...target,
        communityId: post.communityId,
        postId: post.id,
        authorId: post.authorId,
        previous,
        state,
      };
    }
    const found = await manager.getRepository(CommentEntity).findOneBy({ id: target.targetId });
    if (!found) throw new NotFoundError(what);
    // Post first, then the comment: the lock order of every comment-count change.
    await manager.query(`SELECT id FROM "community".posts WHERE id = $1 FOR UPDATE`, [found.postId]);
    const comment = await manager
      .getRepository(CommentEntity)
      .createQueryBuilder('c')
      .where('c.id = :id', { id: target.targetId })
      .setLock('pessimistic_write')
      .getOne();
    if (!comment || comment.deletedAt) throw new NotFoundError(what);
    const previous = comment.moderationState;
    if (previous !== state) {
      await manager.getRepository(CommentEntity).update({ id: comment.id }, { moderationState: state });
      const delta = (state === 'VISIBLE' ? 1 : 0) - (previous === 'VISIBLE' ? 1 : 0);
      if (delta !== 0) await adjustCommentCounts(manager, comment.postId, comment.parentId, delta);
    }
    return {
      ...target,
      communityId: comment.communityId,
      postId: comment.postId,
      authorId: comment.authorId,
      previous,
      state,
    };
  }

  /**
   * After the moderation transaction committed: tells realtime feed subscribers that a post changed state
   * (subscribers who may no longer see it receive it as DELETED). Comments publish nothing.
   */
  async notify(manager: EntityManager, change: ModerationChange): Promise<void> {
    if (change.targetType !== 'POST' || change.previous === change.state) return;
    const post = await manager.getRepository(PostEntity).findOneBy({ id: change.postId });
    if (post?.publishedAt) this.realtime.publish('UPDATED', post, this.clock.now());
  }
}
