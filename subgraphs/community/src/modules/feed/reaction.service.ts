import { randomUUID } from 'node:crypto';
import { NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  COMMUNITY_REACTION_ADDED,
  COMMUNITY_REACTION_REMOVED,
  recordCommunityEvent,
} from '../../common/community-events.js';
import { isUuid } from '../../common/validation.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { assertUnlocked } from './comment.service.js';
import { canSeeComment, canSeePost } from './feed-access.js';
import type { TierGate } from './feed-gate.js';
import type { FeedRealtime } from './feed-realtime.js';
import { assertEmoji } from './feed-text.js';
import { CommentEntity, PostEntity, type ReactionTargetType } from './feed.entity.js';
import { ReactionLimitError } from './feed.errors.js';

/** Different emojis one person may put on one post or comment. */
export const MAX_REACTIONS_PER_USER = 10;

export type ReactionInput = { targetType: ReactionTargetType; targetId: string; emoji: string };
export type ReactionTarget = { post: PostEntity; comment: CommentEntity | null };

const S = '"community"';

/**
 * Reactions: one per user, target (post or comment) and emoji (unique constraint); adding twice or
 * removing what is not there changes nothing (no event). Counts per emoji (`reaction_counts`) and the
 * target's total (posts: part of the TOP score) change in the same transaction.
 */
export class ReactionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
    private readonly tiers: () => TierGate | null,
    private readonly realtime: FeedRealtime,
  ) {}

  /** REACTION_CREATE on a visible, published target (gated posts: a granted tier). */
  async add(viewer: Viewer, input: ReactionInput): Promise<ReactionTarget> {
    const emoji = assertEmoji(input.emoji);
    const now = this.clock.now();
    const result = await this.dataSource.transaction(async (manager) => {
      const target = await this.target(manager, viewer, input);
      const inserted: { id: string }[] = await manager.query(
        `INSERT INTO ${S}.reactions (id, community_id, post_id, target_type, target_id, user_id, emoji, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT ON CONSTRAINT uq_reactions_user_target_emoji DO NOTHING RETURNING id`,
        [
          randomUUID(),
          target.post.communityId,
          target.post.id,
          input.targetType,
          input.targetId,
          viewer.userId,
          emoji,
          now,
        ],
      );
      if (inserted.length === 0) return { target, changed: false };
      // The target row's lock orders concurrent reactions on it, so the per-person limit holds.
      await this.bump(manager, input, emoji, 1, now);
      const [mine] = (await manager.query(
        `SELECT count(*)::int AS n FROM ${S}.reactions WHERE target_type = $1 AND target_id = $2 AND user_id = $3`,
        [input.targetType, input.targetId, viewer.userId],
      )) as { n: number }[];
      if ((mine?.n ?? 0) > MAX_REACTIONS_PER_USER) throw new ReactionLimitError(MAX_REACTIONS_PER_USER);
      await recordCommunityEvent(
        manager,
        COMMUNITY_REACTION_ADDED,
        this.payload(target, input, viewer, emoji, now),
      );
      return { target, changed: true };
    });
    return this.settled(result, input);
  }

  /** REACTION_CREATE; removes the viewer's reaction with this emoji if there is one. */
  async remove(viewer: Viewer, input: ReactionInput): Promise<ReactionTarget> {
    const emoji = assertEmoji(input.emoji);
    const now = this.clock.now();
    const result = await this.dataSource.transaction(async (manager) => {
      const target = await this.target(manager, viewer, input);
      const deleted = (await manager.query(
        `DELETE FROM ${S}.reactions WHERE target_type = $1 AND target_id = $2 AND user_id = $3 AND emoji = $4 RETURNING id`,
        [input.targetType, input.targetId, viewer.userId, emoji],
      )) as [unknown[], number] | unknown[];
      const count = Array.isArray(deleted[0]) ? (deleted[0] as unknown[]).length : deleted.length;
      if (count === 0) return { target, changed: false };
      await this.bump(manager, input, emoji, -1, now);
      await recordCommunityEvent(
        manager,
        COMMUNITY_REACTION_REMOVED,
        this.payload(target, input, viewer, emoji, now),
      );
      return { target, changed: true };
    });
    return this.settled(result, input);
  }

  private payload(target: ReactionTarget, input: ReactionInput, viewer: Viewer, emoji: string, now: Date) {
    return {
      communityId: target.post.communityId,
      postId: target.post.id,
      targetType: input.targetType,
      targetId: input.targetId,
      targetAuthorId: target.comment?.authorId ?? target.post.authorId,
      userId: viewer.userId,
      emoji,
      createdAt: now.toISOString(),
    };
  }

  private async bump(
    manager: EntityManager,
    input: ReactionInput,
    emoji: string,
    delta: 1 | -1,
    now: Date,
  ): Promise<void> {
    const table = input.targetType === 'POST' ? 'posts' : 'comments';
    await manager.query(`UPDATE ${S}.${table} SET reaction_count = reaction_count + $2 WHERE id = $1`, [
      input.targetId,
      delta,
    ]);
    if (delta > 0)
      await manager.query(
        `INSERT INTO ${S}.reaction_counts (target_type, target_id, emoji, count, first_at) VALUES ($1, $2, $3, 1, $4)
         ON CONFLICT (target_type, target_id, emoji) DO UPDATE SET count = ${S}.reaction_counts.count + 1`,
        [input.targetType, input.targetId, emoji, now],
      );
    else
      await manager.query(
        `UPDATE ${S}.reaction_counts SET count = count - 1 WHERE target_type = $1 AND target_id = $2 AND emoji = $3`,
        [input.targetType, input.targetId, emoji],
      );
  }

  /** The target and its post: NOT_FOUND unless the viewer may see both; REACTION_CREATE; gated posts: a tier. */
  private async target(
    manager: EntityManager,
    viewer: Viewer,
    input: ReactionInput,
  ): Promise<ReactionTarget> {
    const what = input.targetType === 'POST' ? 'Post' : 'Comment';
    if (!isUuid(input.targetId)) throw new NotFoundError(what);
    const comment =
      input.targetType === 'COMMENT'
        ? await manager.getRepository(CommentEntity).findOneBy({ id: input.targetId })
        : null;
    if (input.targetType === 'COMMENT' && !comment) throw new NotFoundError(what);
    const post = await manager.getRepository(PostEntity).findOneBy({ id: comment?.postId ?? input.targetId });
    if (!post) throw new NotFoundError(what);
    const now = this.clock.now();
    const read = await this.access.resolve(viewer, post.communityId, { manager });
    if (!canSeePost(read, post, now) || post.publishAt > now || (comment && !canSeeComment(read, comment)))
      throw new NotFoundError(what);
    const context = await this.access.require(viewer, post.communityId, 'REACTION_CREATE', { manager });
    await assertUnlocked(this.tiers, context, post);
    return { post, comment };
  }

  /**
   * The target as committed; a post's new counts go to feed subscribers (reactions on comments are not
   * part of the feed).
   */
  private async settled(
    { target, changed }: { target: ReactionTarget; changed: boolean },
    input: ReactionInput,
  ): Promise<ReactionTarget> {
    const reloaded = await this.reload(target);
    if (changed && input.targetType === 'POST')
      this.realtime.publish('UPDATED', reloaded.post, this.clock.now());
    return reloaded;
  }

  private async reload(target: ReactionTarget): Promise<ReactionTarget> {
    const post = await this.dataSource.getRepository(PostEntity).findOneByOrFail({ id: target.post.id });
    const comment = target.comment
      ? await this.dataSource.getRepository(CommentEntity).findOneByOrFail({ id: target.comment.id })
      : null;
    return { post, comment };
  }
}
