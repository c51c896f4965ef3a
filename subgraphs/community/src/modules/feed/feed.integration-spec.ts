import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  TEST_REDIS_URL,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { createRedis } from '@edugraph/kit';
import { QueueEvents } from 'bullmq';
import { FeedModeration } from './feed-moderation.js';
import {
  SCHEDULED_POST_JOB,
  SCHEDULED_POST_QUEUE,
  startScheduledPostScheduler,
} from './scheduled-post.scheduler.js';
import {
  createPost,
  FEED,
  feedTitles,
  POST,
  REACT,
  CREATE_COMMENT,
  type FeedPage,
  type PostData,
} from './feed.test-kit.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('the community feed', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let reader: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    h = await createCommunityHarness('feed_feed', { now: NOW });
    [owner, moderator, member, reader, outsider] = (await Promise.all(
      Array.from({ length: 5 }, () => h.user()),
    )) as [TestUser, TestUser, TestUser, TestUser, TestUser];
  });
  afterAll(async () => {
    await h?.close();
  });

  async function community(input: Record<string, unknown> = {}): Promise<string> {
    const { id } = await h.community(owner, input);
    await h.member(id, moderator, 'MODERATOR');
    await h.member(id, member, 'MEMBER');
    await h.member(id, reader, 'MEMBER');
    return id;
  }

  async function postAt(communityId: string, at: Date, title: string, extra: Record<string, unknown> = {}) {
    h.clock.set(at);
    try {
      return await createPost(h, member, { communityId, title, body: `<p>${title}</p>`, ...extra });
    } finally {
      h.clock.set(NOW);
    }
  }

  it('pages newest first with keyset cursors that stay stable while posts are added', async () => {
    const id = await community();
    for (let i = 0; i < 7; i += 1) await postAt(id, new Date(NOW.getTime() - (10 - i) * MINUTE), `p${i}`);
    const page = async (after: string | null) =>
      (await h.ok<FeedPage>(FEED, { id, first: 3, after }, reader)).community!.feed;
    const one = await page(null);
    expect(one.edges.map((e) => e.node.title)).toEqual(['p6', 'p5', 'p4']);
    expect(one.pageInfo.hasNextPage).toBe(true);
    // Newer posts arrive between page requests: the next pages neither repeat nor skip anything.
    await postAt(id, new Date(NOW.getTime() - MINUTE), 'new1');
    await postAt(id, new Date(NOW.getTime() - MINUTE), 'new2');
    const two = await page(one.pageInfo.endCursor);
    expect(two.edges.map((e) => e.node.title)).toEqual(['p3', 'p2', 'p1']);
    const three = await page(two.pageInfo.endCursor);
    expect(three.edges.map((e) => e.node.title)).toEqual(['p0']);
    expect(three.pageInfo.hasNextPage).toBe(false);
    expect(await feedTitles(h, reader, { id, first: 2 })).toEqual(expect.arrayContaining(['new1', 'new2']));
  });

  it('ranks TOP by reactions + 2 × comments within the window, filters by tag, and caps pages at 50', async () => {
    const id = await community();
    const old = await postAt(id, new Date(NOW.getTime() - 10 * DAY), 'old but loved', { tags: ['News'] });
    const week = await postAt(id, new Date(NOW.getTime() - 3 * DAY), 'this week', { tags: ['news'] });
    const today = await postAt(id, new Date(NOW.getTime() - HOUR), 'today', { tags: ['misc'] });
    await postAt(id, new Date(NOW.getTime() - 2 * HOUR), 'quiet');
    const react = (postId: string, as: TestUser, emoji: string) =>
      h.ok(REACT, { input: { targetType: 'POST', targetId: postId, emoji } }, as);
    for (const emoji of ['👍', '🎉', '❤️', '🔥']) await react(old.id, reader, emoji);
    await react(week.id, reader, '👍');
    await h.ok(CREATE_COMMENT, { input: { postId: week.id, body: 'nice' } }, reader);
    await react(today.id, reader, '👍');
    await react(today.id, moderator, '👍');

    expect(await feedTitles(h, reader, { id, sort: 'TOP' })).toEqual([
      'old but loved',
      'this week',
      'today',
      'quiet',
    ]);
    expect(await feedTitles(h, reader, { id, sort: 'TOP', window: 'WEEK' })).toEqual([
      'this week',
      'today',
      'quiet',
    ]);
    expect(await feedTitles(h, reader, { id, sort: 'TOP', window: 'DAY' })).toEqual(['today', 'quiet']);
    expect(await feedTitles(h, reader, { id, sort: 'NEW', window: 'WEEK' })).toEqual([
      'today',
      'quiet',
      'this week',
    ]);
    expect(await feedTitles(h, reader, { id, tag: '#NEWS' })).toEqual(['this week', 'old but loved']);
    expect(await feedTitles(h, reader, { id, tag: 'nothing' })).toEqual([]);

    // TOP pages with a (score, publishAt, id) cursor.
    const first = (await h.ok<FeedPage>(FEED, { id, sort: 'TOP', first: 2 }, reader)).community!.feed;
    expect(first.edges.map((e) => [e.node.title, e.node.score])).toEqual([
      ['old but loved', 4],
      ['this week', 3],
    ]);
    expect(
      await feedTitles(h, reader, { id, sort: 'TOP', first: 2, after: first.pageInfo.endCursor }),
    ).toEqual(['today', 'quiet']);
    // A NEW cursor is no TOP cursor; pages beyond 50 and forged cursors are refused.
    const newCursor = (await h.ok<FeedPage>(FEED, { id, first: 1 }, reader)).community!.feed.pageInfo
      .endCursor;
    expect(codes(await h.gql(FEED, { id, sort: 'TOP', after: newCursor }, reader))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await h.gql(FEED, { id, after: 'forged' }, reader))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(FEED, { id, first: 51 }, reader))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(FEED, { id, tag: 'not a tag!' }, reader))).toEqual(['BAD_USER_INPUT']);
  });

  it('follows the access model: private feeds for active members only, banned users read nothing', async () => {
    const privateId = await community({ visibility: 'PRIVATE' });
    const publicId = await community();
    await postAt(privateId, new Date(NOW.getTime() - MINUTE), 'secret');
    const publicPost = await postAt(publicId, new Date(NOW.getTime() - MINUTE), 'open');
    expect(await feedTitles(h, reader, { id: privateId })).toEqual(['secret']);
    expect((await h.ok<FeedPage>(FEED, { id: privateId }, outsider)).community).toBeNull();
    expect((await h.ok<FeedPage>(FEED, { id: privateId }, null)).community).toBeNull();
    expect(await feedTitles(h, null, { id: publicId })).toEqual(['open']);
    expect(await feedTitles(h, outsider, { id: publicId })).toEqual(['open']);
    const banned = await h.user();
    await h.member(publicId, banned, 'MEMBER');
    await h.dataSource.query(
      `UPDATE "community".memberships SET status = 'BANNED' WHERE user_id = $1 AND community_id = $2`,
      [banned.id, publicId],
    );
    const refused = await h.gql(FEED, { id: publicId }, banned);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'BANNED' });
    expect((await h.ok<{ post: unknown }>(POST, { id: publicPost.id }, banned)).post).toBeNull();
    expect((await h.ok<{ post: PostData }>(POST, { id: publicPost.id }, null)).post.title).toBe('open');
  });

  it('publishes scheduled posts at publishAt (the clock in the query), and announces them once through the job', async () => {
    const id = await community();
    const publishAt = new Date(NOW.getTime() + 2 * HOUR);
    const scheduled = await createPost(h, member, {
      communityId: id,
      title: 'later',
      body: 'Coming soon',
      publishAt: publishAt.toISOString(),
    });
    expect(scheduled).toMatchObject({ status: 'SCHEDULED', publishAt: publishAt.toISOString() });
    const announced = async () =>
      (await h.outbox(['community.post.created'])).filter((e) => e.payload['postId'] === scheduled.id);
    expect(await announced()).toEqual([]);
    expect(await feedTitles(h, reader, { id })).toEqual([]);
    expect((await h.ok<{ post: unknown }>(POST, { id: scheduled.id }, reader)).post).toBeNull();
    expect((await h.ok<{ post: PostData }>(POST, { id: scheduled.id }, member)).post.status).toBe(
      'SCHEDULED',
    );
    expect((await h.ok<{ post: PostData }>(POST, { id: scheduled.id }, moderator)).post.status).toBe(
      'SCHEDULED',
    );
    const SCHEDULED = `query($id: ID!) { community(id: $id) { scheduledPosts { edges { node { id title } } } } }`;
    const scheduledOf = async (as: TestUser) =>
      (
        await h.ok<{ community: { scheduledPosts: { edges: { node: { title: string } }[] } } }>(
          SCHEDULED,
          { id },
          as,
        )
      ).community.scheduledPosts.edges.map((e) => e.node.title);
    expect(await scheduledOf(member)).toEqual(['later']);
    expect(await scheduledOf(moderator)).toEqual(['later']);
    expect(await scheduledOf(reader)).toEqual([]);
    // Interacting before publication: NOT_FOUND.
    expect(
      codes(
        await h.gql(REACT, { input: { targetType: 'POST', targetId: scheduled.id, emoji: '👍' } }, reader),
      ),
    ).toEqual(['NOT_FOUND']);

    // A minute early: still hidden, and the job announces nothing.
    h.clock.set(new Date(publishAt.getTime() - MINUTE));
    try {
      expect(await h.services.feed.posts.publishDue()).toBe(0);
      expect(await feedTitles(h, reader, { id })).toEqual([]);
      // At publishAt the query shows it — before the job ran.
      h.clock.set(publishAt);
      expect(await feedTitles(h, reader, { id })).toEqual(['later']);
      expect((await h.ok<{ post: PostData }>(POST, { id: scheduled.id }, reader)).post.status).toBe(
        'PUBLISHED',
      );
      // The job announces it once, however often (and concurrently) it runs.
      const runs = await Promise.all([1, 2, 3].map(() => h.services.feed.posts.publishDue()));
      expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await h.services.feed.posts.publishDue()).toBe(0);
      const events = await announced();
      expect(events).toHaveLength(1);
      expect(events[0]?.payload).toMatchObject({ scheduled: true, publishedAt: publishAt.toISOString() });
    } finally {
      h.clock.set(NOW);
    }
  });

  it('the BullMQ scheduler announces due posts from the database (nothing kept in the queue)', async () => {
    const id = await community();
    const publishAt = new Date(NOW.getTime() + DAY);
    const post = await createPost(h, member, {
      communityId: id,
      title: 'tomorrow',
      body: 'x',
      publishAt: publishAt.toISOString(),
    });
    const prefix = `test-posts-${randomUUID().slice(0, 8)}`;
    const connection = createRedis(TEST_REDIS_URL, { forBullmq: true, name: 'scheduled-posts-test-events' });
    const events = new QueueEvents(SCHEDULED_POST_QUEUE, { connection, prefix });
    const scheduler = await startScheduledPostScheduler({
      redisUrl: TEST_REDIS_URL,
      prefix,
      everyMs: DAY,
      posts: h.services.feed.posts,
      logger: h.services.logger,
    });
    try {
      await events.waitUntilReady();
      // A restarted process upserts the same schedule.
      const again = await startScheduledPostScheduler({
        redisUrl: TEST_REDIS_URL,
        prefix,
        everyMs: DAY,
        posts: h.services.feed.posts,
        logger: h.services.logger,
      });
      expect(await scheduler.queue.getJobSchedulersCount()).toBe(1);
      await again.stop();
      // The worker reads the services' clock: before publishAt nothing is due.
      const early = await scheduler.queue.add(SCHEDULED_POST_JOB, {});
      expect(await early.waitUntilFinished(events, 20_000)).toEqual({ published: 0 });
      h.clock.set(publishAt);
      const due = await scheduler.queue.add(SCHEDULED_POST_JOB, {});
      expect(await due.waitUntilFinished(events, 20_000)).toEqual({ published: 1 });
      const announced = (await h.outbox(['community.post.created'])).filter(
        (e) => e.payload['postId'] === post.id,
      );
      expect(announced).toHaveLength(1);
    } finally {
      h.clock.set(NOW);
      await scheduler.queue.obliterate({ force: true }).catch(() => undefined);
      await scheduler.stop();
      await events.close();
      await connection.quit().catch(() => undefined);
    }
  });

  it('shows moderated posts only to moderators and their authors; REMOVED ones by id to moderators only', async () => {
    const id = await community();
    const suppressed = await postAt(id, new Date(NOW.getTime() - 2 * MINUTE), 'suppressed');
    const removed = await postAt(id, new Date(NOW.getTime() - MINUTE), 'removed');
    await postAt(id, new Date(NOW.getTime() - 3 * MINUTE), 'fine');
    await h.dataSource.transaction(async (manager) => {
      await FeedModeration.setState(manager, { targetType: 'POST', targetId: suppressed.id }, 'SUPPRESSED');
      await FeedModeration.setState(manager, { targetType: 'POST', targetId: removed.id }, 'REMOVED');
    });
    expect(await feedTitles(h, reader, { id })).toEqual(['fine']);
    expect(await feedTitles(h, member, { id })).toEqual(['suppressed', 'fine']);
    expect(await feedTitles(h, moderator, { id })).toEqual(['suppressed', 'fine']);
    const byId = async (postId: string, as: TestUser) =>
      (await h.ok<{ post: PostData | null }>(POST, { id: postId }, as)).post?.moderationState ?? null;
    expect(await byId(suppressed.id, reader)).toBeNull();
    expect(await byId(suppressed.id, member)).toBe('SUPPRESSED');
    expect(await byId(removed.id, member)).toBeNull();
    expect(await byId(removed.id, moderator)).toBe('REMOVED');
    await expect(
      h.dataSource.transaction((manager) =>
        FeedModeration.setState(manager, { targetType: 'POST', targetId: randomUUID() }, 'VISIBLE'),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('ACCEPTANCE: a page of posts with authors, reaction counts, comment counts and the viewer’s reactions costs the same bounded number of SQL statements for 5 and 20 posts', async () => {
    const PAGE = `query($id: ID!, $first: Int) { community(id: $id) { feed(first: $first) { edges { node {
      id title body locked author { id } commentCount reactionCount reactions { emoji count } viewerReactions
      viewerCanDelete attachments { id } poll { mode options { label voteCount } viewerVoteOptionIds }
    } } } } }`;
    const measure = async (count: number) => {
      const id = await community();
      const { id: tierId } = (
        (await h.dataSource.query(
          `INSERT INTO "community".paywall_tiers (id, community_id, name, rank, created_by_id)
           VALUES ($1, $2, 'Gold', 1, $3) RETURNING id`,
          [randomUUID(), id, owner.id],
        )) as { id: string }[]
      )[0]!;
      for (let i = 0; i < count; i += 1) {
        const post = await postAt(id, new Date(NOW.getTime() - (count - i) * MINUTE), `post ${i}`, {
          ...(i % 3 === 0 ? { poll: { options: ['yes', 'no'] } } : {}),
        });
        await h.ok(REACT, { input: { targetType: 'POST', targetId: post.id, emoji: '👍' } }, reader);
        await h.ok(REACT, { input: { targetType: 'POST', targetId: post.id, emoji: '🎉' } }, moderator);
        await h.ok(CREATE_COMMENT, { input: { postId: post.id, body: 'hi' } }, moderator);
        // Every fourth post is gated (after the reader reacted): locked for the reader.
        if (i % 4 === 0)
          await h.dataSource.query(`UPDATE "community".posts SET required_tier_id = $2 WHERE id = $1`, [
            post.id,
            tierId,
          ]);
      }
      h.counter.reset();
      const data = await h.ok<{
        community: {
          feed: {
            edges: {
              node: {
                author: { id: string };
                commentCount: number;
                reactions: { emoji: string; count: number }[];
                viewerReactions: string[];
                locked: boolean;
              };
            }[];
          };
        };
      }>(PAGE, { id, first: 20 }, reader);
      const queries = h.counter.count;
      const nodes = data.community.feed.edges.map((e) => e.node);
      expect(nodes).toHaveLength(count);
      for (const node of nodes) {
        expect(node.author.id).toBe(member.id);
        expect(node.commentCount).toBe(1);
        expect(node.reactions).toHaveLength(2);
        expect(node.reactions).toEqual(
          expect.arrayContaining([
            { emoji: '👍', count: 1 },
            { emoji: '🎉', count: 1 },
          ]),
        );
        expect(node.viewerReactions).toEqual(['👍']);
      }
      expect(nodes.filter((n) => n.locked)).toHaveLength(Math.ceil(count / 4));
      return queries;
    };
    const five = await measure(5);
    const twenty = await measure(20);
    expect(twenty).toBe(five);
    // `community(id)` (community and membership), then once for the whole page: pinned posts, the page,
    // the access loaders (community, membership), reaction counts, viewer reactions, granted tiers,
    // polls, poll options, viewer votes.
    expect(five).toBe(12);
  });
});
