import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  consumerQueueName,
  createEventTables,
  createLogger,
  recordEvent,
  replayOutbox,
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
  createLearningHarness,
  TEST_REDIS_URL,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';
import { ORDER_PAID, type OrderPaidPayload } from './order-paid.js';

/** Commerce's side, simulated: its own schema with an outbox in the same database, and its relay. */
const COMMERCE = 'commerce_sim';
const prefix = `test-learning-orders-${randomBytes(4).toString('hex')}`;
const logger = createLogger({ name: 'order-paid-test', level: 'silent' });

let h: LearningHarness;
let instructor: TestUser;
let admin: TestUser;
let relay: OutboxRelay;
let consumer: EventConsumer;
const deliveries: { event: DomainEvent; outcome: EventOutcome }[] = [];

beforeAll(async () => {
  h = await createLearningHarness('orders');
  instructor = await h.user(['INSTRUCTOR']);
  admin = await h.user(['ADMIN']);
  const runner = h.dataSource.createQueryRunner();
  try {
    await runner.query(`CREATE SCHEMA ${COMMERCE}`);
    await createEventTables(runner, COMMERCE);
  } finally {
    await runner.release();
  }
  consumer = await startEventConsumer({
    consumer: 'learning',
    dataSource: h.dataSource,
    schema: 'learning',
    redisUrl: TEST_REDIS_URL,
    logger,
    prefix,
    handlers: { [ORDER_PAID]: h.services.enrollments.onOrderPaid },
    onProcessed: (event, outcome) => deliveries.push({ event, outcome }),
  });
  relay = startOutboxRelay({
    dataSource: h.dataSource,
    schema: COMMERCE,
    source: 'commerce',
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

async function orderPaid(payload: OrderPaidPayload): Promise<string> {
  return h.dataSource.transaction((manager) =>
    recordEvent(manager, COMMERCE, { type: ORDER_PAID, aggregateId: payload.orderId, payload }),
  );
}

async function delivered(count: number): Promise<void> {
  await vi.waitFor(() => expect(deliveries.length).toBeGreaterThanOrEqual(count), {
    timeout: 15_000,
    interval: 20,
  });
}

async function enrollmentsOf(userId: string) {
  return (await h.dataSource.query(
    `SELECT course_id, status, source, order_id FROM learning.enrollments WHERE user_id = $1 ORDER BY course_id`,
    [userId],
  )) as { course_id: string; status: string; source: string; order_id: string }[];
}

async function activations(userId: string): Promise<number> {
  const rows = (await h.dataSource.query(
    `SELECT count(*)::int AS n FROM learning.outbox WHERE event_type = 'enrollment.activated' AND payload->>'userId' = $1`,
    [userId],
  )) as { n: number }[];
  return rows[0]?.n ?? -1;
}

describe('order.paid → enrollment', () => {
  it('enrolls the buyer in each COURSE line exactly once, even when the event is redelivered or replayed', async () => {
    const a = await h.publishedCourse(instructor, admin);
    const b = await h.publishedCourse(instructor, admin);
    const buyer = await h.user();
    const orderId = `ord_${randomUUID()}`;
    const eventId = await orderPaid({
      orderId,
      userId: buyer.id,
      currency: 'EUR',
      totalMinor: 9800,
      paidAt: new Date().toISOString(),
      lines: [
        { kind: 'COURSE', refId: a.courseId, quantity: 1 },
        { kind: 'COURSE', refId: b.courseId, quantity: 1 },
        { kind: 'EBOOK', refId: randomUUID(), quantity: 1 },
        { kind: 'COURSE', refId: randomUUID(), quantity: 1 },
      ],
    });
    expect(await relay.flush()).toBe(1);
    await delivered(1);
    expect(deliveries[0]).toMatchObject({ outcome: 'handled', event: { id: eventId, source: 'commerce' } });
    const expected = [a.courseId, b.courseId]
      .sort()
      .map((courseId) => ({ course_id: courseId, status: 'ACTIVE', source: 'PURCHASE', order_id: orderId }));
    expect(await enrollmentsOf(buyer.id)).toEqual(expected);
    expect(await activations(buyer.id)).toBe(2);

    // Redelivery of the same event (another job id, as after a lost acknowledgement): skipped by the inbox.
    const queue = new Queue(consumerQueueName('learning'), { connection: h.redis, prefix });
    try {
      await queue.add(ORDER_PAID, deliveries[0]!.event, { jobId: `${eventId}-again` });
    } finally {
      await queue.close();
    }
    await delivered(2);
    expect(deliveries[1]).toMatchObject({ outcome: 'duplicate', event: { id: eventId } });
    // A replay of commerce's outbox: published again under the same job id — still one effect.
    expect(await replayOutbox({ dataSource: h.dataSource, schema: COMMERCE, since: new Date(0) })).toBe(1);
    expect(await relay.flush()).toBe(1);
    expect(await enrollmentsOf(buyer.id)).toEqual(expected);
    expect(await activations(buyer.id)).toBe(2);
    const inbox = (await h.dataSource.query(
      `SELECT consumer, event_id FROM learning.inbox WHERE event_id = $1`,
      [eventId],
    )) as unknown[];
    expect(inbox).toEqual([{ consumer: 'learning', event_id: eventId }]);
  });

  it('reactivates a cancelled enrollment on a new purchase, and a second order for an active one changes nothing', async () => {
    const course = await h.publishedCourse(instructor, admin);
    const buyer = await h.user();
    await h.ok(
      `mutation($input: EnrollLearnerInput!) { enrollLearner(input: $input) { enrollment { id } } }`,
      { input: { courseId: course.courseId, userId: buyer.id } },
      instructor,
    );
    await h.dataSource.query(
      `UPDATE learning.enrollments SET status = 'CANCELLED', cancelled_at = now() WHERE user_id = $1`,
      [buyer.id],
    );
    const line = { kind: 'COURSE' as const, refId: course.courseId, quantity: 1 };
    const paid = {
      userId: buyer.id,
      currency: 'EUR',
      totalMinor: 100,
      paidAt: new Date().toISOString(),
      lines: [line],
    };
    const ids = [
      await orderPaid({ ...paid, orderId: 'ord_first' }),
      await orderPaid({ ...paid, orderId: 'ord_second' }),
    ];
    expect(await relay.flush()).toBe(2);
    const ours = () => deliveries.filter((d) => ids.includes(d.event.id));
    await vi.waitFor(() => expect(ours()).toHaveLength(2), { timeout: 15_000, interval: 20 });
    expect(ours().map((d) => d.outcome)).toEqual(['handled', 'handled']);
    expect(await enrollmentsOf(buyer.id)).toEqual([
      { course_id: course.courseId, status: 'ACTIVE', source: 'PURCHASE', order_id: 'ord_first' },
    ]);
    expect(await activations(buyer.id)).toBe(2);
  });
});
