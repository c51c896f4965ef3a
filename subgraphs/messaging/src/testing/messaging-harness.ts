import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createDataSource,
  createLogger,
  createRedis,
  createRedisPubSub,
  createTokenVerifier,
  migrate,
  startSubgraphServer,
  type ClosablePubSub,
  type PlatformRole,
  type Redis,
  type RunningSubgraph,
} from '@edugraph/kit';
import { createTestDatabase, QueryCounter, type TestDatabase } from '@edugraph/kit/testing';
import { messagingMigrations } from '@edugraph/migrations/messaging';
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import type { DataSource } from 'typeorm';
import WebSocket from 'ws';
import { messagingEntities } from '../entities.js';
import { createMessagingServices, type MessagingServices } from '../messaging-services.js';
import { buildMessagingSchema } from '../schema.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ISSUER = 'https://identity.edugraph.test';
const AUDIENCE = 'edugraph-api';

export type TestUser = { id: string; token: string; roles: PlatformRole[] };

export type MessagingInstance = {
  server: RunningSubgraph;
  services: MessagingServices;
  pubSub: ClosablePubSub;
};

type Result<T> = FormattedExecutionResult<T, unknown>;

export type MessagingHarness = {
  db: TestDatabase;
  dataSource: DataSource;
  counter: QueryCounter;
  redis: Redis;
  prefix: string;
  /** The first instance (more with `startInstance`). */
  instance: MessagingInstance;
  startInstance(): Promise<MessagingInstance>;
  user(roles?: PlatformRole[]): Promise<TestUser>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: TestUser | null,
    url?: string,
  ): Promise<Result<T>>;
  /** A graphql-ws client for `as`, on the given instance (default the first). */
  ws(as: TestUser | null, instance?: MessagingInstance): Client;
  /** Resolves once Redis has `count` subscribers on a messaging topic (publishing earlier would be lost). */
  subscribers(topic: string, id: string | undefined, count: number): Promise<void>;
  close(): Promise<void>;
};

/** A fresh database with the real migrations, a unique Redis prefix, real HTTP + graphql-ws servers. */
export async function createMessagingHarness(name: string): Promise<MessagingHarness> {
  const db = await createTestDatabase(`messaging_${name}`);
  const counter = new QueryCounter();
  const dataSource = createDataSource({
    url: db.url,
    schema: 'messaging',
    entities: messagingEntities,
    migrations: messagingMigrations,
    logger: counter,
    poolSize: 6,
  });
  await migrate(dataSource, 'messaging');
  await dataSource.initialize();
  const prefix = `test-messaging-${name}-${randomBytes(4).toString('hex')}:`;
  const redis = createRedis(TEST_REDIS_URL, { name: prefix });
  const logger = createLogger({ name: 'messaging-test', level: 'silent' });
  const pair = await generateKeyPair('ES256', { extractable: true });
  const privateKey: CryptoKey = pair.privateKey;
  const keys: JWTVerifyGetKey = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }],
  });
  const verifyToken = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys });
  const instances: MessagingInstance[] = [];
  const clients: Client[] = [];
  /** Per instance: listening subscriptions per channel (`topic:id`), so tests publish only once all listen. */
  const listening: Map<string, number>[] = [];

  async function startInstance(): Promise<MessagingInstance> {
    // Each instance: its own pool, Redis connections and PubSub (as separate processes would have).
    const ownDataSource = createDataSource({
      url: db.url,
      schema: 'messaging',
      entities: messagingEntities,
      migrations: [],
      poolSize: 4,
    });
    await ownDataSource.initialize();
    const ownRedis = createRedis(TEST_REDIS_URL);
    const counts = new Map<string, number>();
    listening.push(counts);
    const pubSub = countListeners(
      createRedisPubSub({ redisUrl: TEST_REDIS_URL, prefix: `${prefix}messaging:`, name: prefix }),
      counts,
    );
    const services = createMessagingServices({
      dataSource: instances.length === 0 ? dataSource : ownDataSource,
      redis: ownRedis,
      pubSub,
      keyPrefix: prefix,
      presenceTtlSeconds: 300,
      groupMaxMembers: 50,
    });
    const { schema } = await buildMessagingSchema(services);
    const server = await startSubgraphServer({
      name: 'messaging',
      schema,
      port: 0,
      production: true,
      dataSource: ownDataSource,
      redis: ownRedis,
      verifyToken,
      logger,
      subscriptions: true,
      onShutdown: () => pubSub.close(),
    });
    const instance = { server, services, pubSub };
    instances.push(instance);
    return instance;
  }

  const first = await startInstance();

  return {
    db,
    dataSource,
    counter,
    redis,
    prefix,
    instance: first,
    startInstance,
    async user(roles: PlatformRole[] = ['LEARNER']) {
      const id = randomUUID();
      const token = await new SignJWT({ roles, sid: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
        .setSubject(id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      return { id, token, roles };
    },
    async gql<T>(
      query: string,
      variables: Record<string, unknown> = {},
      as: TestUser | null = null,
      url = first.server.url,
    ) {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(as ? { authorization: `Bearer ${as.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as Result<T>;
    },
    ws(as: TestUser | null, instance = first) {
      const client = createClient({
        url: instance.server.wsUrl!,
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: as ? { authorization: `Bearer ${as.token}` } : {},
      });
      clients.push(client);
      return client;
    },
    async subscribers(topic: string, id: string | undefined, count: number) {
      const key = `${topic}${id ? `:${id}` : ''}`;
      const channel = `${prefix}messaging:${key}`;
      for (;;) {
        const local = listening.map((counts) => counts.get(key) ?? 0);
        const total = local.reduce((a, b) => a + b, 0);
        const [, n] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
        // Every listener attached locally, and every instance with listeners subscribed in Redis.
        if (total >= count && Number(n) >= local.filter((c) => c > 0).length) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      for (const client of clients) await client.dispose();
      for (const instance of instances) await instance.server.stop();
      const leftover = await redis.keys(`${prefix}*`);
      if (leftover.length > 0) await redis.del(...leftover);
      redis.disconnect();
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}

/** Wraps a PubSub to count the subscriptions currently iterating, per `topic[:id]`. */
function countListeners(pubSub: ClosablePubSub, counts: Map<string, number>): ClosablePubSub {
  return {
    ...pubSub,
    subscribe(topic: string, id?: unknown) {
      const key = `${topic}${id === undefined ? '' : `:${String(id)}`}`;
      const inner = pubSub.subscribe(topic, id);
      return {
        [Symbol.asyncIterator]() {
          const iterator = inner[Symbol.asyncIterator]();
          let counted = false;
          const release = () => {
            if (counted) counts.set(key, (counts.get(key) ?? 1) - 1);
            counted = false;
          };
          return {
            next() {
              const pending = iterator.next();
              if (!counted) {
                counted = true;
                counts.set(key, (counts.get(key) ?? 0) + 1);
              }
              return pending;
            },
            async return(value?: unknown) {
              release();
              return (await iterator.return?.(value)) ?? { done: true as const, value: undefined };
            },
          };
        },
      };
    },
  };
}

/** The error codes of a result. */
export function codes(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.['code']);
}

/** Collects a subscription's results; `next(n)` resolves once n results arrived. */
export type Subscription<T> = {
  results: Result<T>[];
  done: Promise<void>;
  next(n: number): Promise<void>;
  stop(): void;
};

export function subscribe<T = Record<string, unknown>>(
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Subscription<T> {
  const results: Result<T>[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  let stop: () => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    stop = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          results.push(value as Result<T>);
          for (const waiter of waiters.filter((w) => results.length >= w.n)) waiter.resolve();
        },
        error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: resolve,
      },
    );
  });
  done.catch(() => undefined);
  return {
    results,
    done,
    next: (n) =>
      results.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    stop: () => stop(),
  };
}
