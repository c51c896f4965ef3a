import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { GatewayContext } from '../gateway-context.js';

/**
 * Browser sessions keep their refresh token in an httpOnly cookie instead of JavaScript memory or storage
 * (web-client/README.md, "Tokens"). A request opts in with this header; other clients (apps, integrators,
 * tests) keep receiving the refresh token in the GraphQL response.
 */
export const REFRESH_COOKIE_OPT_IN_HEADER = 'x-edugraph-refresh-cookie';

/** The cookie only travels to `/auth/*` (refresh, sign-out), never with GraphQL requests. */
export const REFRESH_COOKIE_PATH = '/auth';

export type RefreshCookieSettings = {
  enabled: boolean;
  /** `Secure` + the `__Secure-` name prefix (production; browsers also accept it on http://localhost). */
  secure: boolean;
  /** Browser lifetime of the cookie; identity's own sliding expiry (30 days) still decides. */
  maxAgeSeconds: number;
};

/** Root mutation fields whose `AuthPayload.refreshToken` moves into the cookie. */
const ISSUING_FIELDS = new Set(['signUp', 'signIn', 'refreshSession']);

export function refreshCookieName(settings: Pick<RefreshCookieSettings, 'secure'>): string {
  return settings.secure ? '__Secure-edugraph_refresh' : 'edugraph_refresh';
}

/** `Set-Cookie` value storing `token`, or clearing the cookie when `token` is null. */
export function serializeRefreshCookie(settings: RefreshCookieSettings, token: string | null): string {
  const parts = [
    `${refreshCookieName(settings)}=${token === null ? '' : encodeURIComponent(token)}`,
    `Path=${REFRESH_COOKIE_PATH}`,
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${token === null ? 0 : settings.maxAgeSeconds}`,
  ];
  if (settings.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The refresh token from a `Cookie` request header, if present. */
export function readRefreshCookie(
  settings: Pick<RefreshCookieSettings, 'secure'>,
  cookieHeader: string | undefined,
): string | null {
  if (!cookieHeader) return null;
  const name = refreshCookieName(settings);
  for (const part of cookieHeader.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    const raw = part.slice(index + 1).trim();
    if (!raw) return null;
    try {
      return decodeURIComponent(raw);
    } catch {
      return null;
    }
  }
  return null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a finished mutation means for the cookie: a new refresh token (taken out of `data`, which keeps an
 * empty string in its place), `null` to clear it (a successful `signOut`), or `undefined` for no change.
 */
export function takeRefreshToken(
  operation: OperationDefinitionNode,
  data: Record<string, unknown>,
): string | null | undefined {
  if (operation.operation !== 'mutation') return undefined;
  let outcome: string | null | undefined;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    const field = selection.name.value;
    const value = data[selection.alias?.value ?? field];
    if (ISSUING_FIELDS.has(field) && isRecord(value) && typeof value['refreshToken'] === 'string') {
      if (value['refreshToken']) outcome = value['refreshToken'];
      value['refreshToken'] = '';
    } else if (field === 'signOut' && value === true) {
      outcome = null;
    }
  }
  return outcome;
}

/** Moves refresh tokens of opted-in requests into the httpOnly cookie, and clears it on sign-out. */
export function refreshCookiePlugin(settings: RefreshCookieSettings): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ request }) {
      if (!settings.enabled || request.http?.headers.get(REFRESH_COOKIE_OPT_IN_HEADER) !== '1') return;
      return {
        async willSendResponse({ response, operation }) {
          if (!operation || response.body.kind !== 'single') return;
          const data = response.body.singleResult.data;
          if (!data) return;
          const token = takeRefreshToken(operation, data);
          if (token === undefined) return;
          response.http.headers.set('set-cookie', serializeRefreshCookie(settings, token));
          response.http.headers.set('cache-control', 'no-store');
        },
      };
    },
  };
}
