import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import {
  codeOf,
  PASSWORD,
  REFRESH,
  SIGN_UP,
  signIn,
  signUp,
  uniqueEmail,
  VIEWER,
  useTestIdentity,
  type AuthPayloadResult,
} from '../../testing/identity-harness.js';
import { generateKeyPair, SignJWT } from 'jose';
import { MINUTE } from '../../shared/clock.js';

const t = useTestIdentity();

function decode(token: string): { header: Record<string, unknown>; claims: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h!, 'base64url').toString()) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>,
  };
}

describe('sign up', () => {
  it('creates a LEARNER, signs in and the access token identifies the viewer', async () => {
    const email = uniqueEmail('ada');
    const auth = await signUp(t, email.toUpperCase());
    expect(auth.user.roles).toEqual(['LEARNER']);
    expect(auth.user.email).toBe(email);
    expect(auth.twoFactorEnrollmentRequired).toBe(false);
    const viewer = await t.gql<{ viewer: { id: string; email: string; emailVerified: boolean } }>(
      VIEWER,
      {},
      { token: auth.accessToken },
    );
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data?.viewer).toMatchObject({ id: auth.user.id, email, emailVerified: false });
  });

  it('issues ES256 at+jwt access tokens with the agreed claims, valid 10 minutes', async () => {
    const auth = await signUp(t);
    const { header, claims } = decode(auth.accessToken);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(typeof header['kid']).toBe('string');
    expect(claims).toMatchObject({
      iss: t.config.tokenIssuer,
      aud: t.config.tokenAudience,
      sub: auth.user.id,
      roles: ['LEARNER'],
    });
    expect(typeof claims['sid']).toBe('string');
    expect(typeof claims['jti']).toBe('string');
    expect((claims['exp'] as number) - (claims['iat'] as number)).toBe(600);
    expect(new Date(auth.accessTokenExpiresAt).getTime()).toBe((claims['exp'] as number) * 1000);
    const viewer = await t.running.services.tokens.verify(auth.accessToken);
    expect(viewer).toMatchObject({
      userId: auth.user.id,
      sessionId: claims['sid'],
      roles: ['LEARNER'],
      apiKeyId: null,
    });
  });

  it('issues opaque refresh tokens of at least 256 bits and stores only their hash', async () => {
    const auth = await signUp(t);
    expect(Buffer.from(auth.refreshToken, 'base64url').length).toBeGreaterThanOrEqual(32);
    const rows: { token_hash: string }[] = await t.running.services.dataSource.query(
      `SELECT t.token_hash FROM "identity".refresh_tokens t JOIN "identity".sessions s ON s.id = t.session_id WHERE s.user_id = $1`,
      [auth.user.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).not.toContain(auth.refreshToken);
    expect(rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a taken email (any case) with EMAIL_TAKEN and changes nothing', async () => {
    const email = uniqueEmail('dup');
    await signUp(t, email);
    const dup = await t.gql(SIGN_UP, {
      input: { email: email.toUpperCase(), password: 'another good passphrase', displayName: 'Dup' },
    });
    expect(codeOf(dup)).toBe('EMAIL_TAKEN');
    const rows: { count: number }[] = await t.running.services.dataSource.query(
      `SELECT count(*)::int AS count FROM "identity".users WHERE email = $1`,
      [email],
    );
    expect(rows[0]?.count).toBe(1);
  });

  it.each([
    ['short', 'abc123', 'TOO_SHORT'],
    ['common', 'password1', 'COMMON'],
    ['long', 'x'.repeat(129), 'TOO_LONG'],
  ])('refuses a %s password with BAD_USER_INPUT', async (_label, password, reason) => {
    const email = uniqueEmail('weak');
    const result = await t.gql(SIGN_UP, { input: { email, password, displayName: 'Weak' } });
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.['reason']).toBe(reason);
    const rows: unknown[] = await t.running.services.dataSource.query(
      `SELECT 1 FROM "identity".users WHERE email = $1`,
      [email],
    );
    expect(rows).toHaveLength(0);
  });

  it('refuses users younger than 16 and invalid dates, accepts 16 today', async () => {
    const now = t.clock.now();
    const iso = (years: number, dayShift = 0) => {
      const d = new Date(
        Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() + dayShift),
      );
      return d.toISOString().slice(0, 10);
    };
    const young = await t.gql(SIGN_UP, {
      input: { email: uniqueEmail(), password: PASSWORD, displayName: 'Kid', dateOfBirth: iso(16, 1) },
    });
    expect(codeOf(young)).toBe('BAD_USER_INPUT');
    const invalid = await t.gql(SIGN_UP, {
      input: { email: uniqueEmail(), password: PASSWORD, displayName: 'X', dateOfBirth: '2001-02-30' },
    });
    expect(codeOf(invalid)).toBe('BAD_USER_INPUT');
    const ok = await t.gql(SIGN_UP, {
      input: { email: uniqueEmail(), password: PASSWORD, displayName: 'Sixteen', dateOfBirth: iso(16) },
    });
    expect(ok.errors).toBeUndefined();
  });

  it('refuses a bad email and an empty display name', async () => {
    expect(
      codeOf(
        await t.gql(SIGN_UP, { input: { email: 'not-an-email', password: PASSWORD, displayName: 'A' } }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await t.gql(SIGN_UP, { input: { email: uniqueEmail(), password: PASSWORD, displayName: '   ' } }),
      ),
    ).toBe('BAD_USER_INPUT');
  });

  it('cannot request roles at sign-up (no such input field)', async () => {
    const result = await t.gql(SIGN_UP, {
      input: { email: uniqueEmail(), password: PASSWORD, displayName: 'Eve', roles: ['ADMIN'] },
    });
    expect(result.errors?.length).toBeGreaterThan(0);
    expect(result.data ?? null).toBeNull();
  });
});

describe('sign in', () => {
  it('signs in with the right password; wrong password and unknown email get the same INVALID_CREDENTIALS', async () => {
    const email = uniqueEmail('grace');
    await signUp(t, email);
    const ok = await signIn(t, email);
    expect(ok.errors).toBeUndefined();
    const wrong = await signIn(t, email, 'not the passphrase');
    const unknown = await signIn(t, uniqueEmail('nobody'), 'not the passphrase');
    expect(codeOf(wrong)).toBe('INVALID_CREDENTIALS');
    expect(codeOf(unknown)).toBe('INVALID_CREDENTIALS');
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it('viewer is null for anonymous callers', async () => {
    const result = await t.gql<{ viewer: null }>(VIEWER);
    expect(result.errors).toBeUndefined();
    expect(result.data?.viewer).toBeNull();
  });
});

describe('access tokens', () => {
  it('rejects forged, alg:none, malformed and expired tokens with 401 UNAUTHENTICATED', async () => {
    const auth = await signUp(t);
    const [header, payload, signature] = auth.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const escalated = Buffer.from(JSON.stringify({ ...claims, roles: ['ADMIN'] })).toString('base64url');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid: decode(auth.accessToken).header['kid'] })).toString('base64url')}.${escalated}.`;

    // A token signed with the real current key whose 10 minutes are over.
    const { kid, privateKey } = await t.running.services.keys.signingKey();
    const past = Math.floor(Date.now() / 1000) - 20 * 60;
    const expired = await new SignJWT({ ...claims, iat: past, exp: past + 600 })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .sign(privateKey);
    // Same claims, right type and key, but HS256 with the public key as secret (algorithm confusion).
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid })
      .sign(new TextEncoder().encode(JSON.stringify((await t.running.services.keys.jwks()).keys[0])));
    // Right algorithm and claims, but signed by a key that is not in our JWKS.
    const stranger = await generateKeyPair('ES256');
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
      .sign(stranger.privateKey);

    for (const token of [`${header}.${escalated}.${signature}`, none, 'not-a-jwt', expired, hs, foreign]) {
      const result = await t.gql(VIEWER, {}, { token });
      expect(result.status, token).toBe(401);
      expect(codeOf(result)).toBe('UNAUTHENTICATED');
    }
  });
});

describe('refresh tokens', () => {
  it('rotates once; reusing a rotated token revokes the whole family', async () => {
    const auth = await signUp(t);
    const first = await t.gql<{ refreshSession: AuthPayloadResult }>(REFRESH, {
      input: { refreshToken: auth.refreshToken },
    });
    expect(first.errors).toBeUndefined();
    const rotated = first.data!.refreshSession.refreshToken;
    expect(rotated).not.toBe(auth.refreshToken);

    const reuse = await t.gql(REFRESH, { input: { refreshToken: auth.refreshToken } });
    expect(codeOf(reuse)).toBe('REFRESH_TOKEN_REUSED');
    const afterReuse = await t.gql(REFRESH, { input: { refreshToken: rotated } });
    expect(codeOf(afterReuse)).toBe('UNAUTHENTICATED');
    const sessions = await t.gql<{ sessions: unknown[] }>(
      '{ sessions { id } }',
      {},
      { token: first.data!.refreshSession.accessToken },
    );
    // The access token still verifies (stateless, ≤ 10 min) but identity sees the session has ended.
    expect(codeOf(sessions)).toBe('UNAUTHENTICATED');
  });

  it('two concurrent refreshes with the same token: exactly one wins', async () => {
    const auth = await signUp(t);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        t.gql<{ refreshSession: AuthPayloadResult }>(REFRESH, { input: { refreshToken: auth.refreshToken } }),
      ),
    );
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map(codeOf)).toEqual([
      'REFRESH_TOKEN_REUSED',
      'REFRESH_TOKEN_REUSED',
      'REFRESH_TOKEN_REUSED',
    ]);
  });

  it('slides 30 days from the last use but never past 90 days', async () => {
    const auth = await signUp(t);
    let token = auth.refreshToken;
    for (let i = 0; i < 3; i += 1) {
      t.clock.advance(29 * 24 * 60 * MINUTE);
      const next = await t.gql<{ refreshSession: AuthPayloadResult }>(REFRESH, {
        input: { refreshToken: token },
      });
      expect(next.errors, `refresh ${i}`).toBeUndefined();
      token = next.data!.refreshSession.refreshToken;
    }
    // 87 days in; the absolute limit ends the session at 90 days even though it was used recently.
    t.clock.advance(4 * 24 * 60 * MINUTE);
    const late = await t.gql(REFRESH, { input: { refreshToken: token } });
    expect(codeOf(late)).toBe('UNAUTHENTICATED');
    t.clock.advance(-(29 * 3 + 4) * 24 * 60 * MINUTE);
  });

  it('expires after 30 days without use', async () => {
    const auth = await signUp(t);
    t.clock.advance(31 * 24 * 60 * MINUTE);
    const result = await t.gql(REFRESH, { input: { refreshToken: auth.refreshToken } });
    t.clock.advance(-31 * 24 * 60 * MINUTE);
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
  });

  it('refuses an unknown refresh token', async () => {
    expect(codeOf(await t.gql(REFRESH, { input: { refreshToken: 'nope' } }))).toBe('UNAUTHENTICATED');
  });
});
