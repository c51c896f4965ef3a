import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Repeater } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';
import { DomainError } from '../errors/domain-error.js';

/**
 * The publish/subscribe contract type-graphql expects (`buildSchema({ pubSub })`). `publish(topic, payload)`
 * or `publish(topic, id, payload)`; `subscribe(topic, id?)` yields the payloads published on that topic (and id).
 */
export type PubSub = {
  publish(routingKey: string, ...args: unknown[]): void;
  subscribe(routingKey: string, dynamicId?: unknown): AsyncIterable<unknown>;
};

/** A PubSub with connections to release on shutdown. */
export type ClosablePubSub = PubSub & { close(): Promise<void> };

/** Default bound of events queued for one subscriber that does not keep up. */
export const DEFAULT_MAX_QUEUED_EVENTS = 256;

/** Ends a subscription whose consumer fell too far behind (its queue is bounded). */
export class SlowConsumerError extends DomainError<'SLOW_CONSUMER'> {
  constructor(maxQueued: number) {
    super(
      'SLOW_CONSUMER',
      `The subscriber fell more than ${maxQueued} events behind and was dropped; resubscribe and catch up.`,
    );
  }
}

export type RedisPubSubOptions = {
  redisUrl: string;
  /**
   * Prepended to every topic (Redis channel), e.g. `edugraph:messaging:`. Instances that must see each
   * other's events share the prefix; tests use a unique one.
   */
  prefix?: string;
  /** Redis connection name (shows in `CLIENT LIST`). */
  name?: string;
  /** Events queued per subscriber before it is dropped with SLOW_CONSUMER (default 256). */
  maxQueuedEvents?: number;
};

type Listener = (event: Event) => void;
type Target = {
  addEventListener(topic: string, listener: Listener): void;
  removeEventListener(topic: string, listener: Listener): void;
  dispatchEvent(event: Event): boolean;
};

/**
 * PubSub over an event target. Each subscriber has a bounded queue: when it is `maxQueued` events behind,
 * its iteration ends with SlowConsumerError (after the queued events), and the other subscribers are unaffected.
 */
function pubSubOver(target: Target, prefix: string, maxQueued: number): PubSub {
  const topicOf = (routingKey: string, id: unknown) =>
    `${prefix}${routingKey}${id === undefined ? '' : `:${String(id)}`}`;
  return {
    publish(routingKey, ...args) {
      const [id, payload] = args.length >= 2 ? [args[0], args[1]] : [undefined, args[0]];
      // One object per publish, shared by its local subscribers (the subscription server shares an event's
      // execution by this identity), never by two publishes of the same value.
      const detail = Array.isArray(payload)
        ? [...(payload as unknown[])]
        : typeof payload === 'object' && payload !== null
          ? { ...payload }
          : (payload ?? null);
      target.dispatchEvent(new CustomEvent(topicOf(routingKey, id), { detail }));
    },
    subscribe(routingKey, dynamicId) {
      const topic = topicOf(routingKey, dynamicId);
      return new Repeater<unknown>((push, stop) => {
        let queued = 0;
        const listener: Listener = (event) => {
          if (queued >= maxQueued) {
            stop(new SlowConsumerError(maxQueued));
            return;
          }
          queued += 1;
          push((event as CustomEvent<unknown>).detail).then(
            () => (queued -= 1),
            () => undefined,
          );
        };
        target.addEventListener(topic, listener);
        const remove = () => target.removeEventListener(topic, listener);
        void Promise.resolve(stop).then(remove, remove);
      });
    },
  };
}

/**
 * A PubSub over Redis pub/sub (graphql-yoga's Redis event target with two ioredis connections: one publishes,
 * one subscribes). Every instance sharing the Redis server and prefix receives every event published by any
 * of them, exactly once per local subscriber. Payloads travel as JSON: publish plain data (ids, ISO strings),
 * not class instances or Dates. A subscriber that falls behind is dropped (SLOW_CONSUMER), never buffered
 * without limit.
 */
export function createRedisPubSub(options: RedisPubSubOptions): ClosablePubSub {
  const name = options.name ?? 'pubsub';
  const publishClient = new Redis(options.redisUrl, {
    connectionName: `${name}-pub`,
    maxRetriesPerRequest: 3,
  });
  const subscribeClient = new Redis(options.redisUrl, {
    connectionName: `${name}-sub`,
    maxRetriesPerRequest: null,
  });
  const target = createRedisEventTarget({ publishClient, subscribeClient }) as unknown as Target;
  const pubSub = pubSubOver(
    target,
    options.prefix ?? '',
    options.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS,
  );
  let closed: Promise<void> | null = null;
  return {
    ...pubSub,
    close() {
      closed ??= (async () => {
        await Promise.allSettled([publishClient.quit(), subscribeClient.quit()]);
        publishClient.disconnect();
        subscribeClient.disconnect();
      })();
      return closed;
    },
  };
}

/** An in-process PubSub (one instance only): for schema composition and unit tests. */
export function createMemoryPubSub(prefix = '', maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS): ClosablePubSub {
  return {
    ...pubSubOver(new EventTarget() as Target, prefix, maxQueuedEvents),
    close: async () => undefined,
  };
}
