import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../errors/domain-error.js';
import { bearerToken, createTokenVerifier, type TokenVerifier } from './token-verifier.js';

const ISSUER = 'https://identity.edugraph.test';
const AUDIENCE = 'edugraph-api';
const KID = 'key-2026-01';

let privateKey: CryptoKey;
let publicKey: CryptoKey;
let otherPrivateKey: CryptoKey;
let keys: JWTVerifyGetKey;
let verify: TokenVerifier;

type TokenOptions = {
  alg?: string;
  typ?: string;
  kid?: string;
  issuer?: string;
  audience?: string;
  subject?: string | null;
  expiresAt?: number;
  issuedAt?: number;
  claims?: Record<string, unknown>;
  key?: CryptoKey | Uint8Array;
};

function now(): number {
  return Math.floor(Date.now() / 1000);
}

async function token(options: TokenOptions = {}): Promise<string> {
  const jwt = new SignJWT({ roles: ['LEARNER'], sid: 'session-1', ...options.claims })
    .setProtectedHeader({
      alg: options.alg ?? 'ES256',
      typ: options.typ ?? 'at+jwt',
      kid: options.kid ?? KID,
    })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt(options.issuedAt ?? now())
    .setExpirationTime(options.expiresAt ?? now() + 300);
  if (options.subject !== null) jwt.setSubject(options.subject ?? 'user-1');
  return jwt.sign(options.key ?? privateKey);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe('UNAUTHENTICATED');
  expect((error as DomainError).extensions['code']).toBe('UNAUTHENTICATED');
  return error as DomainError;
}

beforeAll(async () => {
  ({ privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true }));
  ({ privateKey: otherPrivateKey } = await generateKeyPair('ES256'));
  const jwk = await exportJWK(publicKey);
  keys = createLocalJWKSet({ keys: [{ ...jwk, kid: KID, alg: 'ES256', use: 'sig' }] });
  verify = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys });
});

describe('createTokenVerifier', () => {
  it('accepts a valid ES256 access token and maps its claims to a viewer', async () => {
    const expiresAt = now() + 300;
    const viewer = await verify(
      await token({
        expiresAt,
        claims: {
          roles: ['LEARNER', 'ADMIN', 'SUPERUSER', 42],
          scope: 'courses:read orders:read',
          akid: 'key-9',
        },
      }),
    );
    expect(viewer).toEqual({
      userId: 'user-1',
      sessionId: 'session-1',
      roles: ['LEARNER', 'ADMIN'],
      scopes: ['courses:read', 'orders:read'],
      apiKeyId: 'key-9',
      expiresAt,
    });
  });

  it('gives empty roles and scopes when the claims are absent or malformed', async () => {
    const viewer = await verify(await token({ claims: { roles: 'ADMIN', sid: 7 } }));
    expect(viewer).toMatchObject({ roles: [], scopes: [], sessionId: null, apiKeyId: null });
  });

  it('rejects an expired token as UNAUTHENTICATED "expired"', async () => {
    const error = await rejection(verify(await token({ issuedAt: now() - 3600, expiresAt: now() - 60 })));
    expect(error.message).toMatch(/expired/);
  });

  it('honours the clock tolerance for a token that just expired', async () => {
    const tolerant = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      keys,
      clockToleranceSeconds: 120,
    });
    await expect(
      tolerant(await token({ issuedAt: now() - 600, expiresAt: now() - 60 })),
    ).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('rejects a token whose typ is not at+jwt (e.g. an ID or refresh token)', async () => {
    const error = await rejection(verify(await token({ typ: 'JWT' })));
    expect(error.message).toMatch(/invalid/);
    await rejection(verify(await token({ typ: 'refresh+jwt' })));
  });

  it('rejects an unsigned alg "none" token', async () => {
    const header = base64url({ alg: 'none', typ: 'at+jwt', kid: KID });
    const payload = base64url({
      sub: 'admin',
      roles: ['ADMIN'],
      iss: ISSUER,
      aud: AUDIENCE,
      iat: now(),
      exp: now() + 300,
    });
    await rejection(verify(`${header}.${payload}.`));
    await rejection(verify(`${header}.${payload}`));
  });

  it('rejects an HS256 token signed with the public key bytes (algorithm confusion)', async () => {
    const spki = new TextEncoder().encode(await exportSPKI(publicKey));
    const jwk = await exportJWK(publicKey);
    const rawPublic = Buffer.concat([Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    for (const secret of [spki, new Uint8Array(rawPublic)]) {
      const forged = await token({ alg: 'HS256', key: secret, claims: { roles: ['ADMIN'] } });
      await rejection(verify(forged));
      // Even a careless key getter that hands out the public key bytes for HS256 is not used: ES256 only.
      const careless = createTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        keys: async (header) => (header.alg === 'HS256' ? secret : publicKey),
      });
      await rejection(careless(forged));
    }
  });

  it('rejects a wrong issuer or audience', async () => {
    await rejection(verify(await token({ issuer: 'https://evil.example' })));
    await rejection(verify(await token({ audience: 'another-api' })));
  });

  it('rejects an unknown kid and a token signed by another key under a known kid', async () => {
    await rejection(verify(await token({ kid: 'key-unknown' })));
    await rejection(verify(await token({ key: otherPrivateKey })));
  });

  it('rejects a token without a subject, a tampered payload, and garbage', async () => {
    await rejection(verify(await token({ subject: null })));
    const [header, , signature] = (await token()).split('.');
    const tampered = `${header}.${base64url({ sub: 'admin', roles: ['ADMIN'], iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 300 })}.${signature}`;
    await rejection(verify(tampered));
    await rejection(verify('not.a.jwt'));
    await rejection(verify(''));
  });
});

describe('bearerToken', () => {
  it('reads the token of a Bearer header and returns null when there is none', () => {
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('')).toBeNull();
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'Bearer abc"'])(
    'rejects %j as UNAUTHENTICATED',
    (header) => {
      let caught: unknown;
      try {
        bearerToken(header);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(DomainError);
      expect((caught as DomainError).code).toBe('UNAUTHENTICATED');
    },
  );
});
