import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import {
  ACCESS_TOKEN_ALG,
  ACCESS_TOKEN_TYPE,
  createTokenVerifier,
  type PlatformRole,
  type TokenVerifier,
} from '@edugraph/kit';
import type { Clock } from '../../shared/clock.js';
import { ACCESS_TOKEN_TTL_SECONDS, type KeyStore } from './key-store.service.js';

export type IssuedToken = { token: string; expiresAt: Date };

export type TokenSettings = { issuer: string; audience: string };

/** The claims of a user access token (pure; tested on its own). */
export function userAccessClaims(input: {
  userId: string;
  sessionId: string;
  roles: readonly PlatformRole[];
  issuedAt: number;
}): Record<string, unknown> {
  return {
    sid: input.sessionId,
    roles: [...input.roles],
    iat: input.issuedAt,
    exp: input.issuedAt + ACCESS_TOKEN_TTL_SECONDS,
  };
}

/** The claims of an API-key access token: no `sid`, no roles, space-separated scopes. */
export function apiKeyAccessClaims(input: {
  apiKeyId: string;
  scopes: readonly string[];
  issuedAt: number;
}): Record<string, unknown> {
  return {
    akid: input.apiKeyId,
    scope: input.scopes.join(' '),
    roles: [],
    iat: input.issuedAt,
    exp: input.issuedAt + ACCESS_TOKEN_TTL_SECONDS,
  };
}

/** Signs ES256 `at+jwt` access tokens with the current key; verifies with the local key set. */
export class TokenIssuer {
  readonly verify: TokenVerifier;

  constructor(
    private readonly keys: KeyStore,
    private readonly clock: Clock,
    private readonly settings: TokenSettings,
  ) {
    this.verify = createTokenVerifier({
      issuer: settings.issuer,
      audience: settings.audience,
      keys: keys.getKey,
    });
  }

  private async sign(subject: string, claims: Record<string, unknown>): Promise<IssuedToken> {
    const { kid, privateKey } = await this.keys.signingKey();
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: ACCESS_TOKEN_TYPE, kid })
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setSubject(subject)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, expiresAt: new Date((claims['exp'] as number) * 1000) };
  }

  issueForSession(input: {
    userId: string;
    sessionId: string;
    roles: readonly PlatformRole[];
  }): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    return this.sign(input.userId, userAccessClaims({ ...input, issuedAt }));
  }

  issueForApiKey(input: {
    ownerId: string;
    apiKeyId: string;
    scopes: readonly string[];
  }): Promise<IssuedToken> {
    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    return this.sign(input.ownerId, apiKeyAccessClaims({ ...input, issuedAt }));
  }
}
