import { Queue, type JobsOptions } from 'bullmq';
import pg from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { createRedis } from '../data/redis.js';
import type { Logger } from '../logging/logger.js';
import type { DomainEvent } from './domain-event.js';
import { consumerQueueName, DEFAULT_EVENTS_PREFIX, routesKey } from './event-routing.js';
import { assertSchemaName, outboxChannel } from './event-tables.js';

export type OutboxRelayOptions = {
  dataSource: DataSource;
  /** The publishing subgraph's schema (holds `outbox`). */
  schema: string;
  /** The publishing subgraph's name; becomes `DomainEvent.source`. */
  source: string;
  redisUrl: string;
  logger: Logger;
  /** Poll period when no NOTIFY arrives (default 1000 ms). */
  pollIntervalMs?: number;
  /** Rows locked and published per transaction (default 100). */
  batchSize?: number;
  /** BullMQ queue prefix and routing key prefix (default `edugraph`). */
  prefix?: string;
  /** Delivery attempts per consumer job before it stays in the queue's failed set (default 10, min 5). */
  attempts?: number;
  /** First retry delay; doubles each attempt (default 1000 ms). */
  backoffDelayMs?: number;
  /** LISTEN on `<schema>_outbox` to publish right after commit (default true; polling always runs). */
  listen?: boolean;
};

export type OutboxRelay = {
  /** Publishes everything pending now (all batches) and returns how many events were published. */
  flush(): Promise<number>;
  /** Stops polling/listening, waits for the publish in progress, closes queues and connections. */
  stop(): Promise<void>;
};

type OutboxRow = {
  id: string;
  event_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  occurred_at: Date;
};

type BatchResult = { seen: number; published: number; failed: number };

/**
 * Publishes `<schema>.outbox` rows to the BullMQ queue of every consumer registered for the event
 * type (at-least-once). Rows are claimed with `FOR UPDATE SKIP LOCKED`, so several relays may run.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const schema = assertSchemaName(options.schema);
  const { dataSource, logger, source } = options;
  const prefix = options.prefix ?? DEFAULT_EVENTS_PREFIX;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const jobOptions: JobsOptions = {
    attempts: Math.max(5, options.attempts ?? 10),
    backoff: { type: 'exponential', delay: options.backoffDelayMs ?? 1000 },
    removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
  // Commands fail fast when Redis is down (no infinite retry while a transaction holds row locks).
  const redis = createRedis(options.redisUrl, { name: `${source}-outbox-relay` });
  redis.on('error', (error: Error) => logger.warn({ err: error }, 'outbox relay: redis error'));
  const queues = new Map<string, Queue>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<unknown> = Promise.resolve();
  let backgroundQueued = false;
  let listener: pg.Client | undefined;
  let listenerConnecting = false;

  function queueFor(consumer: string): Queue {
    let queue = queues.get(consumer);
    if (!queue) {
      queue = new Queue(consumerQueueName(consumer), { connection: redis, prefix });
      queue.on('error', (error: Error) => logger.warn({ err: error, consumer }, 'outbox relay: queue error'));
      queues.set(consumer, queue);
    }
    return queue;
  }

  async function publishRow(row: OutboxRow, routes: Map<string, string[]>): Promise<void> {
    let consumers = routes.get(row.event_type);
    if (!consumers) {
      consumers = await redis.smembers(routesKey(prefix, row.event_type));
      routes.set(row.event_type, consumers);
    }
    const event: DomainEvent = {
      id: row.id,
      type: row.event_type,
      source,
      aggregateId: row.aggregate_id,
      payload: row.payload,
      occurredAt: new Date(row.occurred_at).toISOString(),
    };
    // jobId = event id: BullMQ ignores a second add of the same id while the job is kept.
    await Promise.all(
      consumers.map((consumer) =>
        queueFor(consumer).add(event.type, event, { ...jobOptions, jobId: event.id }),
      ),
    );
    if (consumers.length === 0)
      logger.debug({ eventId: event.id, type: event.type }, 'outbox relay: no consumer registered');
  }

  async function publishBatch(manager: EntityManager): Promise<BatchResult> {
    const rows: OutboxRow[] = await manager.query(
      `SELECT id, event_type, aggregate_id, payload, occurred_at FROM "${schema}".outbox
       WHERE published_at IS NULL ORDER BY occurred_at, id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batchSize],
    );
    const routes = new Map<string, string[]>();
    const published: string[] = [];
    let failed = 0;
    for (const row of rows) {
      try {
        await publishRow(row, routes);
        published.push(row.id);
      } catch (error) {
        failed += 1;
        logger.warn(
          { err: error, eventId: row.id, type: row.event_type },
          'outbox relay: publish failed, will retry',
        );
        await manager.query(
          `UPDATE "${schema}".outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`,
          [row.id, error instanceof Error ? error.message : String(error)],
        );
      }
    }
    if (published.length > 0) {
      await manager.query(`UPDATE "${schema}".outbox SET published_at = now() WHERE id = ANY($1::uuid[])`, [
        published,
      ]);
    }
    return { seen: rows.length, published: published.length, failed };
  }

  async function publishPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await dataSource.transaction((manager) => publishBatch(manager));
      total += result.published;
      if (result.seen < batchSize || result.failed > 0 || stopped) break;
    }
    return total;
  }

  /** Runs publishes one at a time in this process (other processes are kept apart by SKIP LOCKED). */
  function serialized(): Promise<number> {
    const run = chain.then(publishPending, publishPending);
    chain = run.catch(() => undefined);
    return run;
  }

  function kick(): void {
    if (stopped || backgroundQueued) return;
    backgroundQueued = true;
    const run = chain.then(
      () => {
        backgroundQueued = false;
        return publishPending();
      },
      () => {
        backgroundQueued = false;
        return publishPending();
      },
    );
    chain = run.then(
      (count) => {
        if (count > 0) logger.debug({ count }, 'outbox relay: published');
      },
      (error: unknown) => logger.error({ err: error }, 'outbox relay: publish pass failed'),
    );
  }

  async function ensureListener(): Promise<void> {
    if (options.listen === false || listener || listenerConnecting || stopped) return;
    const url = (dataSource.options as { url?: string }).url;
    if (!url) return;
    listenerConnecting = true;
    const client = new pg.Client({ connectionString: url, application_name: `${source}-outbox-listen` });
    client.on('error', (error: Error) => {
      logger.warn({ err: error }, 'outbox relay: LISTEN connection lost, polling until it reconnects');
      if (listener === client) listener = undefined;
      void client.end().catch(() => undefined);
    });
    client.on('notification', () => kick());
    try {
      await client.connect();
      await client.query(`LISTEN "${outboxChannel(schema)}"`);
      if (stopped) {
        await client.end();
        return;
      }
      listener = client;
    } catch (error) {
      logger.warn({ err: error }, 'outbox relay: LISTEN unavailable, polling only');
      await client.end().catch(() => undefined);
    } finally {
      listenerConnecting = false;
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      kick();
      void ensureListener();
      schedule();
    }, pollIntervalMs);
    timer.unref();
  }

  void ensureListener();
  kick();
  schedule();

  return {
    async flush(): Promise<number> {
      if (stopped) return 0;
      return serialized();
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      const client = listener;
      listener = undefined;
      if (client) await client.end().catch(() => undefined);
      await chain.catch(() => undefined);
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      queues.clear();
      await redis.quit().catch(() => undefined);
    },
  };
}
