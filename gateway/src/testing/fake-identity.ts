import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export const TEST_ISSUER = 'https://edugraph.test';
export const TEST_AUDIENCE = 'edugraph-api';
export const TEST_INTERNAL_TOKEN = 'internal-token-for-tests-0123456789';

type SigningKey = { kid: string; privateKey: CryptoKey; publicJwk: JWK };

export type TokenClaims = {
  sub?: string;
  roles?: string[];
  scope?: string;
  akid?: string;
  sid?: string;
  /** Seconds from now (negative = already expired). */
  expiresIn?: number;
  kid?: string;
  typ?: string;
};

export type ApiKeyRecord = { apiKeyId: string; ownerId: string; scopes: string[]; ttlSeconds?: number };

/**
 * A stand-in for identity: ES256 keys published as a JWKS, a token signer, and the private
 * `POST /internal/api-keys/exchange` contract the gateway calls for `x-api-key` requests.
 */
export type FakeIdentity = {
  url: string;
  jwksUrl: string;
  /** Publishes a new key (not yet known to verifiers that cached the JWKS). */
  addKey: (kid: string) => Promise<void>;
  sign: (claims?: TokenClaims) => Promise<string>;
  /** A token signed by a key that is not published, under a published kid. */
  forge: (claims?: TokenClaims) => Promise<string>;
  apiKeys: Map<string, ApiKeyRecord>;
  stats: { jwksFetches: number; exchanges: number };
  stop: () => Promise<void>;
};

async function createKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' } };
}

async function signWith(key: SigningKey, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = claims.expiresIn ?? 900;
  const payload: Record<string, unknown> = { roles: claims.roles ?? ['LEARNER'] };
  if (claims.scope !== undefined) payload['scope'] = claims.scope;
  if (claims.akid !== undefined) payload['akid'] = claims.akid;
  payload['sid'] = claims.sid ?? (claims.akid ? undefined : 'session-1');
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: claims.typ ?? 'at+jwt', kid: claims.kid ?? key.kid })
    .setIssuer(TEST_ISSUER)
    .setAudience(TEST_AUDIENCE)
    .setSubject(claims.sub ?? '00000000-0000-4000-8000-000000000001')
    .setIssuedAt(expiresIn < 0 ? now + expiresIn - 60 : now)
    .setExpirationTime(now + expiresIn)
    .sign(key.privateKey);
}

export async function startFakeIdentity(): Promise<FakeIdentity> {
  const keys: SigningKey[] = [await createKey('key-1')];
  const stranger = await createKey('key-1');
  const stats = { jwksFetches: 0, exchanges: 0 };
  const apiKeys = new Map<string, ApiKeyRecord>();

  const app = express();
  app.get('/.well-known/jwks.json', (_req, res) => {
    stats.jwksFetches += 1;
    res.json({ keys: keys.map((k) => k.publicJwk) });
  });
  app.post('/internal/api-keys/exchange', express.json(), async (req, res) => {
    stats.exchanges += 1;
    // Same answers as identity's route: 401 `unauthorized` for the gateway, 401 `invalid_api_key` for the key.
    if (req.headers['x-internal-token'] !== TEST_INTERNAL_TOKEN) {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    const apiKey: unknown = (req.body as { apiKey?: unknown } | undefined)?.apiKey;
    const record = typeof apiKey === 'string' ? apiKeys.get(apiKey) : undefined;
    if (!record) {
      res.status(401).json({ error: 'invalid_api_key' });
      return;
    }
    const ttl = record.ttlSeconds ?? 900;
    const key = keys[keys.length - 1]!;
    const accessToken = await signWith(key, {
      sub: record.ownerId,
      roles: [],
      scope: record.scopes.join(' '),
      akid: record.apiKeyId,
      expiresIn: ttl,
    });
    res.json({
      accessToken,
      expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
      apiKeyId: record.apiKeyId,
      ownerId: record.ownerId,
      scopes: record.scopes,
    });
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    jwksUrl: new URL('/.well-known/jwks.json', url).toString(),
    addKey: async (kid) => {
      keys.push(await createKey(kid));
    },
    sign: (claims = {}) => {
      const key = claims.kid ? keys.find((k) => k.kid === claims.kid) : keys[0];
      if (!key) throw new Error(`no key ${claims.kid}`);
      return signWith(key, claims);
    },
    forge: (claims = {}) => signWith(stranger, claims),
    apiKeys,
    stats,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
