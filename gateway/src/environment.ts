import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import {
  envBool,
  envInt,
  envNodeEnvironment,
  envOptional,
  envString,
  EnvError,
  type EnvRecord,
  type NodeEnvironment,
} from '@edugraph/kit';
import type { RefreshCookieSettings } from './auth/refresh-cookie.js';
import {
  readTrustedDocumentsSettings,
  type TrustedDocumentsSettings,
} from './trusted-documents/trusted-documents.js';
import { readMediaProxySettings, type MediaProxySettings } from './media/media-proxy.js';

export const GATEWAY_DEFAULT_PORT = 4000;

/** `points` requests per `durationSeconds` window. */
export type RateLimitRule = { points: number; durationSeconds: number };

export type GatewayLimits = {
  /** graphql-armor max-depth (introspection's `__schema` subtree is not counted). */
  maxDepth: number;
  /** graphql-armor max-aliases; `__typename` aliases count too. */
  maxAliases: number;
  /** Lexer tokens per document (graphql-js `maxTokens`, checked while parsing). */
  maxTokens: number;
  /** graphql-armor max-directives. */
  maxDirectives: number;
  /** Cost budget per operation for users and anonymous callers. */
  maxCost: number;
  /** Cost budget per operation for API-key callers. */
  maxCostApiKey: number;
  /** Largest `first` accepted anywhere in an operation. */
  maxFirst: number;
  /** `first` assumed for connection fields that do not pass one. */
  defaultFirst: number;
};

export type GatewayRateLimits = {
  enabled: boolean;
  /** Redis key prefix (tests isolate themselves with their own). */
  keyPrefix: string;
  ip: RateLimitRule;
  user: RateLimitRule;
  apiKey: RateLimitRule;
};

export type GatewayConfig = {
  nodeEnv: NodeEnvironment;
  production: boolean;
  host: string;
  /** 0 picks a free port. */
  port: number;
  logLevel: string | undefined;
  /** The static supergraph, when given inline (otherwise read from `supergraphPath`). */
  supergraphSdl?: string;
  supergraphPath: string;
  /** Overrides the URL recorded in the supergraph, by subgraph name (case-insensitive). */
  subgraphUrls: Record<string, string>;
  redisUrl: string;
  jwksUrl: string;
  tokenIssuer: string;
  tokenAudience: string;
  /** How long the gateway's copy of identity's JWKS (GET /.well-known/jwks.json) is cached. */
  jwksCacheSeconds: number;
  /** Base URL of identity's private HTTP API (API-key exchange). */
  identityUrl: string;
  internalApiToken: string | undefined;
  /** Express `trust proxy`: when false, `x-forwarded-for` is ignored and the socket address is the client IP. */
  trustProxy: boolean | number | string;
  bodyLimitBytes: number;
  /** Serve GraphiQL (local assets) at GET /graphql for browsers. */
  graphiql: boolean;
  /** Browser origins allowed to call the gateway cross-origin (`*` for any); empty = no CORS headers. */
  corsOrigins: string[];
  limits: GatewayLimits;
  rateLimits: GatewayRateLimits;
  /** Collect process-level Prometheus metrics (one service per process should). */
  processMetrics: boolean;
  subscriptions: GatewaySubscriptionSettings;
  /** The built web app served at `/` (SPA fallback); null serves none. */
  webClientDir: string | null;
  /** Browser sessions: the refresh token in an httpOnly cookie (auth/refresh-cookie.ts). */
  refreshCookie: RefreshCookieSettings;
  /** Trusted documents (persisted-operation safelisting): GATEWAY_TRUSTED_DOCUMENTS(_MANIFEST). */
  trustedDocuments: TrustedDocumentsSettings;
  /** Media's signed object routes proxied at `/media/objects/*` (media/media-proxy.ts). */
  mediaProxy: MediaProxySettings;
};

/** GraphQL subscriptions over graphql-ws on `/graphql` (README: Subscriptions). */
export type GatewaySubscriptionSettings = {
  enabled: boolean;
  /** Browser origins allowed to open a WebSocket (`*` for any); a request without Origin (native apps) is allowed. */
  allowedOrigins: string[];
  /** Close 4408 when no `connection_init` arrives in time. */
  initTimeoutMs: number;
  /** Ping interval; a socket that does not pong within the same time is dropped. */
  keepAliveMs: number;
  maxSocketsPerUser: number;
  maxSubscriptionsPerSocket: number;
  /** Events queued for one subscriber before the socket is closed as a slow consumer. */
  maxQueuedEvents: number;
};

export const DEFAULT_SUBSCRIPTION_SETTINGS: Omit<GatewaySubscriptionSettings, 'allowedOrigins'> = {
  enabled: true,
  initTimeoutMs: 3000,
  keepAliveMs: 12_000,
  maxSocketsPerUser: 20,
  maxSubscriptionsPerSocket: 100,
  maxQueuedEvents: 1000,
};

export const DEFAULT_LIMITS: GatewayLimits = {
  maxDepth: 12,
  maxAliases: 15,
  maxTokens: 2000,
  maxDirectives: 20,
  maxCost: 5000,
  maxCostApiKey: 1000,
  maxFirst: 100,
  defaultFirst: 20,
};

export const DEFAULT_RATE_LIMITS: GatewayRateLimits = {
  enabled: true,
  keyPrefix: 'edugraph:gateway:rl',
  ip: { points: 1200, durationSeconds: 60 },
  user: { points: 600, durationSeconds: 60 },
  apiKey: { points: 300, durationSeconds: 60 },
};

/** `<repo>/schema/supergraph.graphql`, produced by `npm run compose` (same path from src/ and dist/). */
export const DEFAULT_SUPERGRAPH_PATH = fileURLToPath(
  new URL('../../schema/supergraph.graphql', import.meta.url),
);

/** `<repo>/web-client/dist`, built by `npm run build` (same path from src/ and dist/). */
export const DEFAULT_WEB_CLIENT_DIR = fileURLToPath(new URL('../../web-client/dist', import.meta.url));

/** identity's sliding refresh-token lifetime (30 days). */
export const DEFAULT_REFRESH_COOKIE_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;

const SUBGRAPH_URL_PREFIX = 'SUBGRAPH_URL_';

/** Subgraph names compare case-insensitively, `-` and `_` alike (env names cannot hold `-`). */
export function subgraphKey(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function readSubgraphUrls(env: EnvRecord): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(SUBGRAPH_URL_PREFIX) || !value?.trim()) continue;
    const url = value.trim();
    try {
      new URL(url);
    } catch {
      throw new EnvError(`${name} must be a URL, got "${url}".`);
    }
    urls[subgraphKey(name.slice(SUBGRAPH_URL_PREFIX.length))] = url;
  }
  return urls;
}

function readTrustProxy(env: EnvRecord): boolean | number | string {
  const raw = envOptional(env, 'TRUST_PROXY');
  if (!raw) return false;
  if (/^\d+$/.test(raw)) return Number(raw); // number of proxy hops to trust
  if (/^(true|false|yes|no|on|off)$/i.test(raw)) return envBool(env, 'TRUST_PROXY', false);
  return raw; // addresses/subnets or names Express understands (loopback, uniquelocal, 10.0.0.0/8…)
}

function readRule(env: EnvRecord, name: string, fallback: RateLimitRule): RateLimitRule {
  return {
    points: envInt(env, `RATE_LIMIT_${name}_POINTS`, fallback.points, { min: 1 }),
    durationSeconds: envInt(env, `RATE_LIMIT_${name}_WINDOW_SECONDS`, fallback.durationSeconds, { min: 1 }),
  };
}

/**
 * Gateway settings from an environment record. Reads no files, so the embedded platform can pass
 * a composed supergraph to `startGateway` instead.
 */
export function readGatewayConfig(env: EnvRecord): GatewayConfig {
  const nodeEnv = envNodeEnvironment(env);
  const production = nodeEnv === 'production';
  const internalApiToken = envOptional(env, 'INTERNAL_API_TOKEN');
  if (production && !internalApiToken) throw new EnvError('INTERNAL_API_TOKEN is required in production.');
  const inlineSdl = envOptional(env, 'SUPERGRAPH_SDL');
  return {
    nodeEnv,
    production,
    host: envString(env, 'HOST', production ? '0.0.0.0' : '127.0.0.1'),
    port: envInt(env, 'PORT', GATEWAY_DEFAULT_PORT, { min: 0, max: 65535 }),
    logLevel: envOptional(env, 'LOG_LEVEL'),
    ...(inlineSdl ? { supergraphSdl: inlineSdl } : {}),
    supergraphPath: envString(env, 'SUPERGRAPH_PATH', DEFAULT_SUPERGRAPH_PATH),
    subgraphUrls: readSubgraphUrls(env),
    redisUrl: envString(env, 'REDIS_URL', 'redis://127.0.0.1:6379'),
    jwksUrl: envString(env, 'JWKS_URL', 'http://127.0.0.1:4001/.well-known/jwks.json'),
    tokenIssuer: envString(env, 'TOKEN_ISSUER', 'https://edugraph.local'),
    tokenAudience: envString(env, 'TOKEN_AUDIENCE', 'edugraph-api'),
    jwksCacheSeconds: envInt(env, 'JWKS_CACHE_SECONDS', 60, { min: 0, max: 3600 }),
    identityUrl: envString(env, 'IDENTITY_URL', 'http://127.0.0.1:4001/'),
    internalApiToken,
    trustProxy: readTrustProxy(env),
    bodyLimitBytes: envInt(env, 'BODY_LIMIT_BYTES', 100 * 1024, { min: 1024, max: 10 * 1024 * 1024 }),
    graphiql: envBool(env, 'GRAPHIQL_ENABLED', true),
    corsOrigins: (envOptional(env, 'CORS_ORIGINS') ?? '')
      .split(',')
      .map((o) => o.trim().replace(/\/$/, ''))
      .filter(Boolean),
    limits: {
      maxDepth: envInt(env, 'MAX_DEPTH', DEFAULT_LIMITS.maxDepth, { min: 1 }),
      maxAliases: envInt(env, 'MAX_ALIASES', DEFAULT_LIMITS.maxAliases, { min: 0 }),
      maxTokens: envInt(env, 'MAX_TOKENS', DEFAULT_LIMITS.maxTokens, { min: 10 }),
      maxDirectives: envInt(env, 'MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives, { min: 0 }),
      maxCost: envInt(env, 'MAX_COST', DEFAULT_LIMITS.maxCost, { min: 1 }),
      maxCostApiKey: envInt(env, 'MAX_COST_API_KEY', DEFAULT_LIMITS.maxCostApiKey, { min: 1 }),
      maxFirst: envInt(env, 'MAX_FIRST', DEFAULT_LIMITS.maxFirst, { min: 1 }),
      defaultFirst: envInt(env, 'DEFAULT_FIRST', DEFAULT_LIMITS.defaultFirst, { min: 1 }),
    },
    rateLimits: {
      enabled: !envBool(env, 'RATE_LIMIT_DISABLED', false),
      keyPrefix: envString(env, 'RATE_LIMIT_PREFIX', DEFAULT_RATE_LIMITS.keyPrefix),
      ip: readRule(env, 'IP', DEFAULT_RATE_LIMITS.ip),
      user: readRule(env, 'USER', DEFAULT_RATE_LIMITS.user),
      apiKey: readRule(env, 'API_KEY', DEFAULT_RATE_LIMITS.apiKey),
    },
    processMetrics: envBool(env, 'METRICS_PROCESS', true),
    subscriptions: readSubscriptionSettings(env),
    webClientDir: envBool(env, 'WEB_CLIENT_ENABLED', true)
      ? envString(env, 'WEB_CLIENT_DIR', DEFAULT_WEB_CLIENT_DIR)
      : null,
    trustedDocuments: readTrustedDocumentsSettings(env, production),
    refreshCookie: {
      enabled: envBool(env, 'REFRESH_COOKIE_ENABLED', true),
      secure: envBool(env, 'REFRESH_COOKIE_SECURE', production),
      maxAgeSeconds: envInt(env, 'REFRESH_COOKIE_MAX_AGE_SECONDS', DEFAULT_REFRESH_COOKIE_MAX_AGE_SECONDS, {
        min: 60,
        max: 90 * 24 * 60 * 60,
      }),
    },
    mediaProxy: readMediaProxySettings(env),
  };
}

function origins(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((o) => o.trim().replace(/\/$/, ''))
    .filter(Boolean);
}

function readSubscriptionSettings(env: EnvRecord): GatewaySubscriptionSettings {
  const d = DEFAULT_SUBSCRIPTION_SETTINGS;
  return {
    enabled: envBool(env, 'SUBSCRIPTIONS_ENABLED', d.enabled),
    // Defaults to the CORS origins: the same browser apps call over HTTP and WebSocket.
    allowedOrigins: origins(envOptional(env, 'ALLOWED_ORIGINS') ?? envOptional(env, 'CORS_ORIGINS')),
    initTimeoutMs: envInt(env, 'SUBSCRIPTIONS_INIT_TIMEOUT_MS', d.initTimeoutMs, { min: 100, max: 60_000 }),
    keepAliveMs: envInt(env, 'SUBSCRIPTIONS_KEEPALIVE_MS', d.keepAliveMs, { min: 100, max: 300_000 }),
    maxSocketsPerUser: envInt(env, 'SUBSCRIPTIONS_MAX_SOCKETS_PER_USER', d.maxSocketsPerUser, { min: 1 }),
    maxSubscriptionsPerSocket: envInt(env, 'SUBSCRIPTIONS_MAX_PER_SOCKET', d.maxSubscriptionsPerSocket, {
      min: 1,
    }),
    maxQueuedEvents: envInt(env, 'SUBSCRIPTIONS_MAX_QUEUED_EVENTS', d.maxQueuedEvents, { min: 1 }),
  };
}

/** The process environment; the only place `process.env` is read. */
export function processEnv(): EnvRecord {
  return process.env;
}
