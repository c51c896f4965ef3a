import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LIMITS,
  DEFAULT_SUBSCRIPTION_SETTINGS,
  DEFAULT_REFRESH_COOKIE_MAX_AGE_SECONDS,
  DEFAULT_SUPERGRAPH_PATH,
  DEFAULT_WEB_CLIENT_DIR,
  readGatewayConfig,
} from './environment.js';

describe('readGatewayConfig', () => {
  it('serves the built web app and keeps browser refresh tokens in a cookie (Secure in production)', () => {
    const local = readGatewayConfig({});
    expect(local.webClientDir).toBe(DEFAULT_WEB_CLIENT_DIR);
    expect(DEFAULT_WEB_CLIENT_DIR).toMatch(/web-client\/dist$/);
    expect(local.refreshCookie).toEqual({
      enabled: true,
      secure: false,
      maxAgeSeconds: DEFAULT_REFRESH_COOKIE_MAX_AGE_SECONDS,
    });
    const production = readGatewayConfig({ NODE_ENV: 'production', INTERNAL_API_TOKEN: 'x' });
    expect(production.refreshCookie.secure).toBe(true);
    const custom = readGatewayConfig({
      WEB_CLIENT_DIR: '/srv/web',
      REFRESH_COOKIE_ENABLED: 'false',
      REFRESH_COOKIE_SECURE: 'true',
      REFRESH_COOKIE_MAX_AGE_SECONDS: '3600',
    });
    expect(custom.webClientDir).toBe('/srv/web');
    expect(custom.refreshCookie).toEqual({ enabled: false, secure: true, maxAgeSeconds: 3600 });
    expect(readGatewayConfig({ WEB_CLIENT_ENABLED: 'false' }).webClientDir).toBeNull();
    expect(() => readGatewayConfig({ REFRESH_COOKIE_MAX_AGE_SECONDS: '5' })).toThrow(
      /REFRESH_COOKIE_MAX_AGE_SECONDS/,
    );
  });

  it('has safe defaults for local development', () => {
    const config = readGatewayConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      production: false,
      host: '127.0.0.1',
      port: 4000,
      supergraphPath: DEFAULT_SUPERGRAPH_PATH,
      subgraphUrls: {},
      trustProxy: false,
      bodyLimitBytes: 102_400,
      graphiql: true,
      corsOrigins: [],
      limits: DEFAULT_LIMITS,
    });
    expect(config.supergraphSdl).toBeUndefined();
    expect(DEFAULT_SUPERGRAPH_PATH).toMatch(/schema\/supergraph\.graphql$/);
    expect(config.rateLimits.enabled).toBe(true);
  });

  it('reads subscription settings: on by default, origins from ALLOWED_ORIGINS or else CORS_ORIGINS', () => {
    expect(readGatewayConfig({}).subscriptions).toEqual({
      ...DEFAULT_SUBSCRIPTION_SETTINGS,
      allowedOrigins: [],
    });
    expect(readGatewayConfig({ CORS_ORIGINS: 'https://a.test/' }).subscriptions.allowedOrigins).toEqual([
      'https://a.test',
    ]);
    const config = readGatewayConfig({
      CORS_ORIGINS: 'https://a.test',
      ALLOWED_ORIGINS: 'https://b.test, https://c.test',
      SUBSCRIPTIONS_ENABLED: 'false',
      SUBSCRIPTIONS_INIT_TIMEOUT_MS: '500',
      SUBSCRIPTIONS_MAX_SOCKETS_PER_USER: '5',
      SUBSCRIPTIONS_MAX_PER_SOCKET: '10',
      SUBSCRIPTIONS_MAX_QUEUED_EVENTS: '50',
      SUBSCRIPTIONS_KEEPALIVE_MS: '1000',
    });
    expect(config.subscriptions).toEqual({
      enabled: false,
      allowedOrigins: ['https://b.test', 'https://c.test'],
      initTimeoutMs: 500,
      keepAliveMs: 1000,
      maxSocketsPerUser: 5,
      maxSubscriptionsPerSocket: 10,
      maxQueuedEvents: 50,
    });
    expect(() => readGatewayConfig({ SUBSCRIPTIONS_MAX_PER_SOCKET: '0' })).toThrow(
      /SUBSCRIPTIONS_MAX_PER_SOCKET/,
    );
  });

  it('reads subgraph URL overrides by name and validates them', () => {
    const config = readGatewayConfig({
      SUBGRAPH_URL_IDENTITY: 'http://identity:4001/graphql',
      SUBGRAPH_URL_LIVE_CLASSES: 'http://live:4005/graphql',
    });
    expect(config.subgraphUrls).toEqual({
      IDENTITY: 'http://identity:4001/graphql',
      LIVE_CLASSES: 'http://live:4005/graphql',
    });
    expect(() => readGatewayConfig({ SUBGRAPH_URL_IDENTITY: 'not a url' })).toThrow(/SUBGRAPH_URL_IDENTITY/);
  });

  it('requires INTERNAL_API_TOKEN in production and listens on every interface there', () => {
    expect(() => readGatewayConfig({ NODE_ENV: 'production' })).toThrow(/INTERNAL_API_TOKEN/);
    const config = readGatewayConfig({ NODE_ENV: 'production', INTERNAL_API_TOKEN: 'secret' });
    expect(config).toMatchObject({ production: true, host: '0.0.0.0', internalApiToken: 'secret' });
  });

  it('reads CORS origins as a list', () => {
    expect(
      readGatewayConfig({ CORS_ORIGINS: 'http://localhost:5173/, https://app.edugraph.dev' }).corsOrigins,
    ).toEqual(['http://localhost:5173', 'https://app.edugraph.dev']);
  });

  it('parses trust proxy as a boolean, a hop count or an address list', () => {
    expect(readGatewayConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(readGatewayConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(readGatewayConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
  });

  it('reads limits and rate limits, and can switch rate limiting off', () => {
    const config = readGatewayConfig({
      MAX_DEPTH: '8',
      MAX_COST: '3000',
      MAX_COST_API_KEY: '500',
      RATE_LIMIT_USER_POINTS: '10',
      RATE_LIMIT_USER_WINDOW_SECONDS: '1',
      RATE_LIMIT_DISABLED: 'true',
    });
    expect(config.limits).toMatchObject({ maxDepth: 8, maxCost: 3000, maxCostApiKey: 500, maxFirst: 100 });
    expect(config.rateLimits).toMatchObject({ enabled: false, user: { points: 10, durationSeconds: 1 } });
    expect(() => readGatewayConfig({ MAX_DEPTH: 'deep' })).toThrow(/MAX_DEPTH/);
  });
});
