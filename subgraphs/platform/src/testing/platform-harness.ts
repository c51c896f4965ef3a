import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createLogger,
  createRedis,
  createRequestContext,
  migrate,
  type PlatformRole,
  type Redis,
  type Viewer,
} from '@edugraph/kit';
import { createTestDatabase, QueryCounter, type TestDatabase } from '@edugraph/kit/testing';
import { graphql, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll } from 'vitest';
import { createPlatformDataSource } from '../data-source.js';
import { bindPlatformServices, type PlatformServices } from '../platform-services.js';
import { createPlatformRuntime, type PlatformRuntime } from '../runtime.js';
import { buildPlatformSchema } from '../schema.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
export const TEST_IP = '203.0.113.7';

export function viewer(roles: PlatformRole[] = ['LEARNER'], userId: string = randomUUID()): Viewer {
  return {
    userId,
    sessionId: randomUUID(),
    roles,
    scopes: [],
    apiKeyId: null,
    expiresAt: Math.floor(Date.now() / 1000) + 600,
  };
}

export type PlatformHarness = {
  db: TestDatabase;
  dataSource: DataSource;
  counter: QueryCounter;
  redis: Redis;
  prefix: string;
  runtime: PlatformRuntime;
  services: PlatformServices;
  schema: GraphQLSchema;
  logger: ReturnType<typeof createLogger>;
  /** Clock of the flag cache (ms); tests move it forward to expire entries. */
  clock: { now: number };
  exec<T = Record<string, unknown>>(
    source: string,
    variables?: Record<string, unknown>,
    as?: Viewer | null,
  ): Promise<ExecutionResult<T>>;
  close(): Promise<void>;
};

/** A fresh database with the real migrations, a unique Redis/BullMQ prefix, and the schema bound to the services. */
export async function createPlatformHarness(name: string): Promise<PlatformHarness> {
  const db = await createTestDatabase(`platform_${name}`);
  const counter = new QueryCounter();
  const dataSource = createPlatformDataSource(db.url, { poolSize: 4, logger: counter });
  await migrate(dataSource, 'platform');
  await dataSource.initialize();
  const prefix = `test-platform-${name}-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(TEST_REDIS_URL, { name: prefix });
  const logger = createLogger({ name: 'platform-test', level: 'silent' });
  const clock = { now: Date.now() };
  const runtime = await createPlatformRuntime({
    config: {
      flagEnvironment: 'test',
      flagCacheTtlMs: 30_000,
      auditIpHashSecret: 'test-ip-secret',
      queuePrefix: prefix,
    },
    dataSource,
    redis,
    logger,
    cacheClock: () => clock.now,
  });
  bindPlatformServices(runtime.services);
  const { schema } = await buildPlatformSchema();
  return {
    db,
    dataSource,
    counter,
    redis,
    prefix,
    runtime,
    services: runtime.services,
    schema,
    logger,
    clock,
    exec: async <T>(source: string, variables: Record<string, unknown> = {}, as: Viewer | null = null) =>
      (await graphql({
        schema,
        source,
        variableValues: variables,
        contextValue: createRequestContext({
          requestId: `req-${randomUUID()}`,
          viewer: as,
          ip: TEST_IP,
          userAgent: 'vitest',
          logger,
        }),
      })) as ExecutionResult<T>,
    close: async () => {
      await runtime.stop();
      bindPlatformServices(null);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}

/**
 * The harness of a spec file: created in `beforeAll` and closed in `afterAll` of the calling `describe`.
 * The returned object is filled in by `beforeAll`, so hooks registered after this call can use it.
 */
export function usePlatformHarness(name: string): PlatformHarness {
  const harness = {} as PlatformHarness;
  let created: PlatformHarness | null = null;
  beforeAll(async () => {
    created = await createPlatformHarness(name);
    Object.assign(harness, created);
  });
  afterAll(async () => {
    await created?.close();
  });
  return harness;
}

/** The error codes of a GraphQL result. */
export function codes(result: ExecutionResult): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.['code']);
}

export async function auditRows(
  dataSource: DataSource,
  action?: string,
): Promise<
  {
    id: string;
    actor_id: string | null;
    action: string;
    target_type: string;
    target_id: string | null;
    request_id: string | null;
    ip_hash: string | null;
    metadata: Record<string, unknown>;
    source: string;
  }[]
> {
  return action
    ? dataSource.query(`SELECT * FROM "platform".audit_events WHERE action = $1 ORDER BY occurred_at, id`, [
        action,
      ])
    : dataSource.query(`SELECT * FROM "platform".audit_events ORDER BY occurred_at, id`);
}
