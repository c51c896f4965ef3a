import type { ApolloServer } from '@apollo/server';
import type { Logger } from '@edugraph/kit';
import express, { type Router } from 'express';
import type { GatewayContext } from '../gateway-context.js';
import { normalizeIp, requestIdOf } from '../http/request-id.js';
import type { RateLimiters } from '../limits/rate-limits.js';
import { ANONYMOUS } from './principal.js';
import {
  REFRESH_COOKIE_OPT_IN_HEADER,
  readRefreshCookie,
  serializeRefreshCookie,
  type RefreshCookieSettings,
} from './refresh-cookie.js';

/** identity's real mutation, run through the gateway's own pipeline (limits, plan, subgraph call). */
const REFRESH_SESSION = `mutation RefreshSessionFromCookie($input: RefreshSessionInput!) {
  refreshSession(input: $input) { accessToken refreshToken accessTokenExpiresAt twoFactorEnrollmentRequired }
}`;

type RefreshData = {
  refreshSession: {
    accessToken: string;
    refreshToken: string;
    accessTokenExpiresAt: string;
    twoFactorEnrollmentRequired: boolean;
  };
};

export type SessionRoutesOptions = {
  settings: RefreshCookieSettings;
  server: ApolloServer<GatewayContext>;
  rateLimiters: RateLimiters;
  logger: Logger;
};

/**
 * `POST /auth/refresh`: the refresh cookie → a new access token (JSON) and a rotated cookie; 204 without a cookie
 * (no session in this browser), 401 (and a cleared cookie) when the token is spent, reused or expired.
 * `POST /auth/sign-out`: clears the cookie (the web app ends the session itself with `signOut` first).
 *
 * Both need the opt-in header: a cross-site form cannot send it, and a cross-origin script needs a CORS
 * preflight, which these routes never grant. The cookie is SameSite=Strict as well.
 */
export function sessionRoutes({ settings, server, rateLimiters, logger }: SessionRoutesOptions): Router {
  const router = express.Router();
  const refuse = (res: express.Response, status: number, code: string, message: string) => {
    res.setHeader('cache-control', 'no-store');
    res.status(status).json({ error: { code, message } });
  };

  router.use((req, res, next) => {
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      refuse(res, 405, 'METHOD_NOT_ALLOWED', 'Use POST.');
      return;
    }
    if (req.get(REFRESH_COOKIE_OPT_IN_HEADER) !== '1') {
      refuse(res, 400, 'BAD_REQUEST', `The ${REFRESH_COOKIE_OPT_IN_HEADER} header is required.`);
      return;
    }
    next();
  });

  router.post('/refresh', async (req, res) => {
    const clientIp = normalizeIp(req.ip);
    const decision = await rateLimiters.consumeIp(clientIp);
    if (!decision.allowed) {
      res.setHeader('retry-after', String(decision.retryAfterSeconds));
      refuse(res, 429, 'RATE_LIMITED', 'Too many requests.');
      return;
    }
    const refreshToken = readRefreshCookie(settings, req.headers.cookie);
    if (!refreshToken) {
      // Not an error: the app asks at every start whether this browser has a session.
      res.setHeader('cache-control', 'no-store');
      res.status(204).end();
      return;
    }
    const requestId = requestIdOf(res);
    const result = await server.executeOperation<RefreshData>(
      { query: REFRESH_SESSION, variables: { input: { refreshToken } } },
      {
        contextValue: {
          requestId,
          clientIp,
          principal: ANONYMOUS,
          logger: logger.child({ requestId }),
        },
      },
    );
    const single = result.body.kind === 'single' ? result.body.singleResult : null;
    const payload = single?.data?.refreshSession;
    if (!payload) {
      const code = String(single?.errors?.[0]?.extensions?.['code'] ?? 'UNAUTHENTICATED');
      const transient = code === 'INTERNAL_SERVER_ERROR' || code === 'RATE_LIMITED';
      // A spent, reused or expired token ends the browser session; a failure on our side keeps the cookie.
      if (!transient) res.setHeader('set-cookie', serializeRefreshCookie(settings, null));
      refuse(
        res,
        transient ? 503 : 401,
        code,
        single?.errors?.[0]?.message ?? 'The session could not be refreshed.',
      );
      return;
    }
    res.setHeader('set-cookie', serializeRefreshCookie(settings, payload.refreshToken));
    res.setHeader('cache-control', 'no-store');
    res.json({
      accessToken: payload.accessToken,
      accessTokenExpiresAt: payload.accessTokenExpiresAt,
      twoFactorEnrollmentRequired: payload.twoFactorEnrollmentRequired,
    });
  });

  router.post('/sign-out', (_req, res) => {
    res.setHeader('set-cookie', serializeRefreshCookie(settings, null));
    res.setHeader('cache-control', 'no-store');
    res.status(204).end();
  });

  router.use((_req, res) => refuse(res, 404, 'NOT_FOUND', 'No such auth route.'));
  return router;
}
