import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createRedis } from '@edugraph/kit';
import { createTestDatabase, type TestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraph } from './app.js';
import { TEST_REDIS_URL } from './testing/platform-harness.js';

describe('platform subgraph process', () => {
  let db: TestDatabase;
  let running: Awaited<ReturnType<typeof subgraph.start>>;
  const prefix = `test-platform-app-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase('platform_app');
    const applied = await subgraph.migrate(db.url);
    expect(applied).toHaveLength(2);
    expect(await subgraph.migrate(db.url)).toEqual([]);
    const env = {
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
      LOG_LEVEL: 'silent',
    };
    await subgraph.seed!(env, () => undefined);
    running = await subgraph.start(env);
  });
  afterAll(async () => {
    await running?.stop();
    await db?.drop();
    const redis = createRedis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('serves health, readiness and anonymous public queries over HTTP', async () => {
    const base = new URL('/', running.url);
    expect((await fetch(new URL('/health', base))).status).toBe(200);
    const ready = await fetch(new URL('/ready', base));
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok', redis: 'ok' });
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query($input: PublicFeatureFlagsInput!) { publicConfig { key value } publicFeatureFlags(input: $input) { key enabled reason } }',
        variables: { input: { keys: ['community-map', 'nope'] } },
      }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(body.errors).toBeUndefined();
    const data = body.data as {
      publicConfig: { key: string; value: unknown }[];
      publicFeatureFlags: unknown;
    };
    // The seed's PUBLIC entries: the two settings, and the web app's theme packs (checked in the seed's own spec).
    expect(data.publicConfig.map((entry) => entry.key)).toEqual([
      'platform.name',
      'support.email',
      'ui.themes',
    ]);
    expect(data.publicConfig.slice(0, 2)).toEqual([
      { key: 'platform.name', value: 'Edugraph' },
      { key: 'support.email', value: 'support@edugraph.local' },
    ]);
    expect({ publicFeatureFlags: data.publicFeatureFlags }).toEqual({
      publicFeatureFlags: [
        { key: 'community-map', enabled: true, reason: 'STRATEGY' },
        { key: 'nope', enabled: false, reason: 'MISSING' },
      ],
    });
  });

  it('refuses an admin query without a token and a forged token', async () => {
    const anonymous = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ auditEvents { edges { node { id } } } }' }),
    });
    const body = (await anonymous.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const forged = await fetch(running.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
      },
      body: JSON.stringify({ query: '{ publicConfig { key } }' }),
    });
    expect(forged.status).toBe(401);
  });
});
