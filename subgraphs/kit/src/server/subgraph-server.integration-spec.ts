import 'reflect-metadata';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { Ctx, Directive, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, Public, Roles } from '../auth/access.decorators.js';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier.js';
import type { RequestContext } from '../context/request-context.js';
import { createDataSource } from '../data/data-source.factory.js';
import { createRedis } from '../data/redis.js';
import { createLogger } from '../logging/logger.js';
import { buildFederatedSchema } from '../schema/build-subgraph-schema.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startSubgraphServer, type RunningSubgraph } from './subgraph-server.js';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ISSUER = 'https://identity.edugraph.test';
const AUDIENCE = 'edugraph-api';

@ObjectType('KitServerProbeViewer')
class ProbeViewer {
  @Field(() => String)
  userId!: string;

  @Field(() => [String])
  roles!: string[];

  @Field(() => String)
  requestId!: string;
}

@Resolver()
class ProbeResolver {
  @Public()
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @Authenticated()
  @Query(() => ProbeViewer)
  me(@Ctx() ctx: RequestContext): ProbeViewer {
    return { userId: ctx.viewer!.userId, roles: [...ctx.viewer!.roles], requestId: ctx.requestId };
  }

  @Roles('ADMIN')
  @Query(() => String)
  adminOnly(): string {
    return 'secret';
  }

  @Public()
  @Query(() => String)
  @Directive('@cacheControl(maxAge: 60, scope: PUBLIC)')
  cachedPing(): string {
    return 'pong';
  }

  @Public()
  @Mutation(() => String)
  @Directive('@cacheControl(maxAge: 60, scope: PUBLIC)')
  cachedTouch(): string {
    return 'touched';
  }

  @Public()
  @Query(() => String)
  crash(): string {
    throw new Error('db password is hunter2');
  }
}

let database: TestDatabase;
let privateKey: CryptoKey;
let verifyToken: TokenVerifier;
const logger = createLogger({ name: 'kit-server-test', level: 'silent' });
const running: RunningSubgraph[] = [];

async function start(): Promise<{ server: RunningSubgraph; dataSource: DataSource; base: string }> {
  const dataSource = createDataSource({ url: database.url, schema: 'public', entities: [], migrations: [] });
  await dataSource.initialize();
  const { schema } = await buildFederatedSchema({ resolvers: [ProbeResolver] });
  const server = await startSubgraphServer({
    name: 'kit-probe',
    schema,
    port: 0,
    production: true,
    dataSource,
    redis: createRedis(REDIS_URL),
    verifyToken,
    logger,
  });
  running.push(server);
  return { server, dataSource, base: server.url.replace(/\/graphql$/, '') };
}

async function accessToken(claims: { sub: string; roles: string[] }, expiresIn = '5m'): Promise<string> {
  return new SignJWT({ roles: claims.roles })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(privateKey);
}

type GraphqlBody = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

async function graphql(
  url: string,
  query: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: GraphqlBody }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as GraphqlBody };
}

async function cacheControlOf(url: string, query: string): Promise<string | null> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  expect(((await response.json()) as GraphqlBody).errors).toBeUndefined();
  return response.headers.get('cache-control');
}

beforeAll(async () => {
  database = await createTestDatabase();
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  const jwk = await exportJWK(pair.publicKey);
  verifyToken = createTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: createLocalJWKSet({ keys: [{ ...jwk, kid: 'k1', alg: 'ES256' }] }),
  });
});

afterAll(async () => {
  for (const server of running) await server.stop();
  await database?.drop();
});

describe('startSubgraphServer', () => {
  let server: RunningSubgraph;
  let base: string;

  beforeAll(async () => {
    ({ server, base } = await start());
  });

  it('answers /health and /ready (database and redis up)', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', service: 'kit-probe' });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', redis: 'ok' });
  });

  it('serves GraphQL publicly and exposes request metrics on /metrics', async () => {
    expect(await graphql(server.url, '{ ping }')).toEqual({ status: 200, body: { data: { ping: 'pong' } } });
    const metrics = await fetch(`${base}/metrics`);
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    expect(text).toContain('http_request_duration_seconds');
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/graphql"[^}]*\} [1-9]/);
    expect(text).toMatch(/graphql_operations_total\{[^}]*outcome="ok"[^}]*\} [1-9]/);
  });

  it('turns @cacheControl hints into Cache-Control for queries, never for mutations', async () => {
    expect(await cacheControlOf(server.url, '{ cachedPing }')).toBe('max-age=60, public');
    expect(await cacheControlOf(server.url, '{ ping }')).toBe('no-store');
    expect(await cacheControlOf(server.url, 'mutation { cachedTouch }')).toBe('no-store');
  });

  it('builds the viewer from a valid bearer token and keeps a safe x-request-id', async () => {
    const token = await accessToken({ sub: 'user-1', roles: ['LEARNER'] });
    const result = await graphql(server.url, '{ me { userId roles requestId } }', {
      authorization: `Bearer ${token}`,
      'x-request-id': 'req-123',
    });
    expect(result).toEqual({
      status: 200,
      body: { data: { me: { userId: 'user-1', roles: ['LEARNER'], requestId: 'req-123' } } },
    });
    const unsafe = await graphql(server.url, '{ me { requestId } }', {
      authorization: `Bearer ${token}`,
      'x-request-id': 'a b<script>',
    });
    expect((unsafe.body.data?.['me'] as { requestId: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a bad bearer token with HTTP 401 and UNAUTHENTICATED', async () => {
    for (const authorization of ['Bearer not.a.token', 'Basic dXNlcjpwYXNz']) {
      const result = await graphql(server.url, '{ ping }', { authorization });
      expect(result.status).toBe(401);
      expect(result.body.data ?? null).toBeNull();
      expect(result.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    }
    const expired = await accessToken({ sub: 'user-1', roles: [] }, '-1h');
    const result = await graphql(server.url, '{ ping }', { authorization: `Bearer ${expired}` });
    expect(result.status).toBe(401);
    expect(result.body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(result.body.errors?.[0]?.message).toMatch(/expired/);
  });

  it('denies anonymous and wrong-role callers and masks unexpected errors', async () => {
    const anonymous = await graphql(server.url, '{ me { userId } }');
    expect(anonymous.body.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    const learner = await accessToken({ sub: 'user-2', roles: ['LEARNER'] });
    const forbidden = await graphql(server.url, '{ adminOnly }', { authorization: `Bearer ${learner}` });
    expect(forbidden.body.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const admin = await accessToken({ sub: 'user-3', roles: ['ADMIN'] });
    expect(
      (await graphql(server.url, '{ adminOnly }', { authorization: `Bearer ${admin}` })).body.data,
    ).toEqual({ adminOnly: 'secret' });
    const crash = await graphql(server.url, '{ crash }');
    expect(crash.body.errors?.[0]).toEqual({
      message: 'Internal server error',
      locations: expect.any(Array),
      path: ['crash'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(crash.body)).not.toContain('hunter2');
  });
});

describe('startSubgraphServer readiness', () => {
  it('reports 503 on /ready when the data source is gone, while /health stays 200', async () => {
    const { dataSource, base } = await start();
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    await dataSource.destroy();
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not ready', database: 'down', redis: 'ok' });
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });
});
