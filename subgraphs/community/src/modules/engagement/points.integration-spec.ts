import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  consumerQueueName,
  createEventTables,
  createLogger,
  recordEvent,
  startEventConsumer,
  startOutboxRelay,
  type DomainEvent,
  type EventConsumer,
  type EventOutcome,
  type OutboxRelay,
} from '@edugraph/kit';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  codes,
  createCommunityHarness,
  TEST_REDIS_URL,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { DEFAULT_POINT_VALUES } from './engagement.config.js';
import {
  COMMENT_CREATED,
  EVENT_ATTENDED,
  LESSON_COMPLETED,
  POST_CREATED,
  REACTION_ADDED,
} from './engagement-events.js';
import { ENGAGEMENT_CONSUMER } from './engagement.handlers.js';

/** Learning's side, simulated: a schema with an outbox in the same database, and its relay. */
const LEARNING = 'learning_sim';
const prefix = `test-engagement-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ name: 'engagement-test', level: 'silent' });
const NOW = new Date('2026-05-04T12:00:00Z');

let h: CommunityHarness;
let owner: TestUser;
let moderator: TestUser;
let communityId: string;
let consumer: EventConsumer;
let communityRelay: OutboxRelay;
let learningRelay: OutboxRelay;
const deliveries: { event: DomainEvent; outcome: EventOutcome }[] = [];

beforeAll(async () => {
  h = await createCommunityHarness('engagement_points', { now: NOW });
  const runner = h.dataSource.createQueryRunner();
  try {
    await runner.query(`CREATE SCHEMA ${LEARNING}`);
    await createEventTables(runner, LEARNING);
  } finally {
    await runner.release();
  }
  const events = { dataSource: h.dataSource, redisUrl: TEST_REDIS_URL, logger, prefix };
  consumer = await startEventConsumer({
    ...events,
    consumer: ENGAGEMENT_CONSUMER,
    schema: 'community',
    handlers: h.services.engagement.eventHandlers(),
    onProcessed: (event, outcome) => deliveries.push({ event, outcome }),
  });
  const relay = { ...events, listen: false, pollIntervalMs: 600_000 };
  communityRelay = startOutboxRelay({ ...relay, schema: 'community', source: 'community' });
  learningRelay = startOutboxRelay({ ...relay, schema: LEARNING, source: 'learning' });
  owner = await h.user();
  moderator = await h.user();
  communityId = (await h.community(owner)).id;
  await h.member(communityId, moderator, 'MODERATOR');
});

afterAll(async () => {
  await learningRelay?.stop();
  await communityRelay?.stop();
  await consumer?.stop();
  for (const pattern of [`${prefix}:*`, `${h.services.engagement.keyPrefix}:*`]) {
    const keys = await h.redis.keys(pattern);
    if (keys.length > 0) await h.redis.del(...keys);
  }
  await h?.close();
});

/** Records an event as its publisher would, relays it and waits until the consumer handled it. */
async function publish(
  type: string,
  payload: Record<string, unknown>,
  schema = 'community',
): Promise<string> {
  const id = await h.dataSource.transaction((manager) =>
    recordEvent(manager, schema, {
      type,
      aggregateId: String(payload['communityId'] ?? randomUUID()),
      payload,
    }),
  );
  await (schema === 'community' ? communityRelay : learningRelay).flush();
  await vi.waitFor(() => expect(deliveries.some((d) => d.event.id === id)).toBe(true), {
    timeout: 15_000,
    interval: 20,
  });
  return id;
}

async function member(id = communityId): Promise<TestUser> {
  const user = await h.user();
  await h.member(id, user);
  return user;
}

async function account(userId: string, id = communityId) {
  const [row] = (await h.dataSource.query(
    `SELECT balance, lifetime_points, level, attendance_count, current_streak FROM "community".points_accounts
     WHERE community_id = $1 AND user_id = $2`,
    [id, userId],
  )) as { balance: number; lifetime_points: number; level: number; attendance_count: number }[];
  return row ?? null;
}

async function ledger(userId: string, id = communityId) {
  return (await h.dataSource.query(
    `SELECT reason, delta, requested_delta, source_key, balance_after FROM "community".points_ledger
     WHERE community_id = $1 AND user_id = $2 ORDER BY created_at, source_key`,
    [id, userId],
  )) as {
    reason: string;
    delta: number;
    requested_delta: number;
    source_key: string;
    balance_after: number;
  }[];
}

const AWARD = `mutation($input: AwardPointsInput!) {
  awardPoints(input: $input) {
    duplicate
    entry { id points requestedPoints reason note balanceAfter actor { id } }
    points { balance lifetimePoints level nextLevelAt }
  }
}`;

type AwardResult = {
  awardPoints: {
    duplicate: boolean;
    entry: {
      id: string;
      points: number;
      requestedPoints: number;
      reason: string;
      note: string;
      balanceAfter: number;
    };
    points: { balance: number; lifetimePoints: number; level: number; nextLevelAt: number | null };
  };
};

function award(as: TestUser | null, input: Record<string, unknown>) {
  return h.gql<AwardResult>(AWARD, { input: { communityId, note: 'Thanks!', ...input } }, as);
}

describe('automatic points from consumed events (consumer community-engagement, exactly once)', () => {
  it('awards the author of a post and a comment once, even when the event is redelivered or republished', async () => {
    const author = await member();
    const postId = randomUUID();
    const post = { communityId, postId, authorId: author.id, createdAt: NOW.toISOString(), tags: [] };
    const eventId = await publish(POST_CREATED, post);
    await publish(COMMENT_CREATED, {
      communityId,
      postId,
      commentId: randomUUID(),
      authorId: author.id,
      parentId: null,
      createdAt: NOW.toISOString(),
    });
    // The same delivery again (a lost acknowledgement): the inbox skips it.
    const queue = new Queue(consumerQueueName(ENGAGEMENT_CONSUMER), { connection: h.redis, prefix });
    try {
      const first = deliveries.find((d) => d.event.id === eventId)!.event;
      await queue.add(POST_CREATED, first, { jobId: `${eventId}-again` });
    } finally {
      await queue.close();
    }
    await vi.waitFor(() => expect(deliveries.filter((d) => d.event.id === eventId)).toHaveLength(2), {
      timeout: 15_000,
      interval: 20,
    });
    expect(deliveries.filter((d) => d.event.id === eventId).map((d) => d.outcome)).toEqual([
      'handled',
      'duplicate',
    ]);
    // The same post published as another event (a new event id): the ledger's source key holds.
    await publish(POST_CREATED, post);
    expect((await ledger(author.id)).map((e) => [e.reason, e.delta])).toEqual([
      ['COMMENT_CREATED', DEFAULT_POINT_VALUES.COMMENT_CREATED],
      ['POST_CREATED', DEFAULT_POINT_VALUES.POST_CREATED],
    ]);
    expect(await account(author.id)).toMatchObject({
      balance: DEFAULT_POINT_VALUES.POST_CREATED + DEFAULT_POINT_VALUES.COMMENT_CREATED,
      level: 1,
    });
  });

  it('awards reactions to the target’s author — not self-reactions, once per reactor and target (re-adding or another emoji awards nothing more)', async () => {
    const author = await member();
    const [fan, other] = [await member(), await member()];
    const targetId = randomUUID();
    const reaction = (userId: string, emoji: string, targetAuthorId = author.id) => ({
      communityId,
      targetType: 'POST',
      targetId,
      targetAuthorId,
      userId,
      emoji,
      createdAt: NOW.toISOString(),
    });
    await publish(REACTION_ADDED, reaction(fan.id, '👍'));
    // community.reaction.removed is not consumed (no claw-back); adding the reaction again:
    await publish(REACTION_ADDED, reaction(fan.id, '👍'));
    await publish(REACTION_ADDED, reaction(fan.id, '🎉'));
    await publish(REACTION_ADDED, reaction(other.id, '👍'));
    await publish(REACTION_ADDED, reaction(author.id, '👍')); // self-reaction
    expect((await ledger(author.id)).map((e) => e.source_key).sort()).toEqual(
      [`reaction:POST:${targetId}:${fan.id}`, `reaction:POST:${targetId}:${other.id}`].sort(),
    );
    expect(await account(author.id)).toMatchObject({ balance: 2 * DEFAULT_POINT_VALUES.REACTION_RECEIVED });
    // Reacting earns the reactor nothing.
    expect(await account(fan.id)).toBeNull();
  });

  it('counts attended events as points and attendance', async () => {
    const attendee = await member();
    const payload = {
      communityId,
      eventId: randomUUID(),
      occurrenceId: randomUUID(),
      occurrenceStart: NOW.toISOString(),
      userId: attendee.id,
      method: 'CHECK_IN',
      markedBy: null,
      attendedAt: NOW.toISOString(),
    };
    await publish(EVENT_ATTENDED, payload);
    await publish(EVENT_ATTENDED, payload);
    expect(await account(attendee.id)).toMatchObject({
      balance: DEFAULT_POINT_VALUES.EVENT_ATTENDED,
      attendance_count: 1,
      current_streak: 1,
    });
  });

  it('awards lesson.completed in the communities whose classroom links the course, where the learner is active', async () => {
    const learner = await member();
    const linked = (await h.community(owner)).id;
    const unlinked = (await h.community(owner)).id;
    const linkedButLeft = (await h.community(owner)).id;
    for (const id of [linked, unlinked, linkedButLeft]) await h.member(id, learner);
    await h.dataSource.query(
      `UPDATE "community".memberships SET status = 'LEFT' WHERE community_id = $1 AND user_id = $2`,
      [linkedButLeft, learner.id],
    );
    const courseId = randomUUID();
    for (const id of [linked, linkedButLeft])
      await h.dataSource.query(
        `INSERT INTO "community".community_courses (community_id, course_id, position, added_by_id)
         VALUES ($1, $2, 0, $3)`,
        [id, courseId, owner.id],
      );
    const lesson = {
      userId: learner.id,
      courseId,
      lessonId: randomUUID(),
      enrollmentId: randomUUID(),
      completedAt: NOW.toISOString(),
    };
    const eventId = await publish(LESSON_COMPLETED, lesson, LEARNING);
    expect(deliveries.find((d) => d.event.id === eventId)?.event.source).toBe('learning');
    await publish(LESSON_COMPLETED, lesson, LEARNING);
    expect(await account(learner.id, linked)).toMatchObject({
      balance: DEFAULT_POINT_VALUES.LESSON_COMPLETED,
    });
    expect(await account(learner.id, unlinked)).toBeNull();
    expect(await account(learner.id, linkedButLeft)).toBeNull();
  });

  it('gives nothing to users who are not active members', async () => {
    const outsider = await h.user();
    await publish(POST_CREATED, {
      communityId,
      postId: randomUUID(),
      authorId: outsider.id,
      createdAt: NOW.toISOString(),
      tags: [],
    });
    expect(await account(outsider.id)).toBeNull();
  });

  it('levels follow lifetime points; crossing thresholds records one community.member.level_up', async () => {
    const climber = await member();
    const give = (points: number) =>
      award(moderator, { userId: climber.id, points }).then((r) => {
        expect(r.errors).toBeUndefined();
        return r.data!.awardPoints.points;
      });
    expect(await give(499)).toMatchObject({ level: 1, nextLevelAt: 500 });
    expect(await give(1)).toMatchObject({ level: 2, nextLevelAt: 1500 });
    expect(await give(7000)).toMatchObject({ lifetimePoints: 7500, level: 4, nextLevelAt: 8000 });
    // A deduction lowers the balance, never the lifetime points or the level.
    expect(await give(-7500)).toMatchObject({ balance: 0, lifetimePoints: 7500, level: 4 });
    expect(await give(500)).toMatchObject({
      balance: 500,
      lifetimePoints: 8000,
      level: 5,
      nextLevelAt: null,
    });
    const ups = (await h.outbox(['community.member.level_up'])).filter(
      (e) => e.payload['userId'] === climber.id,
    );
    expect(
      ups.map((e) => [e.payload['previousLevel'], e.payload['level'], e.payload['lifetimePoints']]),
    ).toEqual([
      [1, 2, 500],
      [2, 4, 7500],
      [4, 5, 8000],
    ]);
    expect(ups.every((e) => e.aggregateId === communityId)).toBe(true);
  });
});

describe('moderator awards (POINTS_AWARD)', () => {
  it('awards with a note, shown in the member’s history with the moderator', async () => {
    const target = await member();
    const result = await award(moderator, { userId: target.id, points: 40, note: '  Great answer  ' });
    expect(result.errors).toBeUndefined();
    expect(result.data!.awardPoints).toMatchObject({
      duplicate: false,
      entry: {
        points: 40,
        requestedPoints: 40,
        reason: 'MODERATOR_AWARD',
        note: 'Great answer',
        balanceAfter: 40,
      },
      points: { balance: 40, lifetimePoints: 40, level: 1 },
    });
    const history = await h.ok<{
      myPointsHistory: { edges: { node: { points: number; note: string; actor: { id: string } } }[] };
    }>(
      `query($c: ID!) { myPointsHistory(communityId: $c) { edges { node { points note actor { id } } } } }`,
      { c: communityId },
      target,
    );
    expect(history.myPointsHistory.edges.map((e) => e.node)).toEqual([
      { points: 40, note: 'Great answer', actor: { id: moderator.id } },
    ]);
  });

  it('clamps a deduction at the balance: the balance never goes negative (and the database refuses it)', async () => {
    const target = await member();
    await award(moderator, { userId: target.id, points: 30 });
    const result = await award(moderator, { userId: target.id, points: -100, note: 'Spam' });
    expect(result.data!.awardPoints).toMatchObject({
      entry: { points: -30, requestedPoints: -100, balanceAfter: 0 },
      points: { balance: 0, lifetimePoints: 30 },
    });
    // Nothing left: recorded, changes nothing.
    const again = await award(moderator, { userId: target.id, points: -5, note: 'Spam again' });
    expect(again.data!.awardPoints).toMatchObject({
      entry: { points: 0, requestedPoints: -5, balanceAfter: 0 },
    });
    expect(await account(target.id)).toMatchObject({ balance: 0 });
    await expect(
      h.dataSource.query(
        `UPDATE "community".points_accounts SET balance = balance - 1 WHERE community_id = $1 AND user_id = $2`,
        [communityId, target.id],
      ),
    ).rejects.toThrow(/ck_points_accounts_balance/);
  });

  it('an idempotency key makes a repeated request return the first award', async () => {
    const target = await member();
    const input = { userId: target.id, points: 25, note: 'Meetup host', idempotencyKey: 'host-2026-05' };
    const first = await award(moderator, input);
    const second = await award(moderator, input);
    expect(second.data!.awardPoints.duplicate).toBe(true);
    expect(second.data!.awardPoints.entry.id).toBe(first.data!.awardPoints.entry.id);
    expect(await account(target.id)).toMatchObject({ balance: 25 });
    expect(codes(await award(moderator, { ...input, points: 26 }))).toEqual(['IDEMPOTENCY_KEY_REUSED']);
  });

  it('refuses bad input, self-awards, non-members and deductions above one’s rank — changing nothing', async () => {
    const target = await member();
    const admin = await h.user();
    await h.member(communityId, admin, 'ADMIN');
    await award(admin, { userId: moderator.id, points: 100 });
    const before = await account(moderator.id);
    for (const points of [0, 10_001, -10_001, 1.5])
      expect(codes(await award(moderator, { userId: target.id, points }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await award(moderator, { userId: target.id, points: 5, note: ' ' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await award(moderator, { userId: target.id, points: 5, note: 'x'.repeat(501) }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await award(moderator, { userId: moderator.id, points: 5 }))).toEqual(['SELF_AWARD']);
    expect(codes(await award(moderator, { userId: (await h.user()).id, points: 5 }))).toEqual([
      'RECIPIENT_NOT_MEMBER',
    ]);
    // A moderator may reward an admin but not take their points.
    expect(codes(await award(moderator, { userId: admin.id, points: -5 }))).toEqual(['FORBIDDEN']);
    expect(codes(await award(moderator, { userId: admin.id, points: 5 }))).toEqual([]);
    expect(await account(target.id)).toBeNull();
    expect(await account(moderator.id)).toEqual(before);
  });

  it('denies members without POINTS_AWARD, anonymous callers and another community’s moderator', async () => {
    const target = await member();
    const plain = await member();
    const elsewhere = await h.user();
    const otherId = (await h.community(await h.user())).id;
    await h.member(otherId, elsewhere, 'MODERATOR');
    const plainResult = await award(plain, { userId: target.id, points: 10 });
    expect(codes(plainResult)).toEqual(['FORBIDDEN']);
    expect(plainResult.errors?.[0]?.extensions).toMatchObject({
      reason: 'MISSING_PERMISSION',
      permission: 'POINTS_AWARD',
    });
    expect(codes(await award(null, { userId: target.id, points: 10 }))).toEqual(['UNAUTHENTICATED']);
    const foreign = await award(elsewhere, { userId: target.id, points: 10 });
    expect(codes(foreign)).toEqual(['FORBIDDEN']);
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ reason: 'NOT_MEMBER' });
    // A private community's outsiders do not learn it exists.
    const hidden = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    await h.member(hidden, target);
    expect(
      codes(
        await h.gql(
          AWARD,
          { input: { communityId: hidden, userId: target.id, points: 5, note: 'x' } },
          elsewhere,
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(await account(target.id)).toBeNull();
    expect(await account(target.id, hidden)).toBeNull();
  });
});

describe('reading points', () => {
  const POINTS = `query($reps: [_Any!]!, $c: ID!) {
    _entities(representations: $reps) { ... on User { id points(communityId: $c) { balance level attendance streak { current } } } }
  }`;

  it('User.points is batched: a list of users costs the same statements as one', async () => {
    const users = [] as TestUser[];
    for (let i = 0; i < 8; i += 1) {
      const user = await member();
      users.push(user);
      await award(moderator, { userId: user.id, points: 10 * (i + 1) });
    }
    const run = async (list: TestUser[]) => {
      h.counter.reset();
      const data = await h.ok<{ _entities: { id: string; points: { balance: number } | null }[] }>(
        POINTS,
        { reps: list.map((u) => ({ __typename: 'User', id: u.id })), c: communityId },
        owner,
      );
      return { data, queries: h.counter.count };
    };
    const one = await run(users.slice(0, 1));
    const eight = await run(users);
    expect(eight.data._entities.map((e) => e.points?.balance)).toEqual([10, 20, 30, 40, 50, 60, 70, 80]);
    expect(eight.queries).toBe(one.queries);
  });

  it('User.points is null for viewers who may not read the community, and for non-members', async () => {
    const hidden = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    const insider = await member(hidden);
    const outsider = await h.user();
    const read = (as: TestUser | null, userId: string) =>
      h.ok<{ _entities: { points: unknown }[] }>(
        POINTS,
        { reps: [{ __typename: 'User', id: userId }], c: hidden },
        as,
      );
    expect((await read(outsider, insider.id))._entities[0]!.points).toBeNull();
    expect((await read(null, insider.id))._entities[0]!.points).toBeNull();
    expect((await read(insider, insider.id))._entities[0]!.points).toMatchObject({ balance: 0, level: 1 });
    expect((await read(insider, outsider.id))._entities[0]!.points).toBeNull();
  });

  it('a member’s history is for them and those who award points; pages are capped', async () => {
    const target = await member();
    const peer = await member();
    for (let i = 0; i < 3; i += 1) await award(moderator, { userId: target.id, points: i + 1 });
    const HISTORY = `query($reps: [_Any!]!, $c: ID!, $first: Int) {
      _entities(representations: $reps) { ... on User { points(communityId: $c) { history(first: $first) { edges { node { points } } pageInfo { hasNextPage } } } } }
    }`;
    const reps = [{ __typename: 'User', id: target.id }];
    const mine = await h.ok<{
      _entities: {
        points: { history: { edges: { node: { points: number } }[]; pageInfo: { hasNextPage: boolean } } };
      }[];
    }>(HISTORY, { reps, c: communityId, first: 2 }, moderator);
    expect(mine._entities[0]!.points.history.edges).toHaveLength(2);
    expect(mine._entities[0]!.points.history.pageInfo.hasNextPage).toBe(true);
    expect(codes(await h.gql(HISTORY, { reps, c: communityId, first: 2 }, peer))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(HISTORY, { reps, c: communityId, first: 101 }, target))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const MY = `query($c: ID!, $first: Int) { myPointsHistory(communityId: $c, first: $first) { edges { node { id } } } }`;
    expect(codes(await h.gql(MY, { c: communityId, first: 101 }, target))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(MY, { c: communityId }, null))).toEqual(['UNAUTHENTICATED']);
    const hidden = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    expect(codes(await h.gql(MY, { c: hidden }, target))).toEqual(['NOT_FOUND']);
  });
});
