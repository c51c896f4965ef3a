import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../src/harness/test-platform.js';

const SIGN_UP = `mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { accessToken refreshToken accessTokenExpiresAt user { id email displayName roles createdAt } }
}`;
const SIGN_IN = `mutation SignIn($input: SignInInput!) {
  signIn(input: $input) { accessToken refreshToken user { id roles } }
}`;
const REFRESH = `mutation Refresh($input: RefreshSessionInput!) {
  refreshSession(input: $input) { accessToken refreshToken }
}`;
const VIEWER = `query { viewer { id email displayName roles } }`;

type AuthPayload = { accessToken: string; refreshToken: string; user: { id: string; roles: string[] } };

let platform: TestPlatform;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function signUp(email: string, password = 'correct horse battery staple') {
  const result = await platform.graphql<{ signUp: AuthPayload }>(SIGN_UP, {
    input: { email, password, displayName: email.split('@')[0] },
  });
  expect(result.errors).toBeUndefined();
  return result.data!.signUp;
}

beforeAll(async () => {
  platform = await startTestPlatform();
});

afterAll(async () => {
  await platform?.close();
});

describe('identity through the gateway', () => {
  it('signs up, and the access token identifies the viewer', async () => {
    const auth = await signUp('ada@example.com');
    expect(auth.user.roles).toEqual(['LEARNER']);
    const viewer = await platform.graphql<{ viewer: { id: string; email: string } }>(
      VIEWER,
      {},
      bearer(auth.accessToken),
    );
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer).toMatchObject({ id: auth.user.id, email: 'ada@example.com' });
  });

  it('returns null for an anonymous viewer', async () => {
    const viewer = await platform.graphql<{ viewer: null }>(VIEWER);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer).toBeNull();
  });

  it('rejects a duplicate email with EMAIL_TAKEN and a weak password with BAD_USER_INPUT', async () => {
    await signUp('dup@example.com');
    const dup = await platform.graphql(SIGN_UP, {
      input: { email: 'DUP@example.com', password: 'another good passphrase', displayName: 'Dup' },
    });
    expect(dup.errors?.[0]?.extensions?.code).toBe('EMAIL_TAKEN');
    const weak = await platform.graphql(SIGN_UP, {
      input: { email: 'weak@example.com', password: 'password', displayName: 'Weak' },
    });
    expect(weak.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('rotates refresh tokens and revokes the family when a rotated token is reused', async () => {
    const auth = await signUp('rotate@example.com');
    const first = await platform.graphql<{ refreshSession: AuthPayload }>(REFRESH, {
      input: { refreshToken: auth.refreshToken },
    });
    expect(first.errors).toBeUndefined();
    const rotated = first.data!.refreshSession.refreshToken;
    expect(rotated).not.toBe(auth.refreshToken);

    const reuse = await platform.graphql(REFRESH, { input: { refreshToken: auth.refreshToken } });
    expect(reuse.errors?.[0]?.extensions?.code).toBe('REFRESH_TOKEN_REUSED');
    const afterReuse = await platform.graphql(REFRESH, { input: { refreshToken: rotated } });
    expect(afterReuse.errors?.[0]?.extensions?.code).toBeDefined();
  });

  it('signs in with the right password and refuses a wrong one with INVALID_CREDENTIALS', async () => {
    await signUp('grace@example.com', 'a long enough passphrase');
    const ok = await platform.graphql<{ signIn: AuthPayload }>(SIGN_IN, {
      input: { email: 'grace@example.com', password: 'a long enough passphrase' },
    });
    expect(ok.errors).toBeUndefined();
    const wrong = await platform.graphql(SIGN_IN, {
      input: { email: 'grace@example.com', password: 'not the passphrase' },
    });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
    const unknown = await platform.graphql(SIGN_IN, {
      input: { email: 'nobody@example.com', password: 'not the passphrase' },
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('INVALID_CREDENTIALS');
  });

  it('rejects forged, malformed and alg:none tokens at the gateway with 401 UNAUTHENTICATED', async () => {
    const auth = await signUp('mallory@example.com');
    const [header, payload] = auth.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const escalated = Buffer.from(JSON.stringify({ ...claims, roles: ['ADMIN'] })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${escalated}.`;
    for (const token of [`${header}.${escalated}.${auth.accessToken.split('.')[2]}`, none, 'not-a-jwt']) {
      const result = await platform.graphql(VIEWER, {}, bearer(token));
      expect(result.status, token).toBe(401);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('serves the JWKS on the gateway port with the key that signed the token', async () => {
    const auth = await signUp('jwks@example.com');
    const kid = (
      JSON.parse(Buffer.from(auth.accessToken.split('.')[0]!, 'base64url').toString()) as { kid: string }
    ).kid;
    const response = await fetch(new URL('/.well-known/jwks.json', platform.gatewayUrl));
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as { keys: { kid: string; kty: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
    expect(jwks.keys.every((k) => k.kty === 'EC' && k.d === undefined)).toBe(true);
  });

  it('lists own sessions and denies them to anonymous callers', async () => {
    const auth = await signUp('sessions@example.com');
    const own = await platform.graphql<{ sessions: { id: string }[] }>(
      '{ sessions { id } }',
      {},
      bearer(auth.accessToken),
    );
    expect(own.errors).toBeUndefined();
    expect(own.data?.sessions).toHaveLength(1);
    const anonymous = await platform.graphql('{ sessions { id } }');
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
