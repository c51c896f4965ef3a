import { randomUUID } from 'node:crypto';
import { NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { COMMUNITY_COMMENT_CREATED, recordCommunityEvent } from '../../common/community-events.js';
import { CommunityArchivedError } from '../../common/community.errors.js';
import { isUuid } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import { assertMayWrite, canSeeComment, canSeePost, isLocked, needsTierLookup } from './feed-access.js';
import type { TierGate } from './feed-gate.js';
import type { FeedRealtime } from './feed-realtime.js';
import { COMMENT_BODY_MAX, mentionsOf, richText } from './feed-text.js';
import { CommentEntity, PostEntity } from './feed.entity.js';
import { CommentTooDeepError, NotAuthorError, TierRequiredError } from './feed.errors.js';

/** Replies nest at most three levels: a comment (depth 0), a reply (1), a reply to a reply (2). */
export const MAX_COMMENT_DEPTH = 3;

/**
 * Throws TIER_REQUIRED when the post is gated and the viewer holds none of the tiers that open it
 * (commenting, reacting and voting need what reading the body needs).
 */
export async function assertUnlocked(
  tiers: () => TierGate | null,
  context: CommunityAccessContext,
  post: PostEntity,
): Promise<void> {
  if (post.requiredTierId === null) return;
  const gate = tiers();
  const granted =
    gate && context.viewer && needsTierLookup(context)
      ? await gate.grantedTierIds(post.communityId, context.viewer.userId)
      : new Set<string>();
  if (isLocked(context, post, granted)) throw new TierRequiredError(post.requiredTierId);
}

/** Visible comment counts: `posts.comment_count` and `comments.reply_count` count VISIBLE, undeleted ones. */
export async function adjustCommentCounts(
  manager: EntityManager,
  postId: string,
  parentId: string | null,
  delta: number,
  postDelta = delta,
): Promise<void> {
  if (postDelta !== 0)
    await manager.query(`UPDATE "community".posts SET comment_count = comment_count + $2 WHERE id = $1`, [
      postId,
      postDelta,
    ]);
  if (parentId && delta !== 0)
    await manager.query(`UPDATE "community".comments SET reply_count = reply_count + $2 WHERE id = $1`, [
      parentId,
      delta,
    ]);
}

/** Threaded comments: create (COMMENT_CREATE), edit (the author), delete (the author or POST_MODERATE). */
export class CommentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
    private readonly tiers: () => TierGate | null,
    private readonly realtime: FeedRealtime,
  ) {}

  /**
   * COMMENT_CREATE on a published post the viewer may read (gated posts: a granted tier). `parentId`
   * replies to a comment of the same post, at most MAX_COMMENT_DEPTH levels deep (COMMENT_TOO_DEEP).
   * The post's comment count changes in the same transaction; `community.comment.created` is recorded.
   */
  async create(
    viewer: Viewer,
    input: { postId: string; parentId?: string | null; body: string; mentionUserIds?: string[] | null },
  ): Promise<CommentEntity> {
    const now = this.clock.now();
    const body = richText(input.body, 'body', COMMENT_BODY_MAX);
    const mentions = mentionsOf(body.text, input.mentionUserIds);
    if (!isUuid(input.postId)) throw new NotFoundError('Post');
    if (input.parentId && !isUuid(input.parentId)) throw new NotFoundError('Comment');

    const { comment, post } = await this.dataSource.transaction(async (manager) => {
      // Locks the post row: counts change under it, and a concurrent delete waits.
      const post = await manager
        .getRepository(PostEntity)
        .createQueryBuilder('p')
        .where('p.id = :id', { id: input.postId })
        .setLock('pessimistic_write')
        .getOne();
      if (!post) throw new NotFoundError('Post');
      const read = await this.access.resolve(viewer, post.communityId, { manager });
      if (!canSeePost(read, post, now) || post.publishAt > now) throw new NotFoundError('Post');
      const context = await this.access.require(viewer, post.communityId, 'COMMENT_CREATE', { manager });
      await assertUnlocked(this.tiers, context, post);
      let parent: CommentEntity | null = null;
      if (input.parentId) {
        parent = await manager.getRepository(CommentEntity).findOneBy({ id: input.parentId });
        if (!parent || parent.postId !== post.id || !canSeeComment(context, parent))
          throw new NotFoundError('Comment');
        if (parent.depth + 1 >= MAX_COMMENT_DEPTH) throw new CommentTooDeepError(MAX_COMMENT_DEPTH);
      }
      const comment = manager.getRepository(CommentEntity).create({
        id: randomUUID(),
        postId: post.id,
        communityId: post.communityId,
        authorId: viewer.userId,
        parentId: parent?.id ?? null,
        ancestorIds: parent ? [...parent.ancestorIds, parent.id] : [],
        depth: parent ? parent.depth + 1 : 0,
        body: body.html,
        mentionUserIds: mentions.userIds,
        mentionHandles: mentions.handles,
        moderationState: 'VISIBLE',
        replyCount: 0,
        reactionCount: 0,
        createdAt: now,
        updatedAt: now,
        editedAt: null,
        deletedAt: null,
        deletedById: null,
      });
      await manager.getRepository(CommentEntity).insert(comment);
      await adjustCommentCounts(manager, post.id, comment.parentId, 1);
      await recordCommunityEvent(manager, COMMUNITY_COMMENT_CREATED, {
        communityId: post.communityId,
        postId: post.id,
        commentId: comment.id,
        authorId: viewer.userId,
        parentId: comment.parentId,
        postAuthorId: post.authorId,
        parentAuthorId: parent?.authorId ?? null,
        body: comment.body,
        mentionUserIds: comment.mentionUserIds,
        mentionHandles: comment.mentionHandles,
        createdAt: now.toISOString(),
      });
      return { comment, post };
    });
    // feed subscribers see the post's new comment count (after the commit; the payload carries no counts)
    if (post.publishedAt) this.realtime.publish('UPDATED', post, now);
    return comment;
  }

  /** The author edits the body (still an active, unmuted member). */
  async update(
    viewer: Viewer,
    commentId: string,
    input: { body: string; mentionUserIds?: string[] | null },
  ): Promise<CommentEntity> {
    const now = this.clock.now();
    const body = richText(input.body, 'body', COMMENT_BODY_MAX);
    return this.dataSource.transaction(async (manager) => {
      const { comment, context } = await this.lockVisible(manager, viewer, commentId);
      if (comment.authorId !== viewer.userId)
        throw new NotAuthorError('Only the author can edit this comment.');
      assertMayWrite(context, now);
      const mentions = mentionsOf(body.text, input.mentionUserIds ?? comment.mentionUserIds);
      comment.body = body.html;
      comment.mentionUserIds = mentions.userIds;
      comment.mentionHandles = mentions.handles;
      comment.editedAt = now;
      comment.updatedAt = now;
      await manager.getRepository(CommentEntity).save(comment);
      return comment;
    });
  }

  /**
   * The author or a POST_MODERATE holder deletes a comment — with its replies (the whole thread below it
   * disappears); the post's comment count and the parent's reply count drop in the same transaction.
   */
  async delete(viewer: Viewer, commentId: string): Promise<CommentEntity> {
    const now = this.clock.now();
    const deleted = await this.dataSource.transaction(async (manager) => {
      const { comment, context } = await this.lockVisible(manager, viewer, commentId, true);
      if (context.community.archivedAt !== null) throw new CommunityArchivedError();
      if (comment.authorId !== viewer.userId && !context.has('POST_MODERATE'))
        throw new NotAuthorError('Only the author or a moderator can delete this comment.');
      const removed: { moderation_state: string }[] = await manager.query(
        `UPDATE "community".comments SET deleted_at = $2, deleted_by_id = $3, updated_at = $2
          WHERE (id = $1 OR $1 = ANY(ancestor_ids)) AND deleted_at IS NULL
          RETURNING moderation_state`,
        [comment.id, now, viewer.userId],
      );
      const rows = Array.isArray(removed[0]) ? (removed[0] as { moderation_state: string }[]) : removed;
      const visible = rows.filter((r) => r.moderation_state === 'VISIBLE').length;
      await adjustCommentCounts(
        manager,
        comment.postId,
        comment.moderationState === 'VISIBLE' ? comment.parentId : null,
        comment.moderationState === 'VISIBLE' ? -1 : 0,
        -visible,
      );
      comment.deletedAt = now;
      comment.deletedById = viewer.userId;
      return comment;
    });
    await this.countsChanged(deleted.postId);
    return deleted;
  }

  /** Feed subscribers see the post's new comment count (after the commit). */
  private async countsChanged(postId: string): Promise<void> {
    const post = await this.dataSource.getRepository(PostEntity).findOneBy({ id: postId });
    if (post?.publishedAt) this.realtime.publish('UPDATED', post, this.clock.now());
  }

  /**
   * The comment locked for update, NOT_FOUND unless the viewer is its author or may see it and its post.
   * With `lockPost`, the post row is locked first — the order every comment-count change takes (post,
   * then comments), so concurrent replies and deletes cannot deadlock.
   */
  private async lockVisible(
    manager: EntityManager,
    viewer: Viewer,
    commentId: string,
    lockPost = false,
  ): Promise<{ comment: CommentEntity; context: CommunityAccessContext }> {
    if (!isUuid(commentId)) throw new NotFoundError('Comment');
    const found = await manager.getRepository(CommentEntity).findOneBy({ id: commentId });
    if (!found) throw new NotFoundError('Comment');
    const postQuery = manager
      .getRepository(PostEntity)
      .createQueryBuilder('p')
      .where('p.id = :postId', { postId: found.postId });
    if (lockPost) postQuery.setLock('pessimistic_write');
    const post = await postQuery.getOne();
    const comment = await manager
      .getRepository(CommentEntity)
      .createQueryBuilder('c')
      .where('c.id = :commentId', { commentId })
      .setLock('pessimistic_write')
      .getOne();
    if (!comment || comment.deletedAt || !post || post.deletedAt) throw new NotFoundError('Comment');
    const context = await this.access.resolve(viewer, comment.communityId, { manager, includeHidden: true });
    if (
      comment.authorId !== viewer.userId &&
      (!canSeeComment(context, comment, { byId: true }) ||
        !canSeePost(context, post, this.clock.now(), { byId: true }))
    )
      throw new NotFoundError('Comment');
    return { comment, context };
  }
}
