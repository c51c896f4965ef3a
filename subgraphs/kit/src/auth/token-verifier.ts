import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { UnauthenticatedError } from '../errors/domain-error.js';
import { PLATFORM_ROLES, type PlatformRole, type Viewer } from './viewer.js';

export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const ACCESS_TOKEN_ALG = 'ES256';

export type TokenVerifierOptions = {
  issuer: string;
  audience: string;
  /** Key lookup by `kid`; use `remoteJwks(url)` or a local key set. */
  keys: JWTVerifyGetKey;
  clockToleranceSeconds?: number;
};

export type TokenVerifier = (token: string) => Promise<Viewer>;

/** Remote JWKS with jose's cache: refetched on unknown `kid`, at most every 30 s, cached 10 min. */
export function remoteJwks(url: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(url), { cooldownDuration: 30_000, cacheMaxAge: 600_000 });
}

function isRole(value: unknown): value is PlatformRole {
  return typeof value === 'string' && (PLATFORM_ROLES as readonly string[]).includes(value);
}

/**
 * Verifies an ES256 access token (`typ=at+jwt`, `iss`, `aud`, `exp`, `kid`) and turns its claims into a Viewer.
 * Anything else — other algorithms, `alg: none`, expired, forged — is UNAUTHENTICATED.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [ACCESS_TOKEN_ALG],
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['sub', 'exp', 'iat'],
        clockTolerance: options.clockToleranceSeconds ?? 5,
      });
      const roles = Array.isArray(payload['roles']) ? payload['roles'].filter(isRole) : [];
      const scope = typeof payload['scope'] === 'string' ? payload['scope'] : '';
      return {
        userId: payload.sub as string,
        sessionId: typeof payload['sid'] === 'string' ? payload['sid'] : null,
        roles,
        scopes: scope ? scope.split(' ') : [],
        apiKeyId: typeof payload['akid'] === 'string' ? payload['akid'] : null,
        expiresAt: payload.exp as number,
      };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new UnauthenticatedError('The access token has expired.');
      throw new UnauthenticatedError('The access token is invalid.');
    }
  };
}

/** Reads `Authorization: Bearer <token>`; returns null when absent. Malformed headers are rejected. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer +([A-Za-z0-9\-_.]+)$/i.exec(header.trim()); // the scheme is case-insensitive (RFC 9110)
  if (!match?.[1]) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>".');
  return match[1];
}
