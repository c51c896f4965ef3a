import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { afterAll, beforeAll } from 'vitest';
import { consumerQueueName, createRedis, migrate } from '@edugraph/kit';
import { createTestDatabase, QueryCounter, type TestDatabase } from '@edugraph/kit/testing';
import { IDENTITY_SCHEMA, readIdentityConfig, type IdentityConfig } from '../environment.js';
import { MAIL_QUEUE, type MailRetryOptions } from '../mail/mail-queue.js';
import { lastMailedCode, readMailOutbox } from '../mail/mailer.js';
import { createIdentityDataSource, startIdentity, type RunningIdentity } from '../identity.runtime.js';
import { FakeClock } from '../shared/clock.js';

export type GraphQLResult<T> = {
  status: number;
  /** The response's Cache-Control header (Apollo cache hints). */
  cacheControl?: string | null;
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> & { code?: string } }[];
};

export type RequestOptions = { token?: string; ip?: string };

export type TestIdentity = {
  running: RunningIdentity;
  clock: FakeClock;
  queries: QueryCounter;
  config: IdentityConfig;
  db: TestDatabase;
  baseUrl: string;
  outboxDir: string;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResult<T>>;
  /**
   * Waits (bounded) until the outbox is published and identity's event and mail queues are idle, so
   * every mail asked for so far is in the outbox dir (or failed for good).
   */
  settle(): Promise<void>;
  /** Mail to `email` in the outbox dir, oldest first, after `settle()`. */
  mailsTo(email: string): ReturnType<typeof readMailOutbox>;
  /** The last code mailed to `email`, after `settle()`. */
  lastCode(email: string): Promise<string | null>;
  /** Stops the server (keeps the database) and starts a new one with other settings on the same database. */
  restart(overrides?: Partial<IdentityConfig>): Promise<void>;
  close(): Promise<void>;
};

/** Cheap argon2 cost for tests; production minimums are checked in environment.spec.ts. */
export const TEST_ENV = {
  NODE_ENV: 'test',
  PORT: '0',
  PASSWORD_HASH_MEMORY_KIB: '1024',
  PASSWORD_HASH_TIME_COST: '1',
  INTERNAL_API_TOKEN: 'test-internal-token',
  SIGN_IN_IP_LIMIT: '1000',
  LOG_LEVEL: 'silent',
};

/** Short mail backoff so a retried delivery does not slow the tests. */
export const TEST_MAIL_RETRY: MailRetryOptions = { attempts: 5, backoffDelayMs: 20 };
const SETTLE_TIMEOUT_MS = 15_000;

/** A real identity subgraph on a fresh database, with a fake clock and its own Redis prefixes. */
export async function startTestIdentity(overrides: Partial<IdentityConfig> = {}): Promise<TestIdentity> {
  const db = await createTestDatabase('identity_test');
  await migrate(createIdentityDataSource({ databaseUrl: db.url }, { poolSize: 1 }), IDENTITY_SCHEMA);
  const outboxDir = await mkdtemp(path.join(tmpdir(), 'identity-mail-'));
  const prefix = `test-identity-${randomBytes(4).toString('hex')}`;
  let config: IdentityConfig = {
    ...readIdentityConfig({
      ...TEST_ENV,
      DATABASE_URL: db.url,
      MAIL_OUTBOX_DIR: outboxDir,
      IDENTITY_REDIS_PREFIX: prefix,
      QUEUE_PREFIX: prefix,
    }),
    ...overrides,
  };
  const clock = new FakeClock(new Date());
  const queries = new QueryCounter();
  const start = () => startIdentity({ config, clock, queryLogger: queries, mailRetry: TEST_MAIL_RETRY });
  let running = await start();
  const queueConnection = createRedis(config.redisUrl, { name: 'identity-test-settle' });
  const queues = [consumerQueueName('identity'), MAIL_QUEUE].map(
    (name) => new Queue(name, { connection: queueConnection, prefix }),
  );

  async function busy(): Promise<boolean> {
    await running.relay.flush();
    // Queues first, then the outbox: a handler still running is counted as active until it committed.
    for (const queue of queues) {
      const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      if (Object.values(counts).some((n) => n > 0)) return true;
    }
    const [row] = (await running.services.dataSource.query(
      `SELECT count(*)::int AS n FROM "identity".outbox WHERE published_at IS NULL`,
    )) as { n: number }[];
    return (row?.n ?? 0) > 0;
  }

  async function settle(): Promise<void> {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let idleChecks = 0;
    // Two idle checks in a row: closes the gap between a relay publish and the counts read.
    while (idleChecks < 2) {
      if (await busy()) idleChecks = 0;
      else idleChecks += 1;
      if (Date.now() > deadline) throw new Error('identity did not settle (outbox, events or mail queue)');
      if (idleChecks < 2) await sleep(10);
    }
  }

  const harness: TestIdentity = {
    get running() {
      return running;
    },
    clock,
    queries,
    get config() {
      return config;
    },
    db,
    get baseUrl() {
      return running.url.replace(/\/graphql$/, '');
    },
    outboxDir,
    async gql<T>(query: string, variables: Record<string, unknown> = {}, options: RequestOptions = {}) {
      const response = await fetch(running.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-client-ip': options.ip ?? '203.0.113.1',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as Omit<GraphQLResult<T>, 'status'>;
      return { status: response.status, cacheControl: response.headers.get('cache-control'), ...body };
    },
    settle,
    async mailsTo(email) {
      await settle();
      return readMailOutbox(outboxDir, email);
    },
    async lastCode(email) {
      await settle();
      return lastMailedCode(outboxDir, email);
    },
    async restart(next = {}) {
      await running.stop();
      config = { ...config, ...next };
      running = await start();
    },
    async close() {
      await Promise.all(queues.map((q) => q.close()));
      await queueConnection.quit().catch(() => undefined);
      await running.stop();
      await db.drop();
      await rm(outboxDir, { recursive: true, force: true });
    },
  } as TestIdentity;
  return harness;
}

/**
 * The usual setup of an integration spec in one line: starts a test identity (fresh database with the
 * migrations, services, server) before the file's tests and closes it (dropping the database) after them.
 * The returned object forwards to the started harness, so use it only inside tests and hooks.
 */
export function useTestIdentity(overrides: Partial<IdentityConfig> = {}): TestIdentity {
  let current: TestIdentity | undefined;
  beforeAll(async () => {
    current = await startTestIdentity(overrides);
  });
  afterAll(async () => {
    await current?.close();
  });
  return new Proxy({} as TestIdentity, {
    get(_target, property) {
      if (!current)
        throw new Error('useTestIdentity: the test identity is not started (use it inside tests).');
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

export const SIGN_UP = `mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken accessTokenExpiresAt twoFactorEnrollmentRequired user { id email displayName roles createdAt } }
}`;
export const SIGN_IN = `mutation SignIn($input: SignInInput!) {
  signIn(input: $input) { accessToken refreshToken accessTokenExpiresAt twoFactorEnrollmentRequired user { id email roles } }
}`;
export const REFRESH = `mutation Refresh($input: RefreshSessionInput!) {
  refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id roles } }
}`;
export const VIEWER = `query { viewer { id email displayName roles createdAt emailVerified twoFactorEnabled } }`;

export type AuthPayloadResult = {
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  twoFactorEnrollmentRequired: boolean;
  user: { id: string; email: string | null; roles: string[] };
};

export const PASSWORD = 'correct horse battery staple';

let counter = 0;
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}-${counter}-${randomBytes(3).toString('hex')}@example.com`;
}

export async function signUp(
  t: TestIdentity,
  email = uniqueEmail(),
  password = PASSWORD,
): Promise<AuthPayloadResult> {
  const result = await t.gql<{ signUp: AuthPayloadResult }>(SIGN_UP, {
    input: { email, password, displayName: email.split('@')[0] },
  });
  if (result.errors) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  return result.data!.signUp;
}

export async function signIn(
  t: TestIdentity,
  email: string,
  password = PASSWORD,
  extra: { totpCode?: string; ip?: string } = {},
): Promise<GraphQLResult<{ signIn: AuthPayloadResult }>> {
  return t.gql<{ signIn: AuthPayloadResult }>(
    SIGN_IN,
    { input: { email, password, ...(extra.totpCode ? { totpCode: extra.totpCode } : {}) } },
    extra.ip ? { ip: extra.ip } : {},
  );
}

export function codeOf(result: GraphQLResult<unknown>): string | undefined {
  return result.errors?.[0]?.extensions?.code;
}

/** Makes a user ADMIN (or other roles) directly in the database (tests only). */
export async function setRoles(t: TestIdentity, userId: string, roles: string[]): Promise<void> {
  await t.running.services.dataSource.query(`UPDATE "identity".users SET roles = $2 WHERE id = $1`, [
    userId,
    roles,
  ]);
}
