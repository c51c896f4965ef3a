import { randomBytes, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DataSource, EntityManager } from 'typeorm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDataSource } from '../data/data-source.factory.js';
import { createLogger } from '../logging/logger.js';
import { createTestDatabase, truncateSchema, type TestDatabase } from '../testing/test-database.js';
import { recordEvent, replayOutbox, type DomainEvent } from './domain-event.js';
import { startEventConsumer, type EventConsumer, type EventOutcome } from './event-consumer.js';
import { consumerQueueName } from './event-routing.js';
import { createEventTables } from './event-tables.js';
import { startOutboxRelay, type OutboxRelay } from './outbox-relay.js';

const SCHEMA = 'events_test';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const prefix = `edugraph-test-events-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ name: 'events-test', level: 'silent' });

let database: TestDatabase;
let dataSource: DataSource;
let redis: Redis;
const running: { stop(): Promise<void> }[] = [];

type Delivery = { consumer: string; event: DomainEvent; outcome: EventOutcome };
let deliveries: Delivery[] = [];

/** Starts a relay and waits for its start-up pass, so flush counts in a test only see that test's events. */
async function relay(
  overrides: { listen?: boolean; pollIntervalMs?: number; backoffDelayMs?: number } = {},
): Promise<OutboxRelay> {
  const started = startOutboxRelay({
    dataSource,
    schema: SCHEMA,
    source: 'commerce',
    redisUrl: REDIS_URL,
    logger,
    prefix,
    listen: overrides.listen ?? false,
    pollIntervalMs: overrides.pollIntervalMs ?? 600_000,
    backoffDelayMs: overrides.backoffDelayMs ?? 10,
    batchSize: 7,
  });
  running.push(started);
  await started.flush();
  return started;
}

/** A handler that writes one effect row per call: a second effect for one event would show as a second row. */
function effectHandler(consumer: string) {
  return async (event: DomainEvent, manager: EntityManager): Promise<void> => {
    await manager.query(
      `INSERT INTO "${SCHEMA}".effects (consumer, event_id, aggregate_id) VALUES ($1, $2, $3)`,
      [consumer, event.id, event.aggregateId],
    );
  };
}

async function consume(
  consumer: string,
  handlers: Record<string, (event: DomainEvent, manager: EntityManager) => Promise<void>>,
): Promise<EventConsumer> {
  const started = await startEventConsumer({
    consumer,
    dataSource,
    schema: SCHEMA,
    redisUrl: REDIS_URL,
    logger,
    prefix,
    handlers,
    onProcessed: (event, outcome) => deliveries.push({ consumer, event, outcome }),
  });
  running.push(started);
  return started;
}

async function record(
  type: string,
  aggregateId: string,
  payload: Record<string, unknown> = {},
): Promise<string> {
  return dataSource.transaction((manager) => recordEvent(manager, SCHEMA, { type, aggregateId, payload }));
}

async function waitForDeliveries(count: number): Promise<Delivery[]> {
  await vi.waitFor(() => expect(deliveries.length).toBeGreaterThanOrEqual(count), {
    timeout: 15_000,
    interval: 20,
  });
  return deliveries;
}

async function effects(
  consumer?: string,
): Promise<{ consumer: string; event_id: string; aggregate_id: string }[]> {
  return dataSource.query(
    `SELECT consumer, event_id, aggregate_id FROM "${SCHEMA}".effects ${consumer ? 'WHERE consumer = $1' : ''} ORDER BY id`,
    consumer ? [consumer] : [],
  );
}

async function unpublishedCount(): Promise<number> {
  const rows: { n: number }[] = await dataSource.query(
    `SELECT count(*)::int AS n FROM "${SCHEMA}".outbox WHERE published_at IS NULL`,
  );
  return rows[0]?.n ?? -1;
}

/** Adds a job to a consumer queue directly, as a redelivery (or a foreign publisher) would. */
async function enqueue(consumer: string, event: DomainEvent, jobId: string): Promise<void> {
  const queue = new Queue(consumerQueueName(consumer), { connection: redis, prefix });
  try {
    await queue.add(event.type, event, { jobId, attempts: 5 });
  } finally {
    await queue.close();
  }
}

async function deleteRedisKeys(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataSource = createDataSource({ url: database.url, schema: SCHEMA, entities: [], migrations: [] });
  await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  try {
    await queryRunner.query(`CREATE SCHEMA "${SCHEMA}"`);
    await createEventTables(queryRunner, SCHEMA);
    await queryRunner.query(
      `CREATE TABLE "${SCHEMA}".effects (id serial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL, aggregate_id text NOT NULL)`,
    );
  } finally {
    await queryRunner.release();
  }
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
});

beforeEach(async () => {
  deliveries = [];
  await truncateSchema(dataSource, SCHEMA);
});

afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
  await deleteRedisKeys();
});

afterAll(async () => {
  await redis?.quit();
  await dataSource?.destroy();
  await database?.drop();
});

describe('recordEvent', () => {
  it('inserts an outbox row with a uuid v4 id in the caller transaction', async () => {
    const id = await record('order.paid', 'order-1', { amount: 1200, currency: 'EUR' });
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const rows: { event_type: string; aggregate_id: string; payload: unknown; published_at: Date | null }[] =
      await dataSource.query(
        `SELECT event_type, aggregate_id, payload, published_at FROM "${SCHEMA}".outbox WHERE id = $1`,
        [id],
      );
    expect(rows).toEqual([
      {
        event_type: 'order.paid',
        aggregate_id: 'order-1',
        payload: { amount: 1200, currency: 'EUR' },
        published_at: null,
      },
    ]);
  });

  it('rejects an invalid event type and an unsafe schema name', async () => {
    await expect(
      dataSource.transaction((m) =>
        recordEvent(m, SCHEMA, { type: 'bad type', aggregateId: 'x', payload: {} }),
      ),
    ).rejects.toThrow(/Invalid domain event type/);
    await expect(
      dataSource.transaction((m) =>
        recordEvent(m, 'x"; DROP TABLE y; --', { type: 'order.paid', aggregateId: 'x', payload: {} }),
      ),
    ).rejects.toThrow(/Invalid schema name/);
    expect(await unpublishedCount()).toBe(0);
  });

  it('an event recorded in a rolled-back transaction is never published', async () => {
    await consume('learning', { 'order.paid': effectHandler('learning') });
    const publisher = await relay();
    await expect(
      dataSource.transaction(async (manager) => {
        await recordEvent(manager, SCHEMA, {
          type: 'order.paid',
          aggregateId: 'order-rolled-back',
          payload: {},
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await publisher.flush()).toBe(0);
    const rows: unknown[] = await dataSource.query(`SELECT id FROM "${SCHEMA}".outbox`);
    expect(rows).toHaveLength(0);
    // A committed event afterwards is the only one delivered.
    const committed = await record('order.paid', 'order-committed');
    expect(await publisher.flush()).toBe(1);
    await waitForDeliveries(1);
    expect(deliveries.map((d) => d.event.id)).toEqual([committed]);
    expect(await effects()).toEqual([
      { consumer: 'learning', event_id: committed, aggregate_id: 'order-committed' },
    ]);
  });
});

describe('outbox relay and consumers', () => {
  it('fans an event out to every registered consumer, each handles it once', async () => {
    await consume('learning', { 'order.paid': effectHandler('learning') });
    await consume('community', {
      'order.paid': effectHandler('community'),
      'post.created': effectHandler('community'),
    });
    const publisher = await relay();
    const id = await record('order.paid', 'order-42', { buyerId: 'user-7', amountMinor: 4900 });

    expect(await publisher.flush()).toBe(1);
    await waitForDeliveries(2);

    expect(deliveries.map((d) => `${d.consumer}:${d.outcome}`).sort()).toEqual([
      'community:handled',
      'learning:handled',
    ]);
    const delivered = deliveries[0]?.event;
    expect(delivered).toEqual({
      id,
      type: 'order.paid',
      source: 'commerce',
      aggregateId: 'order-42',
      payload: { buyerId: 'user-7', amountMinor: 4900 },
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(await effects('learning')).toHaveLength(1);
    expect(await effects('community')).toHaveLength(1);
    expect(await unpublishedCount()).toBe(0);
    const inbox: { consumer: string; event_id: string; event_type: string }[] = await dataSource.query(
      `SELECT consumer, event_id, event_type FROM "${SCHEMA}".inbox ORDER BY consumer`,
    );
    expect(inbox).toEqual([
      { consumer: 'community', event_id: id, event_type: 'order.paid' },
      { consumer: 'learning', event_id: id, event_type: 'order.paid' },
    ]);
  });

  it('routes an event only to the consumers registered for its type', async () => {
    await consume('learning', { 'order.paid': effectHandler('learning') });
    await consume('community', { 'post.created': effectHandler('community') });
    const publisher = await relay();
    await record('post.created', 'post-1');
    expect(await publisher.flush()).toBe(1);
    await waitForDeliveries(1);
    expect(await effects()).toEqual([
      expect.objectContaining({ consumer: 'community', aggregate_id: 'post-1' }),
    ]);
    expect(await redis.llen(`${prefix}:${consumerQueueName('learning')}:wait`)).toBe(0);
  });

  it('publishes more events than one batch in order, and flush returns the count', async () => {
    await consume('learning', { 'order.paid': effectHandler('learning') });
    const publisher = await relay();
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) ids.push(await record('order.paid', `order-${i}`));
    expect(await publisher.flush()).toBe(20);
    expect(await publisher.flush()).toBe(0);
    await waitForDeliveries(20);
    expect((await effects('learning')).map((e) => e.event_id).sort()).toEqual([...ids].sort());
  });

  it('a redelivered event (same job again, or a replay) has no second effect', async () => {
    await consume('learning', { 'order.paid': effectHandler('learning') });
    const publisher = await relay();
    const id = await record('order.paid', 'order-9');
    expect(await publisher.flush()).toBe(1);
    const [first] = await waitForDeliveries(1);
    expect(first?.outcome).toBe('handled');

    // Redelivery under another job id (e.g. after the completed job was removed): the inbox skips it.
    await enqueue('learning', first!.event, `${id}-redelivered`);
    await waitForDeliveries(2);
    expect(deliveries[1]).toMatchObject({ consumer: 'learning', outcome: 'duplicate' });

    // Replay of the outbox: republished with the same job id (deduplicated by BullMQ) — still one effect.
    expect(await replayOutbox({ dataSource, schema: SCHEMA, since: new Date(0) })).toBe(1);
    expect(await unpublishedCount()).toBe(1);
    expect(await publisher.flush()).toBe(1);
    expect(await unpublishedCount()).toBe(0);

    // Direct redelivery of the same event with yet another id to prove the worker is still processing.
    await enqueue('learning', first!.event, `${id}-again`);
    await waitForDeliveries(3);
    expect(deliveries.slice(1).map((d) => d.outcome)).toEqual(['duplicate', 'duplicate']);
    expect(await effects('learning')).toHaveLength(1);
  });

  it('events with no consumer yet are marked published and kept; replay delivers them to a late consumer', async () => {
    const publisher = await relay();
    const early = await record('order.paid', 'order-early');
    expect(await publisher.flush()).toBe(1);
    expect(await unpublishedCount()).toBe(0);

    await consume('notifications', { 'order.paid': effectHandler('notifications') });
    const before = new Date(Date.now() - 60_000);
    expect(await replayOutbox({ dataSource, schema: SCHEMA, since: before, types: ['post.created'] })).toBe(
      0,
    );
    expect(await replayOutbox({ dataSource, schema: SCHEMA, since: before, types: ['order.paid'] })).toBe(1);
    expect(await publisher.flush()).toBe(1);
    await waitForDeliveries(1);
    expect(await effects('notifications')).toEqual([expect.objectContaining({ event_id: early })]);
  });

  it('a relay that died before marking rows published leaves them for the next relay; effects stay once', async () => {
    await consume('learning', { 'order.paid': effectHandler('learning') });
    const ids = [await record('order.paid', 'order-a'), await record('order.paid', 'order-b')];

    // Crashed relay #1: locked the rows, published the first one to the queue, died before its UPDATE/COMMIT.
    const crashed = dataSource.createQueryRunner();
    await crashed.connect();
    await crashed.startTransaction();
    await crashed.query(
      `SELECT id FROM "${SCHEMA}".outbox WHERE published_at IS NULL FOR UPDATE SKIP LOCKED`,
    );
    const [published] = await dataSource.query(
      `SELECT id, event_type, aggregate_id, payload, occurred_at FROM "${SCHEMA}".outbox WHERE id = $1`,
      [ids[0]],
    );
    await enqueue(
      'learning',
      {
        id: published.id,
        type: 'order.paid',
        source: 'commerce',
        aggregateId: published.aggregate_id,
        payload: published.payload,
        occurredAt: new Date(published.occurred_at).toISOString(),
      },
      published.id,
    );

    const next = await relay();
    // While the dying relay still holds its locks, the new relay skips those rows instead of blocking.
    expect(await next.flush()).toBe(0);
    // The process dies: its connection closes and Postgres aborts the transaction, releasing the locks.
    await crashed.rollbackTransaction();
    await crashed.release();

    expect(await next.flush()).toBe(2);
    expect(await unpublishedCount()).toBe(0);
    await waitForDeliveries(2);
    const learned = await effects('learning');
    expect(learned.map((e) => e.event_id).sort()).toEqual([...ids].sort());
  });

  it('two relays publishing concurrently do not double an effect', async () => {
    const learned = new Map<string, number>();
    await consume('learning', {
      'order.paid': async (event, manager) => {
        learned.set(event.id, (learned.get(event.id) ?? 0) + 1);
        await effectHandler('learning')(event, manager);
      },
    });
    const relays = [await relay(), await relay()];
    const ids: string[] = [];
    for (let i = 0; i < 40; i += 1) ids.push(await record('order.paid', `order-${i}`));

    const counts = await Promise.all([
      relays[0]!.flush(),
      relays[1]!.flush(),
      relays[0]!.flush(),
      relays[1]!.flush(),
    ]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(await unpublishedCount()).toBe(0);

    // Force the worst case too: both relays re-publish everything.
    await replayOutbox({ dataSource, schema: SCHEMA, since: new Date(0) });
    const again = await Promise.all([relays[0]!.flush(), relays[1]!.flush()]);
    expect(again.reduce((a, b) => a + b, 0)).toBe(40);

    await waitForDeliveries(40);
    const rows = await effects('learning');
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(ids));
    expect([...learned.values()].every((n) => n === 1)).toBe(true);
  });

  it('retries a failing handler with backoff, rolling back its partial effects, then succeeds', async () => {
    let calls = 0;
    await consume('learning', {
      'order.paid': async (event, manager) => {
        calls += 1;
        await effectHandler('learning')(event, manager);
        if (calls < 3) throw new Error(`transient failure ${calls}`);
      },
    });
    const publisher = await relay({ backoffDelayMs: 10 });
    const id = await record('order.paid', 'order-flaky');
    expect(await publisher.flush()).toBe(1);
    await waitForDeliveries(1);
    expect(calls).toBe(3);
    expect(deliveries).toEqual([expect.objectContaining({ consumer: 'learning', outcome: 'handled' })]);
    expect(await effects('learning')).toEqual([expect.objectContaining({ event_id: id })]);
    const inbox: unknown[] = await dataSource.query(`SELECT event_id FROM "${SCHEMA}".inbox`);
    expect(inbox).toHaveLength(1);
    const queue = new Queue(consumerQueueName('learning'), { connection: redis, prefix });
    try {
      const job = await queue.getJob(id);
      expect(job?.attemptsMade).toBe(3);
      expect(job?.opts.attempts).toBeGreaterThanOrEqual(5);
      expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: 10 });
    } finally {
      await queue.close();
    }
  });

  it('acknowledges an event type the consumer has no handler for', async () => {
    await consume('learning', { 'order.paid': effectHandler('learning') });
    const stray: DomainEvent = {
      id: randomUUID(),
      type: 'order.refunded',
      source: 'commerce',
      aggregateId: 'order-1',
      payload: {},
      occurredAt: new Date().toISOString(),
    };
    await enqueue('learning', stray, stray.id);
    await waitForDeliveries(1);
    expect(deliveries[0]).toMatchObject({ outcome: 'unhandled' });
    const inbox: unknown[] = await dataSource.query(`SELECT event_id FROM "${SCHEMA}".inbox`);
    expect(inbox).toHaveLength(0);
    expect(await effects()).toHaveLength(0);
  });

  it('a restarted consumer drops the routes of types it no longer handles', async () => {
    const first = await consume('learning', {
      'order.paid': effectHandler('learning'),
      'order.refunded': effectHandler('learning'),
    });
    expect(await redis.smembers(`${prefix}:events:routes:order.refunded`)).toEqual(['learning']);
    await first.stop();
    await consume('learning', { 'order.paid': effectHandler('learning') });
    expect(await redis.smembers(`${prefix}:events:routes:order.refunded`)).toEqual([]);
    expect(await redis.smembers(`${prefix}:events:routes:order.paid`)).toEqual(['learning']);
  });

  it('publishes right after commit on NOTIFY, without waiting for the poll', async () => {
    await consume('learning', { 'order.paid': effectHandler('learning') });
    await relay({ listen: true, pollIntervalMs: 600_000 });
    // Let the LISTEN connection come up: an event recorded before it would wait for the (10 min) poll.
    await vi.waitFor(
      async () => {
        const rows: { n: number }[] = await dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'commerce-outbox-listen' AND datname = current_database() AND query LIKE 'LISTEN%'`,
        );
        expect(rows[0]?.n).toBe(1);
      },
      { timeout: 10_000, interval: 20 },
    );
    const id = await record('order.paid', 'order-notify');
    await waitForDeliveries(1);
    expect(deliveries[0]?.event.id).toBe(id);
    expect(await unpublishedCount()).toBe(0);
  });

  it('stop() waits for the handler in progress to commit, and a stopped relay publishes nothing', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered!: () => void;
    const started = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const consumer = await consume('learning', {
      'order.paid': async (event, manager) => {
        entered();
        await gate;
        await effectHandler('learning')(event, manager);
      },
    });
    const publisher = await relay();
    await record('order.paid', 'order-slow');
    expect(await publisher.flush()).toBe(1);
    await started;

    let stopped = false;
    const stopping = consumer.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await effects('learning')).toHaveLength(1);

    await publisher.stop();
    await record('order.paid', 'order-after-stop');
    expect(await publisher.flush()).toBe(0);
    expect(await unpublishedCount()).toBe(1);
  });
});
