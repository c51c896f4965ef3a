import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';

/** Paths that belong to the API and the edge, never to the single-page app's fallback. */
const RESERVED_PREFIXES = [
  '/graphql',
  '/graphiql',
  '/auth',
  '/health',
  '/ready',
  '/metrics',
  '/.well-known',
  '/media',
];

/**
 * The web app's policy: everything from this origin (the API, its WebSocket, the bundle). Images and media may
 * come from signed HTTPS URLs (media storage). No inline scripts or styles; nothing may frame the app.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob: https:",
  "media-src 'self' blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function isReserved(urlPath: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`));
}

/** True when `dir` holds a built web app (`index.html`). */
export function hasWebApp(dir: string | null): dir is string {
  return dir !== null && existsSync(path.join(dir, 'index.html'));
}

/**
 * Serves the built web app (`web-client/dist`) at `/`: hashed files under `/assets/` for a year (immutable),
 * other files for an hour, and `index.html` — for `/` and every other HTML navigation (client-side routes) —
 * never from a cache without revalidation, so a deploy is picked up on the next navigation.
 */
export function webAppRouter(dir: string): Router {
  const index = path.join(dir, 'index.html');
  const router = express.Router();
  const sendIndex = (res: express.Response) => {
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('content-security-policy', WEB_APP_CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'strict-origin-when-cross-origin');
    res.sendFile(index);
  };
  router.use(
    '/assets',
    express.static(path.join(dir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: false,
      setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
    }),
  );
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isReserved(req.path)) {
      next();
      return;
    }
    if (req.path === '/' || req.path === '/index.html') {
      sendIndex(res);
      return;
    }
    next();
  });
  router.use(
    express.static(dir, {
      index: false,
      maxAge: '1h',
      setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
    }),
  );
  // Client-side routes: any other navigation that wants HTML gets the app shell.
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isReserved(req.path)) {
      next();
      return;
    }
    if (path.extname(req.path) !== '' || req.accepts(['html', 'json']) !== 'html') {
      next();
      return;
    }
    sendIndex(res);
  });
  return router;
}
