import 'reflect-metadata';
import {
  createLogger,
  createRedis,
  startEventConsumer,
  startOutboxRelay,
  type DomainEvent,
} from '@edugraph/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCommerceHarness,
  TEST_REDIS_URL,
  type CommerceHarness,
} from '../../testing/commerce-harness.js';
import { ORDER_PAID } from './order-events.js';

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * "A crash between payment and fulfilment still grants the enrollment": the payment commits with its
 * `order.paid` in the outbox; nothing is published while no relay runs (the process died); when a relay
 * starts, the consumer (learning grants the enrollment) gets the event — once, even when its first
 * attempt fails.
 */
describe('order.paid through the outbox', () => {
  let h: CommerceHarness;
  const logger = createLogger({ name: 'commerce-outbox-test', level: 'silent' });

  beforeAll(async () => {
    h = await createCommerceHarness('outbox');
  });
  afterAll(async () => {
    const redis = createRedis(TEST_REDIS_URL);
    const leftover = await redis.keys(`${h.prefix}:*`);
    if (leftover.length > 0) await redis.del(...leftover);
    redis.disconnect();
    await h?.close();
  });

  it('survives a crash after payment: published when a relay runs again, handled exactly once', async () => {
    const instructor = await h.user(['INSTRUCTOR']);
    const buyer = await h.user();
    const order = (await h.buy(buyer, [await h.product(instructor)])).data!.checkout.order;
    expect(order.status).toBe('PAID');
    const [row] = (await h.dataSource.query(
      `SELECT published_at FROM "commerce".outbox WHERE event_type = $1 AND aggregate_id = $2`,
      [ORDER_PAID, order.id],
    )) as { published_at: Date | null }[];
    expect(row).toEqual({ published_at: null });

    const handled: DomainEvent[] = [];
    let failures = 0;
    const consumer = await startEventConsumer({
      consumer: 'learning-enrollments-test',
      dataSource: h.dataSource,
      schema: 'commerce',
      redisUrl: TEST_REDIS_URL,
      logger,
      prefix: h.prefix,
      handlers: {
        [ORDER_PAID]: async (event) => {
          if (failures === 0) {
            failures += 1;
            throw new Error('learning was down');
          }
          handled.push(event);
        },
      },
    });
    const relay = startOutboxRelay({
      dataSource: h.dataSource,
      schema: 'commerce',
      source: 'commerce',
      redisUrl: TEST_REDIS_URL,
      logger,
      prefix: h.prefix,
      backoffDelayMs: 50,
      pollIntervalMs: 100,
    });
    try {
      await until(() => (handled.length > 0 ? handled : undefined));
      await relay.flush();
      // A replay of the outbox (e.g. after restoring a backup) is not handled twice (job id = event id, inbox).
      await h.dataSource.query(`UPDATE "commerce".outbox SET published_at = NULL WHERE aggregate_id = $1`, [
        order.id,
      ]);
      await relay.flush();
      await until(async () => {
        const [inbox] = (await h.dataSource.query(
          `SELECT count(*)::int AS n FROM "commerce".inbox WHERE consumer = 'learning-enrollments-test'`,
        )) as { n: number }[];
        return inbox!.n === 1 ? true : undefined;
      });
    } finally {
      await relay.stop();
      await consumer.stop();
    }
    expect(failures).toBe(1);
    expect(handled).toHaveLength(1);
    expect(handled[0]).toMatchObject({
      type: ORDER_PAID,
      source: 'commerce',
      aggregateId: order.id,
      payload: { orderId: order.id, userId: buyer.id, currency: 'USD', totalMinor: 10_000 },
    });
  });
});
