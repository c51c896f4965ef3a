import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeIdentity, TEST_INTERNAL_TOKEN, type FakeIdentity } from '../testing/fake-identity.js';
import { createApiKeyExchange } from './api-key-exchange.js';

const KEY = 'egk_test_exchange_key_0000001';
let identity: FakeIdentity;

beforeAll(async () => {
  identity = await startFakeIdentity();
  identity.apiKeys.set(KEY, {
    apiKeyId: 'key-1',
    ownerId: 'owner-1',
    scopes: ['read', 'introspection'],
    ttlSeconds: 600,
  });
});

afterAll(async () => {
  await identity?.stop();
});

describe('createApiKeyExchange', () => {
  it('returns the grant and reuses it until 60 s before it expires', async () => {
    let now = Date.now() / 1000;
    const exchange = createApiKeyExchange({
      identityUrl: identity.url,
      internalApiToken: TEST_INTERNAL_TOKEN,
      now: () => now,
    });
    const calls = identity.stats.exchanges;
    const grant = await exchange.exchange(KEY);
    expect(grant).toMatchObject({ apiKeyId: 'key-1', ownerId: 'owner-1', scopes: ['read', 'introspection'] });
    expect(grant.expiresAt).toBeGreaterThan(now + 500);
    expect(await exchange.exchange(KEY)).toBe(grant);
    expect(identity.stats.exchanges).toBe(calls + 1);

    now = grant.expiresAt - 61;
    expect(await exchange.exchange(KEY)).toBe(grant);
    now = grant.expiresAt - 59;
    await exchange.exchange(KEY);
    expect(identity.stats.exchanges).toBe(calls + 2);
  });

  it('shares one exchange between concurrent requests with the same key', async () => {
    const exchange = createApiKeyExchange({
      identityUrl: identity.url,
      internalApiToken: TEST_INTERNAL_TOKEN,
    });
    const calls = identity.stats.exchanges;
    const grants = await Promise.all([
      exchange.exchange(KEY),
      exchange.exchange(KEY),
      exchange.exchange(KEY),
    ]);
    expect(new Set(grants).size).toBe(1);
    expect(identity.stats.exchanges).toBe(calls + 1);
    expect(exchange.size()).toBe(1);
  });

  it('turns a refused key into UNAUTHENTICATED and caches nothing', async () => {
    const exchange = createApiKeyExchange({
      identityUrl: identity.url,
      internalApiToken: TEST_INTERNAL_TOKEN,
    });
    await expect(exchange.exchange('egk_test_not_a_real_key_0000')).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(exchange.size()).toBe(0);
  });

  it('reports identity refusing the gateway itself (wrong internal token) as SERVICE_UNAVAILABLE, not as a bad key', async () => {
    const problems: string[] = [];
    const exchange = createApiKeyExchange({
      identityUrl: identity.url,
      internalApiToken: 'wrong-internal-token',
      onMisconfigured: (message) => problems.push(message),
    });
    await expect(exchange.exchange(KEY)).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
    expect(problems).toEqual([expect.stringMatching(/INTERNAL_API_TOKEN/)]);
  });

  it('reports an unreachable identity as SERVICE_UNAVAILABLE', async () => {
    const exchange = createApiKeyExchange({
      identityUrl: 'http://127.0.0.1:9/',
      internalApiToken: TEST_INTERNAL_TOKEN,
    });
    await expect(exchange.exchange(KEY)).rejects.toMatchObject({
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  });
});
