import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from '@graphql-yoga/subscription';
import { Redis } from 'ioredis';

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

export type RedisPubSubOptions = {
  redisUrl: string;
  /**
   * Prepended to every topic (Redis channel), e.g. `edugraph:messaging:`. Instances that must see each
   * other's events share the prefix; tests use a unique one.
   */
  prefix?: string;
  /** Redis connection name (shows in `CLIENT LIST`). */
  name?: string;
};

function prefixed(inner: PubSub, prefix: string): PubSub {
  return {
    publish: (routingKey, ...args) => inner.publish(`${prefix}${routingKey}`, ...args),
    subscribe: (routingKey, dynamicId) => inner.subscribe(`${prefix}${routingKey}`, dynamicId),
  };
}

/**
 * A PubSub over Redis pub/sub (graphql-yoga's event target with two ioredis connections: one publishes,
 * one subscribes). Every instance sharing the Redis server and prefix receives every event published by
 * any of them, exactly once per local subscriber. Payloads travel as JSON: publish plain data (ids,
 * ISO strings), not class instances or Dates.
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
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  const inner = createPubSub({ eventTarget }) as unknown as PubSub;
  const pubSub = prefixed(inner, options.prefix ?? '');
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
export function createMemoryPubSub(prefix = ''): ClosablePubSub {
  return { ...prefixed(createPubSub() as unknown as PubSub, prefix), close: async () => undefined };
}
