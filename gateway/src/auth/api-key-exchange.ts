import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { UnauthenticatedError } from '@edugraph/kit';

/** What identity answers to `POST /internal/api-keys/exchange`. */
export type ApiKeyGrant = {
  accessToken: string;
  /** Unix seconds. */
  expiresAt: number;
  apiKeyId: string;
  ownerId: string;
  scopes: string[];
};

export type ApiKeyExchangeOptions = {
  /** Identity's base URL (its private HTTP API). */
  identityUrl: string;
  internalApiToken: string | undefined;
  /** Grants are reused until this many seconds before they expire. */
  refreshBeforeSeconds?: number;
  maxEntries?: number;
  timeoutMs?: number;
  now?: () => number;
  fetch?: typeof fetch;
  /** Called when identity refuses the gateway itself (wrong INTERNAL_API_TOKEN, route disabled). */
  onMisconfigured?: (message: string) => void;
};

export type ApiKeyExchange = {
  exchange: (apiKey: string) => Promise<ApiKeyGrant>;
  /** Number of cached grants (for tests and metrics). */
  size: () => number;
  clear: () => void;
};

export const API_KEY_EXCHANGE_PATH = '/internal/api-keys/exchange';
const API_KEY_SHAPE = /^[\x21-\x7e]{16,256}$/;

export class IdentityUnavailableError extends GraphQLError {
  constructor() {
    super('Authentication is temporarily unavailable. Try again shortly.', {
      extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
    });
  }
}

function keyHash(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

function parseExpiry(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value))
    return value > 1e12 ? Math.floor(value / 1000) : value;
  if (typeof value === 'string') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : Math.floor(ms / 1000);
  }
  return null;
}

function parseGrant(body: unknown): ApiKeyGrant | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  const expiresAt = parseExpiry(record['expiresAt']);
  const { accessToken, apiKeyId, ownerId, scopes } = record;
  if (
    typeof accessToken !== 'string' ||
    typeof apiKeyId !== 'string' ||
    typeof ownerId !== 'string' ||
    expiresAt === null
  )
    return null;
  return {
    accessToken,
    expiresAt,
    apiKeyId,
    ownerId,
    scopes: Array.isArray(scopes) ? scopes.filter((s): s is string => typeof s === 'string') : [],
  };
}

/**
 * Trades a third-party API key for a short-lived access token at identity, caching the grant per
 * sha256(key) (the key itself is never stored) until `refreshBeforeSeconds` before it expires.
 * Concurrent requests with the same key share one exchange. A key identity refuses → UNAUTHENTICATED.
 */
export function createApiKeyExchange(options: ApiKeyExchangeOptions): ApiKeyExchange {
  const now = options.now ?? (() => Date.now() / 1000);
  const refreshBefore = options.refreshBeforeSeconds ?? 60;
  const maxEntries = options.maxEntries ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const url = new URL(API_KEY_EXCHANGE_PATH, options.identityUrl);
  const cache = new Map<string, ApiKeyGrant>();
  const inFlight = new Map<string, Promise<ApiKeyGrant>>();

  const remember = (hash: string, grant: ApiKeyGrant) => {
    if (grant.expiresAt - refreshBefore <= now()) return;
    cache.delete(hash);
    cache.set(hash, grant);
    while (cache.size > maxEntries) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  };

  const request = async (apiKey: string): Promise<ApiKeyGrant> => {
    if (!options.internalApiToken) {
      options.onMisconfigured?.('INTERNAL_API_TOKEN is not set; API keys cannot be exchanged');
      throw new IdentityUnavailableError();
    }
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-internal-token': options.internalApiToken },
        body: JSON.stringify({ apiKey }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
    } catch {
      throw new IdentityUnavailableError();
    }
    // 401 `invalid_api_key` is the caller's problem; identity refusing our internal token
    // (401 `unauthorized`, or 403/404 when the route is off) is ours.
    if (response.status === 401) {
      const body = (await response.json().catch(() => null)) as { error?: unknown } | null;
      if (body?.error !== 'unauthorized') throw new UnauthenticatedError('The API key is invalid.');
      options.onMisconfigured?.('identity refused the gateway internal token (INTERNAL_API_TOKEN mismatch)');
      throw new IdentityUnavailableError();
    }
    if (!response.ok) {
      await response.body?.cancel();
      options.onMisconfigured?.(`identity answered the API-key exchange with ${response.status}`);
      throw new IdentityUnavailableError();
    }
    const grant = parseGrant(await response.json().catch(() => null));
    if (!grant) throw new IdentityUnavailableError();
    return grant;
  };

  return {
    async exchange(apiKey) {
      if (!API_KEY_SHAPE.test(apiKey)) throw new UnauthenticatedError('The API key is invalid.');
      const hash = keyHash(apiKey);
      const cached = cache.get(hash);
      if (cached && cached.expiresAt - refreshBefore > now()) return cached;
      if (cached) cache.delete(hash);
      const pending = inFlight.get(hash);
      if (pending) return pending;
      const promise = request(apiKey)
        .then((grant) => {
          remember(hash, grant);
          return grant;
        })
        .finally(() => inFlight.delete(hash));
      inFlight.set(hash, promise);
      return promise;
    },
    size: () => cache.size,
    clear: () => cache.clear(),
  };
}
