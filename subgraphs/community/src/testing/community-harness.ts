import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import {
  createDataSource,
  createLogger,
  createRedis,
  createTokenVerifier,
  migrate,
  startSubgraphServer,
  type PlatformRole,
  type Redis,
  type RunningSubgraph,
} from '@edugraph/kit';
import { createTestDatabase, QueryCounter, type TestDatabase } from '@edugraph/kit/testing';
import { communityMigrations } from '@edugraph/migrations/community';
import type { FormattedExecutionResult } from 'graphql';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import type { DataSource } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { createCommunityServices, type CommunityServices } from '../community-services.js';
import { communityEntities } from '../entities.js';
import { communityHttpRoutes } from '../http-routes.js';
import { buildCommunitySchema } from '../schema.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ISSUER = 'https://identity.edugraph.test';
const AUDIENCE = 'edugraph-api';

export type TestUser = { id: string; token: string; roles: PlatformRole[] };
type Result<T> = FormattedExecutionResult<T, unknown>;

export type ControlledClock = Clock & { set(date: Date): void; advance(ms: number): void };

export type OutboxRow = { id: string; type: string; aggregateId: string; payload: Record<string, unknown> };

export type CommunityHarness = {
  db: TestDatabase;
  dataSource: DataSource;
  /** Counts SQL statements (`counter.reset()`, run, `counter.count`). */
  counter: QueryCounter;
  redis: Redis;
  services: CommunityServices;
  server: RunningSubgraph;
  clock: ControlledClock;
  /** A signed-in user with these platform roles (default LEARNER). */
  user(roles?: PlatformRole[]): Promise<TestUser>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: TestUser | null,
  ): Promise<Result<T>>;
  /** Runs a GraphQL operation and fails the test on errors. */
  ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    as: TestUser | null,
  ): Promise<T>;
  /** A community owned by `owner` through `createCommunity` (PUBLIC and OPEN unless told otherwise). */
  community(owner: TestUser, input?: Record<string, unknown>): Promise<{ id: string; slug: string }>;
  /** `user` joins through `joinCommunity`; returns the membership status. */
  join(user: TestUser, communityId: string): Promise<string>;
  /**
   * Gives `user` an ACTIVE membership with `role` (and custom role) directly in the database, for tests
   * of other modules that need members of every rank without going through the membership API.
   */
  member(
    communityId: string,
    user: TestUser,
    role?: 'ADMIN' | 'MODERATOR' | 'MEMBER',
    options?: { customRoleId?: string | null; mutedUntil?: Date | null },
  ): Promise<void>;
  /** The community's outbox events, oldest first (optionally of some types). */
  outbox(types?: string[]): Promise<OutboxRow[]>;
  close(): Promise<void>;
};

const CREATE = `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id slug } } }`;
const JOIN = `mutation($id: ID!) { joinCommunity(input: { communityId: $id }) { membership { status } } }`;

/** A fresh database with the real migrations, a controlled clock and the real HTTP server. */
export async function createCommunityHarness(
  name: string,
  options: { now?: Date; maxOwnedCommunities?: number } = {},
): Promise<CommunityHarness> {
  const db = await createTestDatabase(`community_${name}`);
  const counter = new QueryCounter();
  const dataSource = createDataSource({
    url: db.url,
    schema: 'community',
    entities: communityEntities,
    migrations: communityMigrations,
    logger: counter,
    poolSize: 6,
  });
  await migrate(dataSource, 'community');
  await dataSource.initialize();
  const redis = createRedis(TEST_REDIS_URL, { name: `community-test-${name}` });
  const logger = createLogger({ name: 'community-test', level: 'silent' });
  let current: Date | null = options.now ?? null;
  const clock: ControlledClock = {
    now: () => current ?? new Date(),
    set: (date) => {
      current = date;
    },
    advance: (ms) => {
      current = new Date((current ?? new Date()).getTime() + ms);
    },
  };
  const pair = await generateKeyPair('ES256', { extractable: true });
  const privateKey: CryptoKey = pair.privateKey;
  const keys: JWTVerifyGetKey = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }],
  });
  const services = createCommunityServices({
    dataSource,
    logger,
    clock,
    ...(options.maxOwnedCommunities ? { maxOwnedCommunities: options.maxOwnedCommunities } : {}),
    // Leaderboards in Redis under a prefix of this harness's own.
    redis,
    engagement: { prefix: `test-community-${name}-${randomUUID().slice(0, 8)}` },
  });
  const { schema } = await buildCommunitySchema(services);
  const server = await startSubgraphServer({
    name: 'community',
    schema,
    port: 0,
    production: true,
    dataSource,
    redis,
    verifyToken: createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys }),
    logger,
    routes: communityHttpRoutes(services),
    // graphql-ws on /graphql (feed subscriptions; `server.wsUrl`).
    subscriptions: true,
  });

  async function gql<T>(query: string, variables: Record<string, unknown> = {}, as: TestUser | null = null) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Result<T>;
  }

  async function ok<T>(query: string, variables: Record<string, unknown>, as: TestUser | null): Promise<T> {
    const result = await gql<T>(query, variables, as);
    if (result.errors) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  return {
    db,
    dataSource,
    counter,
    redis,
    services,
    server,
    clock,
    async user(roles: PlatformRole[] = ['LEARNER']) {
      const id = randomUUID();
      const token = await new SignJWT({ roles, sid: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
        .setSubject(id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey);
      return { id, token, roles };
    },
    gql,
    ok,
    async community(owner, input = {}) {
      const created = await ok<{ createCommunity: { community: { id: string; slug: string } } }>(
        CREATE,
        { input: { name: `Community ${randomUUID().slice(0, 8)}`, ...input } },
        owner,
      );
      return created.createCommunity.community;
    },
    async join(user, communityId) {
      const joined = await ok<{ joinCommunity: { membership: { status: string } } }>(
        JOIN,
        { id: communityId },
        user,
      );
      return joined.joinCommunity.membership.status;
    },
    async member(communityId, user, role = 'MEMBER', o = {}) {
      const now = clock.now();
      await dataSource.query(
        `INSERT INTO "community".memberships
           (id, community_id, user_id, role, custom_role_id, status, time_zone, joined_at, muted_until, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'ACTIVE', 'UTC', $6, $7, $6, $6)
         ON CONFLICT ON CONSTRAINT uq_memberships_community_user DO UPDATE SET
           role = EXCLUDED.role, custom_role_id = EXCLUDED.custom_role_id, status = 'ACTIVE',
           joined_at = EXCLUDED.joined_at, muted_until = EXCLUDED.muted_until, updated_at = EXCLUDED.updated_at`,
        [randomUUID(), communityId, user.id, role, o.customRoleId ?? null, now, o.mutedUntil ?? null],
      );
      await dataSource.query(
        `UPDATE "community".communities c SET member_count =
           (SELECT count(*) FROM "community".memberships m WHERE m.community_id = c.id AND m.status = 'ACTIVE')
         WHERE c.id = $1`,
        [communityId],
      );
    },
    async outbox(types) {
      const rows: {
        id: string;
        event_type: string;
        aggregate_id: string;
        payload: Record<string, unknown>;
      }[] = await dataSource.query(
        `SELECT id, event_type, aggregate_id, payload FROM "community".outbox
           WHERE $1::text[] IS NULL OR event_type = ANY($1::text[]) ORDER BY occurred_at, id`,
        [types ?? null],
      );
      return rows.map((r) => ({
        id: r.id,
        type: r.event_type,
        aggregateId: r.aggregate_id,
        payload: r.payload,
      }));
    },
    async close() {
      await server.stop();
      redis.disconnect();
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}

/** The error codes of a result. */
export function codes(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.['code']);
}
