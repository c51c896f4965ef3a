import type { RequestHandler } from 'express';
import type { Logger } from '@edugraph/kit';

type Cached = { body: string; fetchedAt: number };

/**
 * Re-serves identity's JWKS on the gateway port (clients and other services verify tokens without
 * reaching identity). Cached for `cacheSeconds`; a stale copy is served while identity is down.
 */
export function createJwksProxy(options: {
  url: string;
  cacheSeconds: number;
  logger: Logger;
  fetch?: typeof fetch;
  now?: () => number;
}): RequestHandler {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let cached: Cached | null = null;
  let refreshing: Promise<Cached> | null = null;

  const refresh = async (): Promise<Cached> => {
    const response = await doFetch(options.url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(5000),
    });
    if (!response.ok) throw new Error(`JWKS fetch failed with ${response.status}`);
    const jwks = (await response.json()) as { keys?: unknown };
    if (!Array.isArray(jwks.keys)) throw new Error('JWKS response has no keys');
    // Public members only, whatever identity sends.
    const keys = (jwks.keys as Record<string, unknown>[]).map((key) => {
      const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, k: _k, ...publicKey } = key;
      return publicKey;
    });
    return { body: JSON.stringify({ keys }), fetchedAt: now() };
  };

  return async (_req, res) => {
    if (!cached || now() - cached.fetchedAt >= options.cacheSeconds * 1000) {
      try {
        refreshing ??= refresh().finally(() => {
          refreshing = null;
        });
        cached = await refreshing;
      } catch (error) {
        options.logger.warn({ err: error }, 'could not refresh the JWKS from identity');
        if (!cached) {
          res.status(502).setHeader('cache-control', 'no-store').json({ error: 'JWKS unavailable' });
          return;
        }
      }
    }
    const age = Math.max(0, Math.floor((now() - cached.fetchedAt) / 1000));
    const maxAge = Math.max(0, options.cacheSeconds - age);
    res.setHeader('content-type', 'application/jwk-set+json; charset=utf-8');
    res.setHeader('cache-control', `public, max-age=${maxAge}`);
    res.send(cached.body);
  };
}
