import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import type { PointsChange } from './points.service.js';
import { LEADERBOARD_PERIODS, type LeaderboardPeriod } from './leaderboard.service.js';
import { LEADERBOARD_METRICS, LeaderboardStore, type LeaderboardMetric } from './leaderboard.store.js';

const NOW = new Date('2026-05-20T12:00:00Z');

let h: CommunityHarness;
let owner: TestUser;

beforeAll(async () => {
  h = await createCommunityHarness('engagement_leaderboards', { now: NOW });
  owner = await h.user();
});

afterAll(async () => {
  await flushRedis();
  await h?.close();
});

async function flushRedis(): Promise<void> {
  const keys = await h.redis.keys(`${h.services.engagement.keyPrefix}:*`);
  if (keys.length > 0) await h.redis.del(...keys);
}

async function setup(size: number): Promise<{ id: string; users: TestUser[] }> {
  h.clock.set(NOW);
  const { id } = await h.community(owner);
  const users: TestUser[] = [];
  for (let i = 0; i < size; i += 1) {
    const user = await h.user();
    await h.member(id, user);
    users.push(user);
  }
  return { id, users };
}

/** Applies a change as the consumer or a moderator would (after the commit the Redis sets follow). */
async function give(
  communityId: string,
  user: TestUser,
  points: number,
  at: string,
  extra: Partial<PointsChange> = {},
): Promise<void> {
  await h.dataSource.transaction((manager) =>
    h.services.engagement.points.apply(
      manager,
      {
        communityId,
        userId: user.id,
        reason: extra.attendance ? 'EVENT_ATTENDED' : 'POST_CREATED',
        points,
        sourceKey: `test:${randomUUID()}`,
        occurredAt: new Date(at),
        ...extra,
      },
      'UTC',
    ),
  );
}

const BOARD = `query($id: ID!, $period: LeaderboardPeriod!, $metric: LeaderboardMetric!, $first: Int) {
  community(id: $id) {
    leaderboard(period: $period, metric: $metric, first: $first) {
      period metric from to
      entries { rank score user { id } membership { id points level streak { current longest } } }
    }
  }
}`;

type Board = {
  from: string | null;
  to: string | null;
  entries: { rank: number; score: number; user: { id: string }; membership: { points: number } }[];
};

async function board(
  id: string,
  period: LeaderboardPeriod,
  metric: LeaderboardMetric,
  first = 100,
  as: TestUser | null = owner,
): Promise<Board> {
  const data = await h.ok<{ community: { leaderboard: Board } }>(BOARD, { id, period, metric, first }, as);
  return data.community.leaderboard;
}

/** [userId, score, rank] rows of a board. */
async function rows(id: string, period: LeaderboardPeriod, metric: LeaderboardMetric, first = 100) {
  return (await board(id, period, metric, first)).entries.map((e) => [e.user.id, e.score, e.rank]);
}

/** The same board straight from PostgreSQL. */
async function postgresRows(id: string, period: LeaderboardPeriod, metric: LeaderboardMetric) {
  const result = await h.services.engagement.leaderboards.board(
    id,
    period,
    metric,
    100,
    (userIds) =>
      h.services.access
        .membershipsByKeys(userIds.map((u) => `${id}|${u}`))
        .then((found) => userIds.map((u) => found.find((m) => m.userId === u) ?? null)),
    { source: 'postgres' },
  );
  expect(result.source).toBe('postgres');
  return result.rows.map((r) => [r.userId, r.score, r.rank]);
}

async function everyBoard(id: string) {
  const all: Record<string, unknown[]> = {};
  for (const period of LEADERBOARD_PERIODS)
    for (const metric of LEADERBOARD_METRICS) all[`${period}/${metric}`] = await rows(id, period, metric);
  return all;
}

const byId = (users: TestUser[]) => [...users].sort((a, b) => (a.id < b.id ? -1 : 1));

describe('leaderboards (acceptance)', () => {
  it('orders best first; equal scores share a rank and come in user id order; only active members above 0', async () => {
    const { id, users } = await setup(7);
    const [a, b, c, d, e, zero, gone] = users as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ];
    const at = NOW.toISOString();
    await give(id, a, 50, at);
    for (const user of [d, b, c]) await give(id, user, 30, at);
    await give(id, e, 10, at);
    await give(id, zero, 10, at);
    await give(id, zero, -10, at, { reason: 'MODERATOR_AWARD', actorId: owner.id, note: 'undo' });
    await give(id, gone, 100, at);
    await h.dataSource.query(
      `UPDATE "community".memberships SET status = 'LEFT' WHERE community_id = $1 AND user_id = $2`,
      [id, gone.id],
    );
    const tied = byId([b, c, d]);
    const expected = [[a.id, 50, 1], ...tied.map((u) => [u.id, 30, 2]), [e.id, 10, 5]];
    expect(await rows(id, 'ALL_TIME', 'POINTS')).toEqual(expected);
    expect(await rows(id, 'LAST_7_DAYS', 'POINTS')).toEqual(expected);
    expect(await postgresRows(id, 'ALL_TIME', 'POINTS')).toEqual(expected);
    // A shorter board cuts inside the tie, by user id.
    expect(await rows(id, 'ALL_TIME', 'POINTS', 2)).toEqual(expected.slice(0, 2));
    const full = await board(id, 'ALL_TIME', 'POINTS');
    expect(full.entries[0]?.membership.points).toBe(50);
    expect(full).toMatchObject({ from: null, to: null });
  });

  it('windows are the last 7 / 30 UTC days including today, and move with the clock', async () => {
    const { id, users } = await setup(5);
    const [first7, before7, today, first30, before30] = users as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ];
    await give(id, first7, 10, '2026-05-14T00:00:00.000Z'); // first instant of the 7-day window
    await give(id, before7, 20, '2026-05-13T23:59:59.999Z'); // last instant before it
    await give(id, today, 5, '2026-05-20T23:59:59.000Z');
    await give(id, first30, 8, '2026-04-21T00:00:00.000Z'); // first instant of the 30-day window
    await give(id, before30, 9, '2026-04-20T23:59:59.999Z');
    const week = await board(id, 'LAST_7_DAYS', 'POINTS');
    expect(week).toMatchObject({ from: '2026-05-14T00:00:00.000Z', to: '2026-05-21T00:00:00.000Z' });
    expect(week.entries.map((e) => [e.user.id, e.score])).toEqual([
      [first7.id, 10],
      [today.id, 5],
    ]);
    expect((await board(id, 'LAST_30_DAYS', 'POINTS')).entries.map((e) => [e.user.id, e.score])).toEqual([
      [before7.id, 20],
      [first7.id, 10],
      [first30.id, 8],
      [today.id, 5],
    ]);
    expect((await rows(id, 'ALL_TIME', 'POINTS')).map((r) => r[0])).toEqual([
      before7.id,
      first7.id,
      before30.id,
      first30.id,
      today.id,
    ]);
    // Midnight UTC: the windows move on by a day.
    h.clock.set(new Date('2026-05-21T00:00:00.000Z'));
    expect((await rows(id, 'LAST_7_DAYS', 'POINTS')).map((r) => r[0])).toEqual([today.id]);
    expect((await rows(id, 'LAST_30_DAYS', 'POINTS')).map((r) => r[0])).toEqual([
      before7.id,
      first7.id,
      today.id,
    ]);
    for (const period of ['LAST_7_DAYS', 'LAST_30_DAYS'] as const)
      expect(await postgresRows(id, period, 'POINTS')).toEqual(await rows(id, period, 'POINTS'));
    h.clock.set(NOW);
  });

  it('STREAK is the longest streak all time and the highest reached in a window; ATTENDANCE counts occurrences', async () => {
    const { id, users } = await setup(2);
    const [p, q] = users as [TestUser, TestUser];
    const streakDay = (user: TestUser, day: string) =>
      give(id, user, 1, `${day}T10:00:00Z`, { streak: true });
    for (const day of ['2026-05-10', '2026-05-11', '2026-05-12', '2026-05-18']) await streakDay(p, day);
    for (const day of ['2026-05-17', '2026-05-18', '2026-05-19']) await streakDay(q, day);
    const attend = (user: TestUser, at: string) => give(id, user, 0, at, { attendance: true });
    await attend(p, '2026-05-01T18:00:00Z');
    await attend(p, '2026-05-15T18:00:00Z');
    await attend(p, '2026-05-15T20:00:00Z');
    await attend(q, '2026-05-19T18:00:00Z');
    expect(await rows(id, 'LAST_7_DAYS', 'STREAK')).toEqual([
      [q.id, 3, 1],
      [p.id, 1, 2],
    ]);
    expect(await rows(id, 'LAST_30_DAYS', 'STREAK')).toEqual(byId([p, q]).map((u) => [u.id, 3, 1]));
    expect(await rows(id, 'ALL_TIME', 'STREAK')).toEqual(byId([p, q]).map((u) => [u.id, 3, 1]));
    expect(await rows(id, 'LAST_7_DAYS', 'ATTENDANCE')).toEqual([
      [p.id, 2, 1],
      [q.id, 1, 2],
    ]);
    expect(await rows(id, 'ALL_TIME', 'ATTENDANCE')).toEqual([
      [p.id, 3, 1],
      [q.id, 1, 2],
    ]);
    for (const period of LEADERBOARD_PERIODS)
      for (const metric of LEADERBOARD_METRICS)
        expect(await postgresRows(id, period, metric)).toEqual(await rows(id, period, metric));
  });

  it('flushing Redis and rebuilding from PostgreSQL gives the same boards; a rebuild repairs a wrong set', async () => {
    const { id, users } = await setup(12);
    for (const [i, user] of users.entries()) {
      await give(id, user, 5 * (i % 4) + 1, `2026-05-${String(8 + (i % 12)).padStart(2, '0')}T09:00:00Z`, {
        streak: true,
        attendance: i % 3 === 0,
      });
      if (i % 2 === 0) await give(id, user, 7, '2026-05-19T09:00:00Z', { streak: true });
    }
    const before = await everyBoard(id);
    expect(before['ALL_TIME/POINTS']).toHaveLength(12);
    await flushRedis();
    expect(await h.redis.keys(`${h.services.engagement.keyPrefix}:${id}:*`)).toEqual([]);
    expect(await everyBoard(id)).toEqual(before); // rebuilt on first read
    expect((await h.redis.keys(`${h.services.engagement.keyPrefix}:${id}:*`)).length).toBeGreaterThan(0);
    for (const period of LEADERBOARD_PERIODS)
      for (const metric of LEADERBOARD_METRICS)
        expect(await postgresRows(id, period, metric)).toEqual(before[`${period}/${metric}`]);

    // A wrong value in Redis (older than the account): shown until a rebuild.
    const store = new LeaderboardStore(h.redis, h.services.engagement.keyPrefix, h.clock);
    const last = users.at(-1)!;
    await h.redis.zadd(store.key(id, 'POINTS', null), -999, last.id);
    await h.redis.hset(`${store.key(id, 'POINTS', null)}:v`, last.id, 0);
    expect((await rows(id, 'ALL_TIME', 'POINTS'))[0]).toEqual([last.id, 999, 1]);
    const REBUILD = `mutation($id: ID!) { rebuildCommunityLeaderboards(communityId: $id) { communityId accounts } }`;
    const member = users[0]!;
    expect(codes(await h.gql(REBUILD, { id }, member))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(REBUILD, { id }, null))).toEqual(['UNAUTHENTICATED']);
    expect((await h.gql(REBUILD, { id }, await h.user())).errors?.[0]?.extensions?.['reason']).toBe(
      'NOT_MEMBER',
    );
    expect(await h.ok(REBUILD, { id }, owner)).toEqual({
      rebuildCommunityLeaderboards: { communityId: id, accounts: 12 },
    });
    expect(await everyBoard(id)).toEqual(before);
  });

  it('Redis keeps the newest version: late or older writes and rebuilds never go back in time', async () => {
    const id = randomUUID();
    const store = new LeaderboardStore(h.redis, h.services.engagement.keyPrefix, h.clock);
    const member = (version: number, points: number) => ({
      communityId: id,
      userId: 'u1',
      version,
      allTime: { POINTS: points, STREAK: 1, ATTENDANCE: 0 },
      days: [{ day: '2026-05-20', version, scores: { POINTS: points, STREAK: 1, ATTENDANCE: 0 } }],
    });
    const score = async () => (await store.top(id, 'POINTS', null, 0, 10))[0]?.score;
    await store.write([member(5, 50)]);
    await store.write([member(4, 40)]);
    expect(await score()).toBe(50);
    expect((await store.top(id, 'POINTS', ['2026-05-20'], 0, 10))[0]?.score).toBe(50);
    // A rebuild from an older snapshot keeps the newer live value; a newer snapshot wins.
    await store.replace(id, [member(4, 40)], ['2026-05-20']);
    expect(await score()).toBe(50);
    await store.replace(id, [member(6, 60)], ['2026-05-20']);
    expect(await score()).toBe(60);
    // A member missing from the snapshot was written after it: kept.
    await store.replace(id, [], ['2026-05-20']);
    expect(await score()).toBe(60);
    expect(await store.isBuilt(id)).toBe(true);
    await store.drop(id);
    expect(await store.isBuilt(id)).toBe(false);
  });

  it('a rolled-back change never reaches Redis', async () => {
    const { id, users } = await setup(1);
    const user = users[0]!;
    await give(id, user, 10, NOW.toISOString());
    await expect(
      h.dataSource.transaction(async (manager) => {
        await h.services.engagement.points.apply(
          manager,
          {
            communityId: id,
            userId: user.id,
            reason: 'POST_CREATED',
            points: 90,
            sourceKey: `test:${randomUUID()}`,
            occurredAt: NOW,
          },
          'UTC',
        );
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await rows(id, 'ALL_TIME', 'POINTS')).toEqual([[user.id, 10, 1]]);
    expect(await rows(id, 'LAST_7_DAYS', 'POINTS')).toEqual([[user.id, 10, 1]]);
  });

  it('a page of up to 100 rows costs the same SQL statements whatever its size', async () => {
    const { id, users } = await setup(40);
    for (const [i, user] of users.entries())
      await give(id, user, 100 + i, NOW.toISOString(), { streak: true, attendance: true });
    await board(id, 'ALL_TIME', 'POINTS', 5); // builds the Redis sets once
    const measure = async (first: number, period: LeaderboardPeriod) => {
      h.counter.reset();
      const result = await board(id, period, 'POINTS', first);
      return { rows: result.entries.length, queries: h.counter.count };
    };
    const small = await measure(5, 'ALL_TIME');
    const large = await measure(40, 'ALL_TIME');
    expect([small.rows, large.rows]).toEqual([5, 40]);
    expect(large.queries).toBe(small.queries);
    expect((await measure(40, 'LAST_30_DAYS')).queries).toBe(small.queries);
    // The community and the viewer's membership (query and access check), the page's memberships, their accounts.
    expect(small.queries).toBeLessThanOrEqual(5);
  });

  it('first is 1–100; readers only (private communities hide it, banned members are refused)', async () => {
    const { id, users } = await setup(1);
    for (const first of [0, 101])
      expect(codes(await h.gql(BOARD, { id, period: 'ALL_TIME', metric: 'POINTS', first }, owner))).toEqual([
        'BAD_USER_INPUT',
      ]);
    // Public: anyone reads it.
    expect(await h.gql(BOARD, { id, period: 'ALL_TIME', metric: 'POINTS' }, null)).not.toHaveProperty(
      'errors',
    );
    const banned = users[0]!;
    await h.dataSource.query(
      `UPDATE "community".memberships SET status = 'BANNED' WHERE community_id = $1 AND user_id = $2`,
      [id, banned.id],
    );
    const refused = await h.gql<{ community: unknown }>(
      BOARD,
      { id, period: 'ALL_TIME', metric: 'POINTS' },
      banned,
    );
    expect(refused.data?.community ?? null).toBeNull();
    const hidden = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    const outsider = await h.gql<{ community: unknown }>(
      BOARD,
      { id: hidden, period: 'ALL_TIME', metric: 'POINTS' },
      await h.user(),
    );
    expect(outsider.data?.community).toBeNull();
  });
});
