import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  COMMUNITY_POST_CREATED,
  COMMUNITY_POST_DELETED,
  recordCommunityEvent,
} from '../../common/community-events.js';
import { CommunityArchivedError } from '../../common/community.errors.js';
import { htmlToText } from '../../common/rich-text.js';
import { assertUuid, isUuid } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import { assertMayWrite, canSeePost } from './feed-access.js';
import { MAX_PINNED } from './feed-queries.js';
import { assertCommunityTier } from './feed-gate.js';
import type { FeedRealtime } from './feed-realtime.js';
import { attachmentIds, mentionsOf, normaliseTags, POST_BODY_MAX, richText, titleOf } from './feed-text.js';
import { PollEntity, PollOptionEntity, PostEntity, type PollMode } from './feed.entity.js';
import { InvalidPublishTimeError, NotAuthorError, PinLimitError } from './feed.errors.js';

/** Scheduled posts are published at most a year ahead. */
export const MAX_SCHEDULE_MS = 365 * 86_400_000;
export const POLL_MIN_OPTIONS = 2;
export const POLL_MAX_OPTIONS = 10;
export const POLL_OPTION_MAX = 100;

export type PollInput = {
  options: string[];
  mode?: PollMode | null;
  closesAt?: Date | null;
  resultsHiddenUntilVoted?: boolean | null;
};

export type CreatePostFields = {
  title?: string | null;
  body: string;
  tags?: string[] | null;
  mentionUserIds?: string[] | null;
  attachmentAssetIds?: string[] | null;
  pinned?: boolean | null;
  announcement?: boolean | null;
  publishAt?: Date | null;
  requiredTierId?: string | null;
  poll?: PollInput | null;
};

export type UpdatePostFields = {
  title?: string | null;
  body?: string | null;
  tags?: string[] | null;
  mentionUserIds?: string[] | null;
  attachmentAssetIds?: string[] | null;
  /** Only while the post is still scheduled. */
  publishAt?: Date | null;
  /** TIER_MANAGE; null (explicitly) removes the gate. */
  requiredTierId?: string | null;
};

type ValidPoll = { mode: PollMode; options: string[]; closesAt: Date | null; hidden: boolean };

function validPoll(poll: PollInput, now: Date): ValidPoll {
  const options = poll.options.map((o) => o.replace(/\s+/g, ' ').trim());
  if (options.length < POLL_MIN_OPTIONS || options.length > POLL_MAX_OPTIONS)
    throw new BadUserInputError(
      `A poll has ${POLL_MIN_OPTIONS}–${POLL_MAX_OPTIONS} options.`,
      'poll.options',
    );
  if (options.some((o) => o.length < 1 || o.length > POLL_OPTION_MAX))
    throw new BadUserInputError(`Each poll option has 1–${POLL_OPTION_MAX} characters.`, 'poll.options');
  if (new Set(options.map((o) => o.toLowerCase())).size !== options.length)
    throw new BadUserInputError('Poll options must differ from each other.', 'poll.options');
  const closesAt = poll.closesAt ?? null;
  if (closesAt && (closesAt <= now || closesAt.getTime() > now.getTime() + MAX_SCHEDULE_MS))
    throw new BadUserInputError('A poll closes in the future, at most a year ahead.', 'poll.closesAt');
  return {
    mode: poll.mode ?? 'SINGLE',
    options,
    closesAt,
    hidden: poll.resultsHiddenUntilVoted ?? false,
  };
}

function validPublishAt(publishAt: Date | null | undefined, now: Date): Date | null {
  if (publishAt === null || publishAt === undefined) return null;
  if (Number.isNaN(publishAt.getTime()) || publishAt <= now)
    throw new InvalidPublishTimeError('A scheduled post is published in the future.');
  if (publishAt.getTime() > now.getTime() + MAX_SCHEDULE_MS)
    throw new InvalidPublishTimeError('A post can be scheduled at most a year ahead.');
  return publishAt;
}

/** Posts: create (with a poll), edit, delete, pin, and the publication of scheduled posts. */
export class PostService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
    private readonly realtime: FeedRealtime,
  ) {}

  /**
   * POST_CREATE (MODERATORS_ONLY posting keeps it from plain members; muted members lose it); `pinned`
   * also needs POST_PIN, `announcement` POST_ANNOUNCE, `requiredTierId` TIER_MANAGE. A `publishAt` in
   * the future makes a scheduled post: visible from then on, announced (`community.post.created`, the
   * realtime feed) by the scheduled-post job.
   */
  async create(viewer: Viewer, communityId: string, fields: CreatePostFields): Promise<PostEntity> {
    const now = this.clock.now();
    const title = titleOf(fields.title);
    const body = richText(fields.body, 'body', POST_BODY_MAX);
    const tags = normaliseTags(fields.tags ?? []);
    const mentions = mentionsOf(`${title ?? ''}\n${body.text}`, fields.mentionUserIds);
    const attachments = attachmentIds(fields.attachmentAssetIds);
    const publishAt = validPublishAt(fields.publishAt, now);
    const requiredTierId = fields.requiredTierId ? assertUuid(fields.requiredTierId, 'requiredTierId') : null;
    const poll = fields.poll ? validPoll(fields.poll, now) : null;
    if (!isUuid(communityId)) throw new NotFoundError('Community');

    const post = await this.dataSource.transaction(async (manager) => {
      const context = await this.access.require(viewer, communityId, 'POST_CREATE', {
        manager,
        lockCommunity: Boolean(fields.pinned),
      });
      if (fields.pinned) this.access.assert(context, 'POST_PIN');
      if (fields.announcement) this.access.assert(context, 'POST_ANNOUNCE');
      if (requiredTierId) {
        this.access.assert(context, 'TIER_MANAGE');
        await assertCommunityTier(manager, communityId, requiredTierId);
      }
      if (fields.pinned) await this.assertPinRoom(manager, communityId);
      const row = manager.getRepository(PostEntity).create({
        id: randomUUID(),
        communityId,
        authorId: viewer.userId,
        title,
        body: body.html,
        excerpt: body.excerpt,
        tags,
        mentionUserIds: mentions.userIds,
        mentionHandles: mentions.handles,
        attachmentAssetIds: attachments,
        announcement: Boolean(fields.announcement),
        pinnedAt: fields.pinned ? now : null,
        pinnedById: fields.pinned ? viewer.userId : null,
        publishAt: publishAt ?? now,
        publishedAt: publishAt ? null : now,
        moderationState: 'VISIBLE',
        requiredTierId,
        commentCount: 0,
        reactionCount: 0,
        createdAt: now,
        updatedAt: now,
        editedAt: null,
        deletedAt: null,
        deletedById: null,
      });
      await manager.getRepository(PostEntity).insert(row);
      if (poll) {
        await manager.getRepository(PollEntity).insert({
          postId: row.id,
          mode: poll.mode,
          closesAt: poll.closesAt,
          resultsHiddenUntilVoted: poll.hidden,
          voterCount: 0,
          createdAt: now,
        });
        await manager.getRepository(PollOptionEntity).insert(
          poll.options.map((label, position) => ({
            id: randomUUID(),
            postId: row.id,
            position,
            label,
            voteCount: 0,
          })),
        );
      }
      if (!publishAt) await this.recordCreated(manager, row, false);
      return row;
    });
    const created = await this.reload(post.id);
    if (created.publishedAt) this.realtime.publish('CREATED', created, now);
    return created;
  }

  /** The author edits title, body, tags, mentions, attachments, and reschedules a post not yet published. */
  async update(viewer: Viewer, postId: string, fields: UpdatePostFields): Promise<PostEntity> {
    const now = this.clock.now();
    const title = fields.title === undefined ? undefined : titleOf(fields.title);
    const body =
      fields.body === undefined || fields.body === null ? null : richText(fields.body, 'body', POST_BODY_MAX);
    const tags = fields.tags === undefined || fields.tags === null ? null : normaliseTags(fields.tags);
    const attachments =
      fields.attachmentAssetIds === undefined || fields.attachmentAssetIds === null
        ? null
        : attachmentIds(fields.attachmentAssetIds);
    const publishAt = validPublishAt(fields.publishAt, now);
    const requiredTierId =
      fields.requiredTierId === undefined
        ? undefined
        : fields.requiredTierId === null
          ? null
          : assertUuid(fields.requiredTierId, 'requiredTierId');

    const updated = await this.dataSource.transaction(async (manager) => {
      const { post, context } = await this.lockVisible(manager, viewer, postId);
      if (post.authorId !== viewer.userId) throw new NotAuthorError('Only the author can edit this post.');
      assertMayWrite(context, now);
      if (requiredTierId !== undefined && requiredTierId !== post.requiredTierId) {
        this.access.assert(context, 'TIER_MANAGE');
        if (requiredTierId) await assertCommunityTier(manager, post.communityId, requiredTierId);
      }
      if (publishAt && post.publishedAt !== null)
        throw new InvalidPublishTimeError('This post is already published.');
      if (title !== undefined) post.title = title;
      if (body) {
        post.body = body.html;
        post.excerpt = body.excerpt;
      }
      if (tags) post.tags = tags;
      if (fields.mentionUserIds !== undefined || body || title !== undefined) {
        const text = `${post.title ?? ''}\n${body?.text ?? htmlToText(post.body)}`;
        const mentions = mentionsOf(text, fields.mentionUserIds ?? post.mentionUserIds);
        post.mentionUserIds = mentions.userIds;
        if (body || title !== undefined) post.mentionHandles = mentions.handles;
      }
      if (attachments) post.attachmentAssetIds = attachments;
      if (publishAt) post.publishAt = publishAt;
      if (requiredTierId !== undefined) post.requiredTierId = requiredTierId;
      post.updatedAt = now;
      if (post.publishedAt !== null) post.editedAt = now;
      await manager.getRepository(PostEntity).save(post);
      return post;
    });
    const reloaded = await this.reload(updated.id);
    if (reloaded.publishedAt) this.realtime.publish('UPDATED', reloaded, now);
    return reloaded;
  }

  /**
   * The author (while not banned) or a POST_MODERATE holder deletes a post: it disappears with its
   * comments, reactions and poll from every list (the row stays, marked deleted, for moderation records).
   */
  async delete(viewer: Viewer, postId: string): Promise<PostEntity> {
    const now = this.clock.now();
    const deleted = await this.dataSource.transaction(async (manager) => {
      const { post, context } = await this.lockVisible(manager, viewer, postId);
      if (context.community.archivedAt !== null) throw new CommunityArchivedError();
      if (post.authorId !== viewer.userId && !context.has('POST_MODERATE'))
        throw new NotAuthorError('Only the author or a moderator can delete this post.');
      post.deletedAt = now;
      post.deletedById = viewer.userId;
      post.pinnedAt = null;
      post.pinnedById = null;
      post.updatedAt = now;
      await manager.getRepository(PostEntity).save(post);
      await recordCommunityEvent(manager, COMMUNITY_POST_DELETED, {
        communityId: post.communityId,
        postId: post.id,
        authorId: post.authorId,
        deletedById: viewer.userId,
        deletedAt: now.toISOString(),
      });
      return post;
    });
    if (deleted.publishedAt) this.realtime.publish('DELETED', deleted, now);
    return deleted;
  }

  /** POST_PIN: pin (at most MAX_PINNED per community, shown first in the feed) or unpin a published post. */
  async pin(viewer: Viewer, postId: string, pinned: boolean): Promise<PostEntity> {
    const now = this.clock.now();
    const changed = await this.dataSource.transaction(async (manager) => {
      const { post } = await this.lockVisible(manager, viewer, postId);
      await this.access.require(viewer, post.communityId, 'POST_PIN', { manager, lockCommunity: pinned });
      if (pinned === (post.pinnedAt !== null)) return null;
      if (pinned) {
        if (post.publishAt > now)
          throw new BadUserInputError('A scheduled post is pinned once published.', 'postId');
        await this.assertPinRoom(manager, post.communityId);
      }
      post.pinnedAt = pinned ? now : null;
      post.pinnedById = pinned ? viewer.userId : null;
      post.updatedAt = now;
      await manager.getRepository(PostEntity).save(post);
      return post;
    });
    const reloaded = await this.reload(postId);
    if (changed && reloaded.publishedAt) this.realtime.publish(pinned ? 'PINNED' : 'UNPINNED', reloaded, now);
    return reloaded;
  }

  /**
   * Announces scheduled posts whose time has come (`publishAt` ≤ now, not announced yet): records
   * `community.post.created` and marks them published in one transaction (FOR UPDATE SKIP LOCKED, so
   * concurrent runs and several instances announce each post once), then tells realtime subscribers.
   * Visibility itself never waits for this: queries compare `publishAt` with the clock.
   */
  async publishDue(now: Date = this.clock.now(), limit = 200): Promise<number> {
    const published = await this.dataSource.transaction(async (manager) => {
      const due = await manager
        .getRepository(PostEntity)
        .createQueryBuilder('p')
        .where('p.published_at IS NULL AND p.deleted_at IS NULL AND p.publish_at <= :now', { now })
        .orderBy('p.publish_at', 'ASC')
        .addOrderBy('p.id', 'ASC')
        .take(limit)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      for (const post of due) {
        post.publishedAt = now;
        await manager.getRepository(PostEntity).update({ id: post.id }, { publishedAt: now });
        await this.recordCreated(manager, post, true);
      }
      return due;
    });
    for (const post of published) this.realtime.publish('CREATED', post, now);
    return published.length;
  }

  // --- helpers ---

  private async recordCreated(manager: EntityManager, post: PostEntity, scheduled: boolean): Promise<void> {
    await recordCommunityEvent(manager, COMMUNITY_POST_CREATED, {
      communityId: post.communityId,
      postId: post.id,
      authorId: post.authorId,
      createdAt: post.createdAt.toISOString(),
      publishedAt: (post.publishedAt ?? post.publishAt).toISOString(),
      title: post.title,
      body: post.body,
      excerpt: post.excerpt,
      tags: post.tags,
      mentionUserIds: post.mentionUserIds,
      mentionHandles: post.mentionHandles,
      announcement: post.announcement,
      requiredTierId: post.requiredTierId,
      scheduled,
    });
  }

  private async assertPinRoom(manager: EntityManager, communityId: string): Promise<void> {
    const [row] = (await manager.query(
      `SELECT count(*)::int AS pinned FROM "community".posts
        WHERE community_id = $1 AND pinned_at IS NOT NULL AND deleted_at IS NULL`,
      [communityId],
    )) as { pinned: number }[];
    if ((row?.pinned ?? 0) >= MAX_PINNED) throw new PinLimitError(MAX_PINNED);
  }

  /**
   * The post locked for update with the viewer's access context: NOT_FOUND when missing, deleted, or not
   * visible to the viewer (by id: moderators see every state, authors their own scheduled posts).
   */
  async lockVisible(
    manager: EntityManager,
    viewer: Viewer,
    postId: string,
  ): Promise<{ post: PostEntity; context: CommunityAccessContext }> {
    if (!isUuid(postId)) throw new NotFoundError('Post');
    const post = await manager
      .getRepository(PostEntity)
      .createQueryBuilder('p')
      .where('p.id = :postId', { postId })
      .setLock('pessimistic_write')
      .getOne();
    if (!post || post.deletedAt) throw new NotFoundError('Post');
    const context = await this.access.resolve(viewer, post.communityId, { manager, includeHidden: true });
    // Authors always find their own posts (to edit or delete them); others only what they may see.
    if (post.authorId !== viewer.userId && !canSeePost(context, post, this.clock.now(), { byId: true }))
      throw new NotFoundError('Post');
    return { post, context };
  }

  private async reload(postId: string): Promise<PostEntity> {
    return this.dataSource.getRepository(PostEntity).findOneByOrFail({ id: postId });
  }
}
