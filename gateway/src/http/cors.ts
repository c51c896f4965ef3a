import type { RequestHandler } from 'express';

const ALLOWED_HEADERS = [
  'content-type',
  'accept',
  'authorization',
  'x-api-key',
  'x-request-id',
  'apollo-require-preflight',
  'x-apollo-operation-name',
].join(', ');

/**
 * CORS for browser clients on other origins (e.g. the web app's dev server). Only the listed
 * origins get CORS headers; no cookies are involved (tokens travel in headers), so no credentials.
 * With no origins configured, nothing is added and browsers keep cross-origin reads blocked.
 */
export function corsMiddleware(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (!origin || (!allowed.has(origin) && !allowed.has('*'))) {
      next();
      return;
    }
    res.setHeader('access-control-allow-origin', allowed.has('*') ? '*' : origin);
    res.vary('origin');
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
