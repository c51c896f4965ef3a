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
  createMessagingHarness,
  TEST_REDIS_URL,
  type MessagingHarness,
  type TestUser,
} from '../../testing/messaging-harness.js';
import {
  COMMUNITY_MEMBER_JOINED,
  COMMUNITY_MEMBER_LEFT,
  COMMUNITY_MEMBER_ROLE_CHANGED,
} from './community-sync.js';

/** community's side, simulated: its own schema with an outbox in the same database, and its relay. */
const COMMUNITY = 'community_sim';
const prefix = `test-messaging-community-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ name: 'community-sync-test', level: 'silent' });

let h: MessagingHarness;
let relay: OutboxRelay;
let consumer: EventConsumer;
const deliveries: { event: DomainEvent; outcome: EventOutcome }[] = [];

const CREATE = `mutation($input: CreateChannelInput!) { createChannel(input: $input) { conversation { id communityWide } } }`;

beforeAll(async () => {
  h = await createMessagingHarness('community_sync');
  const runner = h.dataSource.createQueryRunner();
  try {
    await runner.query(`CREATE SCHEMA ${COMMUNITY}`);
    await createEventTables(runner, COMMUNITY);
  } finally {
    await runner.release();
  }
  consumer = await startEventConsumer({
    consumer: 'messaging',
    dataSource: h.dataSource,
    schema: 'messaging',
    redisUrl: TEST_REDIS_URL,
    logger,
    prefix,
    handlers: h.instance.services.conversations.communitySync.handlers(),
    onProcessed: (event, outcome) => deliveries.push({ event, outcome }),
  });
  relay = startOutboxRelay({
    dataSource: h.dataSource,
    schema: COMMUNITY,
    source: 'community',
    redisUrl: TEST_REDIS_URL,
    logger,
    prefix,
    listen: false,
    pollIntervalMs: 600_000,
  });
  await relay.flush();
});

afterAll(async () => {
  await relay?.stop();
  await consumer?.stop();
  const keys = await h.redis.keys(`${prefix}:*`);
  if (keys.length > 0) await h.redis.del(...keys);
  await h?.close();
});

let clock = Date.parse('2026-03-01T10:00:00Z');
const tick = () => new Date((clock += 1000)).toISOString();

/** Records community events and waits until the consumer handled all of them. */
async function publish(...events: { type: string; payload: Record<string, unknown> }[]): Promise<string[]> {
  const ids: string[] = [];
  for (const event of events)
    ids.push(
      await h.dataSource.transaction((manager) =>
        recordEvent(manager, COMMUNITY, {
          type: event.type,
          aggregateId: String(event.payload['communityId']),
          payload: event.payload,
        }),
      ),
    );
  await relay.flush();
  await vi.waitFor(
    () => expect(deliveries.filter((d) => ids.includes(d.event.id))).toHaveLength(ids.length),
    {
      timeout: 15_000,
      interval: 20,
    },
  );
  return ids;
}

const joined = (communityId: string, userId: string, role = 'MEMBER', at = tick()) => ({
  type: COMMUNITY_MEMBER_JOINED,
  payload: { communityId, userId, membershipId: randomUUID(), role, joinedAt: at },
});
const left = (communityId: string, userId: string, reason = 'LEFT', at = tick()) => ({
  type: COMMUNITY_MEMBER_LEFT,
  payload: { communityId, userId, membershipId: randomUUID(), reason, leftAt: at },
});

async function members(conversationId: string): Promise<string[]> {
  const rows: { user_id: string }[] = await h.dataSource.query(
    `SELECT user_id FROM "messaging".conversation_members WHERE conversation_id = $1 ORDER BY user_id`,
    [conversationId],
  );
  return rows.map((r) => r.user_id);
}

describe('community-wide channels follow community membership', () => {
  it('adds joiners and removes leavers (left, removed, banned) exactly once, in community-wide channels only', async () => {
    const communityId = randomUUID();
    const owner = await h.user(['INSTRUCTOR']);
    const [early, late, banned] = [await h.user(), await h.user(), await h.user()];
    await publish(joined(communityId, owner.id, 'OWNER'), joined(communityId, early.id));

    // The owner creates a community-wide channel: the current members are in it at once.
    const wide = await h.gql<{ createChannel: { conversation: { id: string; communityWide: boolean } } }>(
      CREATE,
      { input: { communityId, name: 'general', communityWide: true } },
      owner,
    );
    expect(wide.errors).toBeUndefined();
    const channelId = wide.data!.createChannel.conversation.id;
    expect(wide.data!.createChannel.conversation.communityWide).toBe(true);
    expect(await members(channelId)).toEqual([owner.id, early.id].sort());
    const narrow = await h.gql<{ createChannel: { conversation: { id: string } } }>(
      CREATE,
      { input: { communityId, name: 'staff' } },
      owner,
    );
    const staffId = narrow.data!.createChannel.conversation.id;

    const [joinedId] = await publish(joined(communityId, late.id), joined(communityId, banned.id));
    expect(await members(channelId)).toEqual([owner.id, early.id, late.id, banned.id].sort());
    expect(await members(staffId)).toEqual([owner.id]);

    await publish(left(communityId, early.id, 'REMOVED'), left(communityId, banned.id, 'BANNED'));
    expect(await members(channelId)).toEqual([owner.id, late.id].sort());

    // A redelivered join (another job id, as after a lost acknowledgement) is skipped by the inbox.
    const first = deliveries.find((d) => d.event.id === joinedId)!;
    expect(first.outcome).toBe('handled');
    await h.dataSource.query(
      `DELETE FROM "messaging".conversation_members WHERE conversation_id = $1 AND user_id = $2`,
      [channelId, late.id],
    );
    const queue = new Queue(consumerQueueName('messaging'), { connection: h.redis, prefix });
    try {
      await queue.add(first.event.type, first.event, { jobId: `${first.event.id}-again` });
    } finally {
      await queue.close();
    }
    await vi.waitFor(
      () =>
        expect(deliveries.filter((d) => d.event.id === joinedId).map((d) => d.outcome)).toEqual([
          'handled',
          'duplicate',
        ]),
      { timeout: 15_000, interval: 20 },
    );
    expect(await members(channelId)).toEqual([owner.id]);
  });

  it('never lets an older event undo a newer one (out-of-order delivery)', async () => {
    const communityId = randomUUID();
    const owner = await h.user(['INSTRUCTOR']);
    const user = await h.user();
    await publish(joined(communityId, owner.id, 'OWNER'));
    const created = await h.gql<{ createChannel: { conversation: { id: string } } }>(
      CREATE,
      { input: { communityId, name: 'general', communityWide: true } },
      owner,
    );
    const channelId = created.data!.createChannel.conversation.id;
    const joinedAt = tick();
    const leftAt = tick();
    // The leave is handled before the join it follows.
    await publish(left(communityId, user.id, 'LEFT', leftAt));
    await publish(joined(communityId, user.id, 'MEMBER', joinedAt));
    expect(await members(channelId)).toEqual([owner.id]);
    // A role change handled before the join keeps its (newer) role.
    const admin = await h.user(['INSTRUCTOR']);
    const adminJoinedAt = tick();
    await publish({
      type: COMMUNITY_MEMBER_ROLE_CHANGED,
      payload: { communityId, userId: admin.id, previousRole: 'MEMBER', role: 'ADMIN', changedAt: tick() },
    });
    await publish(joined(communityId, admin.id, 'MEMBER', adminJoinedAt));
    expect(await members(channelId)).toEqual([owner.id, admin.id].sort());
    const another = await h.gql(
      CREATE,
      { input: { communityId, name: 'admins-made', communityWide: true } },
      admin,
    );
    expect(another.errors).toBeUndefined();
  });

  it('lets only the community’s owner and admins (or platform admins) create community-wide channels', async () => {
    const communityId = randomUUID();
    const [owner, moderator, stranger] = [
      await h.user(['INSTRUCTOR']),
      await h.user(['INSTRUCTOR']),
      await h.user(['INSTRUCTOR']),
    ];
    await publish(joined(communityId, owner.id, 'OWNER'), joined(communityId, moderator.id, 'MODERATOR'));
    for (const who of [moderator, stranger] as TestUser[]) {
      const result = await h.gql(CREATE, { input: { communityId, name: 'nope', communityWide: true } }, who);
      expect(result.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    }
    const byAdmin = await h.gql(
      CREATE,
      { input: { communityId, name: 'by-platform-admin', communityWide: true } },
      await h.user(['ADMIN']),
    );
    expect(byAdmin.errors).toBeUndefined();
    const count: { n: number }[] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM "messaging".conversations WHERE community_id = $1`,
      [communityId],
    );
    expect(count[0]!.n).toBe(1);
  });
});
