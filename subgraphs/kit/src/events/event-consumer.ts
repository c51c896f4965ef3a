import { Worker, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createRedis } from '../data/redis.js';
import type { Logger } from '../logging/logger.js';
import { assertEventType, type DomainEvent, type DomainEventHandler } from './domain-event.js';
import {
  assertConsumerName,
  consumerQueueName,
  consumerTypesKey,
  DEFAULT_EVENTS_PREFIX,
  routesKey,
} from './event-routing.js';
import { assertSchemaName } from './event-tables.js';

/** What a delivery did: ran the handler, skipped an already handled event, or had no handler. */
export type EventOutcome = 'handled' | 'duplicate' | 'unhandled';

export type EventConsumerOptions = {
  /** Consumer name, unique per subgraph role (e.g. `learning`); its queue is `events.<consumer>`. */
  consumer: string;
  dataSource: DataSource;
  /** The consuming subgraph's schema (holds `inbox`). */
  schema: string;
  redisUrl: string;
  logger: Logger;
  /** Event type → handler; the types are registered as this consumer's routes when it starts. */
  handlers: Record<string, DomainEventHandler>;
  /** BullMQ queue prefix and routing key prefix (default `edugraph`); must match the relays'. */
  prefix?: string;
  /** Jobs processed in parallel by this process (default 2; each uses one pooled connection). */
  concurrency?: number;
  /** Called after each successful delivery (tests and metrics). */
  onProcessed?: (event: DomainEvent, outcome: EventOutcome) => void;
};

export type EventConsumer = {
  /** Waits for jobs in progress, then closes the worker and its Redis connections. Routes stay registered. */
  stop(): Promise<void>;
};

/** Registers this consumer's event types in Redis and unregisters the types it handled before but no longer does. */
async function registerRoutes(
  redis: ReturnType<typeof createRedis>,
  prefix: string,
  consumer: string,
  types: string[],
): Promise<void> {
  const typesKey = consumerTypesKey(prefix, consumer);
  const previous = await redis.smembers(typesKey);
  const multi = redis.multi();
  for (const type of previous) if (!types.includes(type)) multi.srem(routesKey(prefix, type), consumer);
  for (const type of types) multi.sadd(routesKey(prefix, type), consumer);
  multi.del(typesKey);
  if (types.length > 0) multi.sadd(typesKey, ...types);
  const results = await multi.exec();
  const failure = results?.find(([error]) => error);
  if (failure?.[0]) throw failure[0];
}

/**
 * Consumes this consumer's BullMQ queue. Each event runs its handler in one transaction with the
 * `<schema>.inbox` insert; an event already in the inbox is skipped (effect-once). A failing handler
 * rolls back both, and BullMQ retries with exponential backoff.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const consumer = assertConsumerName(options.consumer);
  const schema = assertSchemaName(options.schema);
  const { dataSource, logger, handlers } = options;
  const prefix = options.prefix ?? DEFAULT_EVENTS_PREFIX;
  const types = Object.keys(handlers).map(assertEventType);

  const commands = createRedis(options.redisUrl, { name: `${consumer}-events` });
  commands.on('error', (error: Error) => logger.warn({ err: error }, 'event consumer: redis error'));
  try {
    await registerRoutes(commands, prefix, consumer, types);
  } catch (error) {
    await commands.quit().catch(() => undefined);
    throw error;
  }

  async function process(job: Job<DomainEvent>): Promise<EventOutcome> {
    const event = job.data;
    const handler = Object.hasOwn(handlers, event.type) ? handlers[event.type] : undefined;
    if (!handler) {
      logger.warn(
        { consumer, eventId: event.id, type: event.type },
        'event consumer: no handler for event type, acknowledged',
      );
      return 'unhandled';
    }
    return dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO "${schema}".inbox (consumer, event_id, event_type) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer, event.id, event.type],
      );
      if (inserted.length === 0) {
        logger.debug(
          { consumer, eventId: event.id, type: event.type },
          'event consumer: already handled, skipped',
        );
        return 'duplicate';
      }
      await handler(event, manager);
      return 'handled';
    });
  }

  const connection = createRedis(options.redisUrl, { forBullmq: true, name: `${consumer}-events-worker` });
  const worker = new Worker<DomainEvent, EventOutcome>(consumerQueueName(consumer), process, {
    connection,
    prefix,
    concurrency: options.concurrency ?? 2,
    autorun: true,
  });
  worker.on('completed', (job, outcome) => {
    try {
      options.onProcessed?.(job.data, outcome);
    } catch (error) {
      logger.warn({ err: error, consumer }, 'event consumer: onProcessed hook threw');
    }
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    const details = {
      err: error,
      consumer,
      eventId: job.data.id,
      type: job.data.type,
      attemptsMade: job.attemptsMade,
    };
    if (final)
      logger.error(details, 'event consumer: handler failed for the last time, job kept in the failed set');
    else logger.warn(details, 'event consumer: handler failed, will retry');
  });
  worker.on('error', (error) => logger.error({ err: error, consumer }, 'event consumer: worker error'));
  await worker.waitUntilReady();

  let stopped = false;
  return {
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await worker.close();
      await Promise.all([connection.quit().catch(() => undefined), commands.quit().catch(() => undefined)]);
    },
  };
}
