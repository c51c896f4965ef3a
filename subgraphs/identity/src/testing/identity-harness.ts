import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '@edugraph/kit';
import { createTestDatabase, QueryCounter, type TestDatabase } from '@edugraph/kit/testing';
import { IDENTITY_SCHEMA, readIdentityConfig, type IdentityConfig } from '../environment.js';
import { lastMailedCode, readMailOutbox } from '../mail/mailer.js';
import { createIdentityDataSource, startIdentity, type RunningIdentity } from '../identity.runtime.js';
import { FakeClock } from '../shared/clock.js';

export type GraphQLResult<T> = {
  status: number;
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
  mailsTo(email: string): ReturnType<typeof readMailOutbox>;
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
  let running = await startIdentity({ config, clock, queryLogger: queries });

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
      return { status: response.status, ...body };
    },
    mailsTo: (email) => readMailOutbox(outboxDir, email),
    lastCode: (email) => lastMailedCode(outboxDir, email),
    async restart(next = {}) {
      await running.stop();
      config = { ...config, ...next };
      running = await startIdentity({ config, clock, queryLogger: queries });
    },
    async close() {
      await running.stop();
      await db.drop();
      await rm(outboxDir, { recursive: true, force: true });
    },
  } as TestIdentity;
  return harness;
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
