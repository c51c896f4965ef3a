import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { FeedModeration } from './feed-moderation.js';
import { CREATE_COMMENT, createPost, DELETE_COMMENT, feedState, UPDATE_COMMENT } from './feed.test-kit.js';

const NOW = new Date('2025-07-01T08:00:00Z');

type Thread = {
  post: {
    commentCount: number;
    comments: {
      edges: {
        cursor: string;
        node: {
          id: string;
          body: string;
          depth: number;
          replyCount: number;
          moderationState: string;
          replies: {
            edges: { node: { id: string; body: string; replies: { edges: { node: { body: string } }[] } } }[];
          };
        };
      }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    } | null;
  } | null;
};

const THREAD = `query($id: ID!, $first: Int, $after: String) { post(id: $id) { commentCount
  comments(first: $first, after: $after) {
    edges { cursor node { id body depth replyCount moderationState
      replies { edges { node { id body replies { edges { node { body } } } } } } } }
    pageInfo { hasNextPage endCursor } } } }`;

describe('comments', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let other: TestUser;
  let muted: TestUser;
  let outsider: TestUser;
  let communityId: string;
  let privateId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('feed_comments', { now: NOW });
    [owner, moderator, member, other, muted, outsider] = (await Promise.all(
      Array.from({ length: 6 }, () => h.user()),
    )) as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
    communityId = (await h.community(owner)).id;
    privateId = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    for (const id of [communityId, privateId]) {
      await h.member(id, moderator, 'MODERATOR');
      await h.member(id, member, 'MEMBER');
      await h.member(id, other, 'MEMBER');
      await h.member(id, muted, 'MEMBER', { mutedUntil: new Date(NOW.getTime() + 3_600_000) });
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  const comment = async (as: TestUser, postId: string, body: string, parentId?: string) => {
    const data = await h.ok<{
      createComment: { comment: { id: string; depth: number }; post: { commentCount: number } };
    }>(CREATE_COMMENT, { input: { postId, body, ...(parentId ? { parentId } : {}) } }, as);
    return data.createComment;
  };

  it('threads replies three levels deep, oldest first, with counts kept in the post row', async () => {
    const post = await createPost(h, member, { communityId, body: 'Discuss' });
    const at = (s: number) => h.clock.set(new Date(NOW.getTime() + s * 1000));
    try {
      at(1);
      const first = await comment(other, post.id, '<p>first <b>@member</b></p><img src=x onerror=alert(1)>');
      expect(first.post.commentCount).toBe(1);
      at(2);
      const second = await comment(member, post.id, 'second');
      at(3);
      const reply = await comment(member, post.id, 'reply', first.comment.id);
      at(4);
      const nested = await comment(other, post.id, 'nested', reply.comment.id);
      expect([reply.comment.depth, nested.comment.depth]).toEqual([1, 2]);
      const before = await feedState(h);
      const tooDeep = await h.gql(
        CREATE_COMMENT,
        { input: { postId: post.id, parentId: nested.comment.id, body: 'too deep' } },
        member,
      );
      expect(tooDeep.errors?.[0]?.extensions).toMatchObject({ code: 'COMMENT_TOO_DEEP', maxDepth: 3 });
      // A parent from another post, a missing post, bad bodies: typed errors, nothing changes.
      const elsewhere = await createPost(h, member, { communityId, body: 'Other post' });
      const stateWithElsewhere = await feedState(h);
      expect(
        codes(
          await h.gql(
            CREATE_COMMENT,
            { input: { postId: elsewhere.id, parentId: first.comment.id, body: 'x' } },
            member,
          ),
        ),
      ).toEqual(['NOT_FOUND']);
      expect(
        codes(await h.gql(CREATE_COMMENT, { input: { postId: randomUUID(), body: 'x' } }, member)),
      ).toEqual(['NOT_FOUND']);
      expect(codes(await h.gql(CREATE_COMMENT, { input: { postId: post.id, body: '  ' } }, member))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(
        codes(await h.gql(CREATE_COMMENT, { input: { postId: post.id, body: 'y'.repeat(4_001) } }, member)),
      ).toEqual(['BAD_USER_INPUT']);
      expect(await feedState(h)).toEqual(stateWithElsewhere);
      expect(before.comments).toBe(stateWithElsewhere.comments);

      const thread = (await h.ok<Thread>(THREAD, { id: post.id }, outsider)).post!;
      expect(thread.commentCount).toBe(4);
      expect(
        thread.comments!.edges.map((e) => [
          e.node.body,
          e.node.replyCount,
          e.node.replies.edges.map((r) => [r.node.body, r.node.replies.edges.map((n) => n.node.body)]),
        ]),
      ).toEqual([
        ['<p>first <b>@member</b></p>', 1, [['reply', ['nested']]]],
        ['second', 0, []],
      ]);
      // Oldest first, capped pages with cursors.
      const page = (await h.ok<Thread>(THREAD, { id: post.id, first: 1 }, member)).post!.comments!;
      expect(page.edges.map((e) => e.node.id)).toEqual([first.comment.id]);
      expect(page.pageInfo.hasNextPage).toBe(true);
      const next = (
        await h.ok<Thread>(THREAD, { id: post.id, first: 1, after: page.pageInfo.endCursor }, member)
      ).post!.comments!;
      expect(next.edges.map((e) => e.node.id)).toEqual([second.comment.id]);
      expect(next.pageInfo.hasNextPage).toBe(false);
      expect(codes(await h.gql(THREAD, { id: post.id, first: 101 }, member))).toEqual(['BAD_USER_INPUT']);

      const events = (await h.outbox(['community.comment.created'])).filter(
        (e) => e.payload['postId'] === post.id,
      );
      expect(
        events.map((e) => [e.payload['commentId'], e.payload['parentId'], e.payload['parentAuthorId']]),
      ).toEqual([
        [first.comment.id, null, null],
        [second.comment.id, null, null],
        [reply.comment.id, first.comment.id, other.id],
        [nested.comment.id, reply.comment.id, member.id],
      ]);
      expect(events[0]?.payload).toMatchObject({
        postAuthorId: member.id,
        authorId: other.id,
        mentionHandles: ['member'],
      });

      // Deleting a comment takes its replies with it; the counts follow in the same transaction.
      const deleted = await h.ok<{ deleteComment: { post: { commentCount: number } } }>(
        DELETE_COMMENT,
        { input: { commentId: reply.comment.id } },
        member,
      );
      expect(deleted.deleteComment.post.commentCount).toBe(2);
      const after = (await h.ok<Thread>(THREAD, { id: post.id }, member)).post!;
      expect(after.comments!.edges.map((e) => [e.node.body, e.node.replyCount])).toEqual([
        ['<p>first <b>@member</b></p>', 0],
        ['second', 0],
      ]);
      expect(codes(await h.gql(DELETE_COMMENT, { input: { commentId: nested.comment.id } }, other))).toEqual([
        'NOT_FOUND',
      ]);
    } finally {
      h.clock.set(NOW);
    }
  });

  it('keeps the comment count exact under concurrent comments', async () => {
    const post = await createPost(h, member, { communityId, body: 'Busy thread' });
    const parent = await comment(member, post.id, 'root');
    const writers = [member, other, moderator, owner];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        comment(writers[i % 4]!, post.id, `c${i}`, i % 2 ? parent.comment.id : undefined),
      ),
    );
    const [row] = (await h.dataSource.query(
      `SELECT p.comment_count, (SELECT count(*)::int FROM "community".comments c WHERE c.post_id = p.id) AS real,
              (SELECT reply_count FROM "community".comments WHERE id = $2) AS replies
         FROM "community".posts p WHERE p.id = $1`,
      [post.id, parent.comment.id],
    )) as { comment_count: number; real: number; replies: number }[];
    expect(row).toEqual({ comment_count: 25, real: 25, replies: 12 });
  });

  it('edits by the author only; deletes by the author or POST_MODERATE; denials change nothing', async () => {
    const post = await createPost(h, member, { communityId: privateId, body: 'Private discussion' });
    const mine = await comment(member, post.id, 'mine');
    const theirs = await comment(other, post.id, 'theirs');
    const before = await feedState(h);
    const create = (as: TestUser | null) =>
      h.gql(CREATE_COMMENT, { input: { postId: post.id, body: 'x' } }, as);
    expect(codes(await create(null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await create(outsider))).toEqual(['NOT_FOUND']);
    const mutedAttempt = await create(muted);
    expect(mutedAttempt.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'MUTED',
      permission: 'COMMENT_CREATE',
    });
    const edit = (as: TestUser | null, commentId = mine.comment.id) =>
      h.gql(UPDATE_COMMENT, { input: { commentId, body: 'edited' } }, as);
    expect(codes(await edit(null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await edit(outsider))).toEqual(['NOT_FOUND']);
    expect((await edit(other)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_AUTHOR',
    });
    expect((await edit(moderator)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_AUTHOR',
    });
    expect(
      codes(await h.gql(UPDATE_COMMENT, { input: { commentId: mine.comment.id, body: '' } }, member)),
    ).toEqual(['BAD_USER_INPUT']);
    const del = (as: TestUser | null, commentId: string) =>
      h.gql(DELETE_COMMENT, { input: { commentId } }, as);
    expect(codes(await del(null, theirs.comment.id))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await del(outsider, theirs.comment.id))).toEqual(['NOT_FOUND']);
    expect((await del(member, theirs.comment.id)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_AUTHOR',
    });
    expect(await feedState(h)).toEqual(before);

    h.clock.set(new Date(NOW.getTime() + 5_000));
    try {
      const edited = await h.ok<{ updateComment: { comment: { body: string; editedAt: string } } }>(
        UPDATE_COMMENT,
        { input: { commentId: mine.comment.id, body: '<p>edited</p><style>x</style>' } },
        member,
      );
      expect(edited.updateComment.comment).toEqual({
        id: mine.comment.id,
        body: '<p>edited</p>',
        editedAt: new Date(NOW.getTime() + 5_000).toISOString(),
      });
    } finally {
      h.clock.set(NOW);
    }
    const removed = await h.ok<{ deleteComment: { post: { commentCount: number } } }>(
      DELETE_COMMENT,
      { input: { commentId: theirs.comment.id } },
      moderator,
    );
    expect(removed.deleteComment.post.commentCount).toBe(1);
  });

  it('lists moderated comments only to moderators and their authors, and counts VISIBLE ones', async () => {
    const post = await createPost(h, member, { communityId, body: 'Moderated thread' });
    const flagged = await comment(other, post.id, 'flagged');
    h.clock.set(new Date(NOW.getTime() + 1_000));
    await comment(member, post.id, 'fine').finally(() => h.clock.set(NOW));
    await h.dataSource.transaction((manager) =>
      FeedModeration.setState(
        manager,
        { targetType: 'COMMENT', targetId: flagged.comment.id },
        'PENDING_REVIEW',
      ),
    );
    const bodies = async (as: TestUser) =>
      (await h.ok<Thread>(THREAD, { id: post.id }, as)).post!.comments!.edges.map((e) => [
        e.node.body,
        e.node.moderationState,
      ]);
    expect(await bodies(member)).toEqual([['fine', 'VISIBLE']]);
    expect(await bodies(other)).toEqual([
      ['flagged', 'PENDING_REVIEW'],
      ['fine', 'VISIBLE'],
    ]);
    expect(await bodies(moderator)).toEqual([
      ['flagged', 'PENDING_REVIEW'],
      ['fine', 'VISIBLE'],
    ]);
    expect((await h.ok<Thread>(THREAD, { id: post.id }, member)).post!.commentCount).toBe(1);
    // Back to VISIBLE: counted again; REMOVED: listed to nobody.
    await h.dataSource.transaction((manager) =>
      FeedModeration.setState(manager, { targetType: 'COMMENT', targetId: flagged.comment.id }, 'VISIBLE'),
    );
    expect((await h.ok<Thread>(THREAD, { id: post.id }, member)).post!.commentCount).toBe(2);
    await h.dataSource.transaction((manager) =>
      FeedModeration.setState(manager, { targetType: 'COMMENT', targetId: flagged.comment.id }, 'REMOVED'),
    );
    expect(await bodies(moderator)).toEqual([['fine', 'VISIBLE']]);
    expect((await h.ok<Thread>(THREAD, { id: post.id }, member)).post!.commentCount).toBe(1);
  });
});
