import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../testing/harness.js';

const WHOAMI = '{ whoami { userId roles scopes apiKeyId requestId clientIp } }';
const VALID_KEY = 'egk_test_valid_key_0000000001';
const SCOPED_KEY = 'egk_test_scoped_key_000000002';
const SHORT_LIVED_KEY = 'egk_test_short_key_0000000003';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.identity.apiKeys.set(VALID_KEY, { apiKeyId: 'key-a', ownerId: 'owner-a', scopes: ['read'] });
  h.identity.apiKeys.set(SCOPED_KEY, {
    apiKeyId: 'key-b',
    ownerId: 'owner-b',
    scopes: ['read', 'introspection'],
  });
  h.identity.apiKeys.set(SHORT_LIVED_KEY, {
    apiKeyId: 'key-c',
    ownerId: 'owner-c',
    scopes: [],
    ttlSeconds: 45,
  });
});

afterAll(async () => {
  await h?.stop();
});

afterEach(() => {
  vi.useRealTimers();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function expectUnauthenticated(result: Awaited<ReturnType<Harness['graphql']>>) {
  expect(result.status).toBe(401);
  expect(result.headers.get('www-authenticate')).toMatch(/^Bearer /);
  expect(result.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(result.body.data).toBeUndefined();
}

describe('access tokens at the edge', () => {
  it('accepts a valid ES256 token and forwards it, the request id and the client IP to the subgraph', async () => {
    const token = await h.identity.sign({ sub: 'user-1', roles: ['INSTRUCTOR'] });
    const before = h.catalog.received.length;
    const result = await h.graphql(WHOAMI, { headers: { ...bearer(token), 'x-request-id': 'req-abc.123' } });
    expect(result.status).toBe(200);
    expect(result.body.data?.['whoami']).toEqual({
      userId: 'user-1',
      roles: ['INSTRUCTOR'],
      scopes: [],
      apiKeyId: null,
      requestId: 'req-abc.123',
      clientIp: '127.0.0.1',
    });
    expect(result.headers.get('x-request-id')).toBe('req-abc.123');
    const received = h.catalog.received.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      authorization: `Bearer ${token}`,
      'x-request-id': 'req-abc.123',
      'x-client-ip': '127.0.0.1',
    });
  });

  it('lets anonymous callers through without an authorization header downstream', async () => {
    const before = h.catalog.received.length;
    const result = await h.graphql(WHOAMI);
    expect(result.status).toBe(200);
    expect(result.body.data?.['whoami']).toMatchObject({ userId: null });
    expect(h.catalog.received[before]?.authorization).toBeUndefined();
  });

  it('replaces an invalid x-request-id with a generated one', async () => {
    const result = await h.graphql(WHOAMI, { headers: { 'x-request-id': 'bad id with spaces <script>' } });
    const id = result.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((result.body.data?.['whoami'] as { requestId: string }).requestId).toBe(id);
  });

  it('rejects an expired token with 401', async () => {
    expectUnauthenticated(
      await h.graphql(WHOAMI, { headers: bearer(await h.identity.sign({ expiresIn: -120 })) }),
    );
  });

  it('rejects a token with a forged signature (right kid, wrong key) with 401', async () => {
    expectUnauthenticated(
      await h.graphql(WHOAMI, { headers: bearer(await h.identity.forge({ roles: ['ADMIN'] })) }),
    );
  });

  it('rejects a tampered payload, alg:none, a wrong typ and garbage with 401', async () => {
    const token = await h.identity.sign({ roles: ['LEARNER'] });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const escalated = Buffer.from(JSON.stringify({ ...claims, roles: ['ADMIN'] })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: 'key-1' })).toString('base64url')}.${escalated}.`;
    const idToken = await h.identity.sign({ typ: 'JWT' });
    for (const bad of [`${header}.${escalated}.${signature}`, none, idToken, 'not-a-jwt']) {
      expectUnauthenticated(await h.graphql(WHOAMI, { headers: bearer(bad) }));
    }
    expectUnauthenticated(
      await h.graphql(WHOAMI, {
        headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` },
      }),
    );
  });

  it('refetches the JWKS for an unknown kid (after jose’s 30 s cooldown) and accepts the rotated key', async () => {
    await h.graphql(WHOAMI, { headers: bearer(await h.identity.sign()) }); // JWKS cached with key-1
    const fetchesBefore = h.identity.stats.jwksFetches;
    await h.identity.addKey('key-2');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    const rotated = await h.identity.sign({ kid: 'key-2', sub: 'user-rotated' });
    const result = await h.graphql(WHOAMI, { headers: bearer(rotated) });
    expect(result.status).toBe(200);
    expect(result.body.data?.['whoami']).toMatchObject({ userId: 'user-rotated' });
    expect(h.identity.stats.jwksFetches).toBeGreaterThan(fetchesBefore);
  });

  it('re-serves identity’s public JWKS on the gateway port with a short cache', async () => {
    const response = await fetch(new URL('/.well-known/jwks.json', h.url));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const jwks = (await response.json()) as { keys: { kid: string; kty: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain('key-1');
    expect(jwks.keys.every((k) => k.kty === 'EC' && k.d === undefined)).toBe(true);
  });
});

describe('API keys', () => {
  it('exchanges the key at identity, forwards the issued token (not the key) and caches the grant', async () => {
    const exchangesBefore = h.identity.stats.exchanges;
    const before = h.catalog.received.length;
    const first = await h.graphql(WHOAMI, { headers: { 'x-api-key': VALID_KEY } });
    expect(first.status).toBe(200);
    expect(first.body.data?.['whoami']).toMatchObject({
      userId: 'owner-a',
      apiKeyId: 'key-a',
      scopes: ['read'],
    });
    const downstream = h.catalog.received[before];
    expect(downstream?.authorization).toMatch(/^Bearer ey/);
    expect(downstream?.['x-api-key']).toBeUndefined();

    const second = await h.graphql(WHOAMI, { headers: { 'x-api-key': VALID_KEY } });
    expect(second.status).toBe(200);
    expect(h.identity.stats.exchanges).toBe(exchangesBefore + 1);
  });

  it('does not cache a grant that expires within 60 s', async () => {
    const exchangesBefore = h.identity.stats.exchanges;
    await h.graphql(WHOAMI, { headers: { 'x-api-key': SHORT_LIVED_KEY } });
    await h.graphql(WHOAMI, { headers: { 'x-api-key': SHORT_LIVED_KEY } });
    expect(h.identity.stats.exchanges).toBe(exchangesBefore + 2);
  });

  it('rejects an unknown or malformed key with 401 without calling subgraphs', async () => {
    const before = h.catalog.received.length;
    expectUnauthenticated(
      await h.graphql(WHOAMI, { headers: { 'x-api-key': 'egk_test_unknown_key_00000000' } }),
    );
    const exchanges = h.identity.stats.exchanges;
    expectUnauthenticated(await h.graphql(WHOAMI, { headers: { 'x-api-key': 'short' } }));
    expect(h.identity.stats.exchanges).toBe(exchanges); // malformed keys never reach identity
    expect(h.catalog.received.length).toBe(before);
  });

  it('rejects a request carrying both a bearer token and an API key', async () => {
    const token = await h.identity.sign();
    expectUnauthenticated(await h.graphql(WHOAMI, { headers: { ...bearer(token), 'x-api-key': VALID_KEY } }));
  });
});

describe('client IP', () => {
  it('ignores x-forwarded-for unless trustProxy is set', async () => {
    const result = await h.graphql(WHOAMI, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(result.body.data?.['whoami']).toMatchObject({ clientIp: '127.0.0.1' });

    const proxied = await startHarness({ TRUST_PROXY: 'loopback' });
    try {
      const viaProxy = await proxied.graphql(WHOAMI, { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(viaProxy.body.data?.['whoami']).toMatchObject({ clientIp: '203.0.113.9' });
    } finally {
      await proxied.stop();
    }
  });
});
