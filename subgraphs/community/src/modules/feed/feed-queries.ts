import { BadUserInputError, encodeCursor, pageSize, type Connection, type Edge } from '@edugraph/kit';
import { In, type DataSource, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { COMMUNITY_SCHEMA } from '../../environment.js';
import { isUuid } from '../../common/validation.js';
import {
  CommentEntity,
  CommunityCourseEntity,
  PollEntity,
  PollOptionEntity,
  PostEntity,
  ResourceEntity,
  type ReactionTargetType,
} from './feed.entity.js';

const S = `"${COMMUNITY_SCHEMA}"`;

/** Feed pages hold at most 50 posts (plus the pinned ones on the first page). */
export const FEED_MAX_PAGE = 50;
/** Pinned posts per community (all shown on a feed's first page). */
export const MAX_PINNED = 5;
export const COMMENT_MAX_PAGE = 100;

export type FeedSort = 'NEW' | 'TOP';
export type FeedWindow = 'DAY' | 'WEEK' | 'MONTH' | 'ALL';

const WINDOW_MS: Record<FeedWindow, number | null> = {
  DAY: 86_400_000,
  WEEK: 7 * 86_400_000,
  MONTH: 30 * 86_400_000,
  ALL: null,
};

/** Who reads (decides which moderation states and scheduled posts are listed). */
export type Reader = { viewerId: string | null; moderator: boolean };

export type FeedRequest = Reader & {
  communityId: string;
  sort: FeedSort;
  window: FeedWindow;
  tag: string | null;
  first: number | null;
  after: string | null;
  now: Date;
};

export type CommentPageKey = Reader & {
  postId: string;
  /** null: top-level comments of the post. */
  parentId: string | null;
  first: number;
  after: string | null;
};

export type ReactionCountRow = { targetKey: string; emoji: string; count: number };

type Cursor =
  | { kind: 'P' }
  | { kind: 'N'; publishAt: string; id: string }
  | { kind: 'T'; score: number; publishAt: string; id: string };

function decodeFeedCursor(cursor: string, sort: FeedSort): Cursor {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = null;
  }
  if (Array.isArray(values)) {
    const [kind, a, b, c] = values as unknown[];
    if (kind === 'P' && values.length === 2 && typeof a === 'string') return { kind: 'P' };
    if (
      kind === 'N' &&
      sort === 'NEW' &&
      values.length === 3 &&
      typeof a === 'string' &&
      !Number.isNaN(Date.parse(a)) &&
      typeof b === 'string' &&
      isUuid(b)
    )
      return { kind: 'N', publishAt: a, id: b };
    if (
      kind === 'T' &&
      sort === 'TOP' &&
      values.length === 4 &&
      Number.isInteger(a) &&
      typeof b === 'string' &&
      !Number.isNaN(Date.parse(b)) &&
      typeof c === 'string' &&
      isUuid(c)
    )
      return { kind: 'T', score: a as number, publishAt: b, id: c };
  }
  throw new BadUserInputError('The cursor is not valid for this feed.', 'after');
}

function decodePair(cursor: string): [string, string] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === 2 &&
      typeof values[0] === 'string' &&
      !Number.isNaN(Date.parse(values[0])) &&
      typeof values[1] === 'string' &&
      isUuid(values[1])
    )
      return [values[0], values[1]];
  } catch {
    // fall through
  }
  throw new BadUserInputError('The cursor is not valid.', 'after');
}

/** Maps raw snake_case rows (from hand-written SQL) onto entities through the TypeORM metadata. */
function mapper<T extends ObjectLiteral>(dataSource: DataSource, target: EntityTarget<T>) {
  const columns = dataSource.getMetadata(target).columns;
  const create = () => dataSource.getMetadata(target).create() as T;
  return (row: Record<string, unknown>): T => {
    const entity = create() as Record<string, unknown>;
    for (const column of columns) entity[column.propertyName] = row[column.databaseName];
    return entity as T;
  };
}

/** SQL of "this reader may see this post/comment in a list" (see feed-access.ts), for alias `x`. */
function visibleState(alias: string): string {
  return `(${alias}.moderation_state = 'VISIBLE'
    OR (${alias}.moderation_state <> 'REMOVED' AND (CAST(:moderator AS boolean) OR ${alias}.author_id = CAST(:viewerId AS uuid))))`;
}

function page<T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => string,
  after: string | null,
): Connection<T> {
  const edges: Edge<T>[] = rows.slice(0, limit).map((node) => ({ node, cursor: cursorOf(node) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Reads of the feed module (pages in one statement each; relations batched by the loaders). */
export class FeedQueries {
  private readonly toPost: (row: Record<string, unknown>) => PostEntity;
  private readonly toComment: (row: Record<string, unknown>) => CommentEntity;

  constructor(private readonly dataSource: DataSource) {
    this.toPost = mapper(dataSource, PostEntity);
    this.toComment = mapper(dataSource, CommentEntity);
  }

  // --- by id (loaders) ---

  async postsByIds(ids: readonly string[], manager?: EntityManager): Promise<PostEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return (manager ?? this.dataSource.manager).getRepository(PostEntity).findBy({ id: In(valid) });
  }

  async commentsByIds(ids: readonly string[]): Promise<CommentEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(CommentEntity).findBy({ id: In(valid) });
  }

  async pollsByPostIds(ids: readonly string[]): Promise<PollEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(PollEntity).findBy({ postId: In(valid) });
  }

  async pollOptionsByPostIds(ids: readonly string[]): Promise<PollOptionEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource
      .getRepository(PollOptionEntity)
      .find({ where: { postId: In(valid) }, order: { postId: 'ASC', position: 'ASC' } });
  }

  /** Keys `postId|userId` → the option ids the user voted for. */
  async pollVotesByKeys(keys: readonly string[]): Promise<Map<string, string[]>> {
    const pairs = keys.map((k) => k.split('|')).filter((p) => p.length === 2 && p.every(isUuid));
    const votes = new Map<string, string[]>();
    if (pairs.length === 0) return votes;
    const rows: { post_id: string; user_id: string; option_id: string }[] = await this.dataSource.query(
      `SELECT v.post_id, v.user_id, v.option_id FROM ${S}.poll_votes v
         JOIN ${S}.poll_options o ON o.id = v.option_id
        WHERE (v.post_id, v.user_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[]))
        ORDER BY o.position`,
      [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
    );
    for (const row of rows) {
      const key = `${row.post_id}|${row.user_id}`;
      votes.set(key, [...(votes.get(key) ?? []), row.option_id]);
    }
    return votes;
  }

  /** Keys `TYPE|targetId` → per-emoji counts, most used first (then first used). */
  async reactionCounts(keys: readonly string[]): Promise<ReactionCountRow[]> {
    const pairs = keys.map((k) => k.split('|')).filter((p) => p.length === 2 && isUuid(p[1] as string));
    if (pairs.length === 0) return [];
    const rows: { target_type: string; target_id: string; emoji: string; count: number }[] =
      await this.dataSource.query(
        `SELECT target_type, target_id, emoji, count FROM ${S}.reaction_counts
          WHERE (target_type, target_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[])) AND count > 0
          ORDER BY count DESC, first_at, emoji`,
        [pairs.map((p) => p[0]), pairs.map((p) => p[1])],
      );
    return rows.map((r) => ({
      targetKey: `${r.target_type}|${r.target_id}`,
      emoji: r.emoji,
      count: r.count,
    }));
  }

  /** Keys `TYPE|targetId|userId` → the user's emojis on the target (in the order they were added). */
  async viewerReactions(keys: readonly string[]): Promise<Map<string, string[]>> {
    const triples = keys
      .map((k) => k.split('|'))
      .filter((p) => p.length === 3 && isUuid(p[1] as string) && isUuid(p[2] as string));
    const result = new Map<string, string[]>();
    if (triples.length === 0) return result;
    const rows: { target_type: ReactionTargetType; target_id: string; user_id: string; emoji: string }[] =
      await this.dataSource.query(
        `SELECT target_type, target_id, user_id, emoji FROM ${S}.reactions
          WHERE (target_type, target_id, user_id) IN (SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[]))
          ORDER BY created_at, emoji`,
        [triples.map((t) => t[0]), triples.map((t) => t[1]), triples.map((t) => t[2])],
      );
    for (const row of rows) {
      const key = `${row.target_type}|${row.target_id}|${row.user_id}`;
      result.set(key, [...(result.get(key) ?? []), row.emoji]);
    }
    return result;
  }

  // --- the feed ---

  /**
   * One feed page. The first page (no `after`) starts with the pinned posts (newest pin first, at most
   * `MAX_PINNED`, any window), then `first` other posts: NEW by `publishAt` then id, newest first; TOP by
   * score (reactions + 2 × comments), then `publishAt`, then id — both keyset-paged (a cursor is the last
   * post's sort key, so posts published meanwhile never shift a later page). Only published posts
   * (`publishAt` ≤ now), not deleted, in the states the reader may see (feed-access.ts).
   */
  async feed(request: FeedRequest): Promise<Connection<PostEntity>> {
    const limit = pageSize(request.first, FEED_MAX_PAGE);
    const cursor = request.after ? decodeFeedCursor(request.after, request.sort) : null;
    const params: Record<string, unknown> = {
      communityId: request.communityId,
      now: request.now,
      moderator: request.moderator,
      viewerId: request.viewerId,
      tag: request.tag,
    };
    const base = () => {
      const qb = this.dataSource
        .getRepository(PostEntity)
        .createQueryBuilder('p')
        .where('p.community_id = :communityId AND p.deleted_at IS NULL AND p.publish_at <= :now')
        .andWhere(visibleState('p'))
        .setParameters(params);
      if (request.tag) qb.andWhere('p.tags @> ARRAY[CAST(:tag AS text)]');
      return qb;
    };
    const pinned =
      cursor === null
        ? await base()
            .andWhere('p.pinned_at IS NOT NULL')
            .orderBy('p.pinned_at', 'DESC')
            .addOrderBy('p.id', 'DESC')
            .take(MAX_PINNED)
            .getMany()
        : [];
    const qb = base().andWhere('p.pinned_at IS NULL');
    const windowMs = WINDOW_MS[request.window];
    if (windowMs !== null)
      qb.andWhere('p.publish_at > :since', { since: new Date(request.now.getTime() - windowMs) });
    if (request.sort === 'TOP') {
      if (cursor?.kind === 'T')
        qb.andWhere('(p.score, p.publish_at, p.id) < (:score, CAST(:publishAt AS timestamptz), :id)', cursor);
      qb.orderBy('p.score', 'DESC').addOrderBy('p.publish_at', 'DESC').addOrderBy('p.id', 'DESC');
    } else {
      if (cursor?.kind === 'N')
        qb.andWhere('(p.publish_at, p.id) < (CAST(:publishAt AS timestamptz), :id)', cursor);
      qb.orderBy('p.publish_at', 'DESC').addOrderBy('p.id', 'DESC');
    }
    const rows = await qb.take(limit + 1).getMany();
    const regular = page(
      rows,
      limit,
      (p) =>
        request.sort === 'TOP'
          ? encodeCursor(['T', p.score, p.publishAt.toISOString(), p.id])
          : encodeCursor(['N', p.publishAt.toISOString(), p.id]),
      request.after,
    );
    const pinnedEdges = pinned.map((node) => ({ node, cursor: encodeCursor(['P', node.id]) }));
    const edges = [...pinnedEdges, ...regular.edges];
    return {
      edges,
      pageInfo: {
        ...regular.pageInfo,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  /** Scheduled (not yet visible) posts: the author's own, or every one for POST_MODERATE; soonest first. */
  async scheduled(
    communityId: string,
    reader: Reader,
    now: Date,
    args: { first: number | null; after: string | null },
  ): Promise<Connection<PostEntity>> {
    const limit = pageSize(args.first, FEED_MAX_PAGE);
    const qb = this.dataSource
      .getRepository(PostEntity)
      .createQueryBuilder('p')
      .where('p.community_id = :communityId AND p.deleted_at IS NULL AND p.publish_at > :now', {
        communityId,
        now,
      });
    if (!reader.moderator) qb.andWhere('p.author_id = :viewerId', { viewerId: reader.viewerId });
    if (args.after) {
      const [publishAt, id] = decodePair(args.after);
      qb.andWhere('(p.publish_at, p.id) > (CAST(:publishAt AS timestamptz), :id)', { publishAt, id });
    }
    const rows = await qb
      .orderBy('p.publish_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .take(limit + 1)
      .getMany();
    return page(rows, limit, (p) => encodeCursor([p.publishAt.toISOString(), p.id]), args.after);
  }

  // --- comments ---

  /**
   * Pages of comments for many posts (top level) or many parents (replies) in one statement per page
   * shape: oldest first, keyset by (createdAt, id); deleted comments and states the reader may not see
   * are left out.
   */
  async commentPages(keys: readonly CommentPageKey[]): Promise<Connection<CommentEntity>[]> {
    const shapes = new Map<string, CommentPageKey[]>();
    for (const key of keys) {
      const shape = JSON.stringify([
        key.parentId === null,
        key.first,
        key.after,
        key.viewerId,
        key.moderator,
      ]);
      shapes.set(shape, [...(shapes.get(shape) ?? []), key]);
    }
    const results = new Map<CommentPageKey, Connection<CommentEntity>>();
    for (const group of shapes.values()) {
      const [{ parentId, first, after, viewerId, moderator }] = group as [CommentPageKey];
      const topLevel = parentId === null;
      const ids = [...new Set(group.map((k) => (topLevel ? k.postId : (k.parentId as string))))].filter(
        isUuid,
      );
      const params: unknown[] = [ids, first + 1, moderator, viewerId];
      let cursorSql = '';
      if (after) {
        const [createdAt, id] = decodePair(after);
        params.push(createdAt, id);
        cursorSql = 'AND (c.created_at, c.id) > ($5::timestamptz, $6::uuid)';
      }
      const partition = topLevel ? 'c.post_id' : 'c.parent_id';
      const rows: Record<string, unknown>[] =
        ids.length === 0
          ? []
          : await this.dataSource.query(
              `SELECT * FROM (
                 SELECT c.*, row_number() OVER (PARTITION BY ${partition} ORDER BY c.created_at, c.id) AS rn
                   FROM ${S}.comments c
                  WHERE ${partition} = ANY($1::uuid[]) ${topLevel ? 'AND c.parent_id IS NULL' : ''}
                    AND c.deleted_at IS NULL
                    AND (c.moderation_state = 'VISIBLE'
                      OR (c.moderation_state <> 'REMOVED' AND ($3::boolean OR c.author_id = $4::uuid)))
                    ${cursorSql}
               ) t WHERE t.rn <= $2 ORDER BY t.created_at, t.id`,
              params,
            );
      const comments = rows.map(this.toComment);
      for (const key of group) {
        const own = comments.filter((c) =>
          topLevel ? c.postId === key.postId : c.parentId === key.parentId,
        );
        results.set(
          key,
          page(own, first, (c) => encodeCursor([c.createdAt.toISOString(), c.id]), after),
        );
      }
    }
    return keys.map((k) => results.get(k) as Connection<CommentEntity>);
  }

  // --- resources and classroom ---

  /** Resources of a community, newest first (optionally one folder). */
  async resources(
    communityId: string,
    folder: string | null,
    args: { first: number | null; after: string | null },
  ): Promise<Connection<ResourceEntity>> {
    const limit = pageSize(args.first);
    const qb = this.dataSource
      .getRepository(ResourceEntity)
      .createQueryBuilder('r')
      .where('r.community_id = :communityId', { communityId });
    if (folder !== null) qb.andWhere('r.folder = :folder', { folder });
    if (args.after) {
      const [createdAt, id] = decodePair(args.after);
      qb.andWhere('(r.created_at, r.id) < (CAST(:createdAt AS timestamptz), :id)', { createdAt, id });
    }
    const rows = await qb
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .take(limit + 1)
      .getMany();
    return page(rows, limit, (r) => encodeCursor([r.createdAt.toISOString(), r.id]), args.after);
  }

  /** The folders in use, alphabetically (at most 200). */
  async resourceFolders(communityId: string): Promise<string[]> {
    const rows: { folder: string }[] = await this.dataSource.query(
      `SELECT DISTINCT folder FROM ${S}.resources WHERE community_id = $1 AND folder IS NOT NULL
        ORDER BY folder LIMIT 200`,
      [communityId],
    );
    return rows.map((r) => r.folder);
  }

  async resourcesByIds(ids: readonly string[]): Promise<ResourceEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(ResourceEntity).findBy({ id: In(valid) });
  }

  /** The classroom: linked courses by position. */
  async classroom(
    communityId: string,
    args: { first: number | null; after: string | null },
  ): Promise<Connection<CommunityCourseEntity>> {
    const limit = pageSize(args.first);
    const qb = this.dataSource
      .getRepository(CommunityCourseEntity)
      .createQueryBuilder('cc')
      .where('cc.community_id = :communityId', { communityId });
    if (args.after) {
      let position: unknown = null;
      let courseId: unknown = null;
      try {
        [position, courseId] = JSON.parse(Buffer.from(args.after, 'base64url').toString('utf8')) as unknown[];
      } catch {
        // checked below
      }
      if (!Number.isInteger(position) || typeof courseId !== 'string' || !isUuid(courseId))
        throw new BadUserInputError('The cursor is not valid.', 'after');
      qb.andWhere('(cc.position, cc.course_id) > (:position, :courseId)', { position, courseId });
    }
    const rows = await qb
      .orderBy('cc.position', 'ASC')
      .addOrderBy('cc.course_id', 'ASC')
      .take(limit + 1)
      .getMany();
    return page(rows, limit, (r) => encodeCursor([r.position, r.courseId]), args.after);
  }
}
