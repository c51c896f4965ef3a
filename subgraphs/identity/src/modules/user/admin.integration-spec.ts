import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { totpCode } from '../two-factor/totp.js';
import {
  codeOf,
  REFRESH,
  setRoles,
  signIn,
  signUp,
  useTestIdentity,
  uniqueEmail,
  VIEWER,
  type AuthPayloadResult,
} from '../../testing/identity-harness.js';
import { SECOND } from '../../shared/clock.js';

const t = useTestIdentity();

const BEGIN = 'mutation { beginTwoFactorEnrollment { secret otpauthUri } }';
const CONFIRM = `mutation C($input: ConfirmTwoFactorEnrollmentInput!) { confirmTwoFactorEnrollment(input: $input) }`;
const DISABLE_2FA = `mutation D($input: DisableTwoFactorInput!) { disableTwoFactor(input: $input) }`;
const GRANT = `mutation G($input: GrantRoleInput!) { grantRole(input: $input) { id roles } }`;
const REVOKE = `mutation R($input: RevokeRoleInput!) { revokeRole(input: $input) { id roles } }`;
const DISABLE = `mutation D($input: DisableUserInput!) { disableUser(input: $input) { id disabled } }`;
const ENABLE = `mutation E($input: EnableUserInput!) { enableUser(input: $input) { id disabled } }`;

function roles(token: string): string[] {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { roles: string[] }).roles;
}

/** Enrols TOTP for a signed-in user and returns the secret. */
async function enrol(token: string): Promise<string> {
  const begun = await t.gql<{ beginTwoFactorEnrollment: { secret: string; otpauthUri: string } }>(
    BEGIN,
    {},
    { token },
  );
  expect(begun.errors).toBeUndefined();
  const { secret, otpauthUri } = begun.data!.beginTwoFactorEnrollment;
  expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Edugraph%3A.+\?secret=[A-Z2-7]+&issuer=Edugraph/);
  const confirmed = await t.gql(CONFIRM, { input: { code: totpCode(secret, t.clock.now()) } }, { token });
  expect(confirmed.errors).toBeUndefined();
  return secret;
}

/** An ADMIN with 2FA, signed in with a code: its token carries ADMIN. */
async function admin(): Promise<{ auth: AuthPayloadResult; secret: string; email: string }> {
  const email = uniqueEmail('admin');
  const auth = await signUp(t, email);
  const secret = await enrol(auth.accessToken);
  await setRoles(t, auth.user.id, ['LEARNER', 'ADMIN']);
  t.clock.advance(31 * SECOND);
  const signed = await signIn(t, email, undefined, { totpCode: totpCode(secret, t.clock.now()) });
  expect(signed.errors).toBeUndefined();
  expect(roles(signed.data!.signIn.accessToken)).toContain('ADMIN');
  return { auth: signed.data!.signIn, secret, email };
}

describe('two-factor (TOTP)', () => {
  it('enrols, then sign-in needs a code: none → TWO_FACTOR_REQUIRED, wrong → INVALID_CODE, right → ok, replay → INVALID_CODE', async () => {
    const email = uniqueEmail('totp');
    const auth = await signUp(t, email);
    const secret = await enrol(auth.accessToken);
    const viewer = await t.gql<{ viewer: { twoFactorEnabled: boolean } }>(
      VIEWER,
      {},
      { token: auth.accessToken },
    );
    expect(viewer.data!.viewer.twoFactorEnabled).toBe(true);

    t.clock.advance(31 * SECOND);
    expect(codeOf(await signIn(t, email))).toBe('TWO_FACTOR_REQUIRED');
    expect(
      codeOf(
        await signIn(t, email, undefined, {
          totpCode: '000000' === totpCode(secret, t.clock.now()) ? '111111' : '000000',
        }),
      ),
    ).toBe('INVALID_CODE');
    const code = totpCode(secret, t.clock.now());
    expect((await signIn(t, email, undefined, { totpCode: code })).errors).toBeUndefined();
    expect(codeOf(await signIn(t, email, undefined, { totpCode: code }))).toBe('INVALID_CODE');
    // A wrong password with a right code is still INVALID_CREDENTIALS (the password is checked first).
    expect(codeOf(await signIn(t, email, 'wrong password here', { totpCode: code }))).toBe(
      'INVALID_CREDENTIALS',
    );
  });

  it('refuses a wrong enrolment code and a second enrolment', async () => {
    const auth = await signUp(t);
    await t.gql(BEGIN, {}, { token: auth.accessToken });
    expect(codeOf(await t.gql(CONFIRM, { input: { code: '12345' } }, { token: auth.accessToken }))).toBe(
      'INVALID_CODE',
    );
    const email = uniqueEmail('twice');
    const other = await signUp(t, email);
    await enrol(other.accessToken);
    expect(codeOf(await t.gql(BEGIN, {}, { token: other.accessToken }))).toBe('TWO_FACTOR_ALREADY_ENABLED');
  });

  it('disables with a valid code (audited); then sign-in needs no code', async () => {
    const email = uniqueEmail('disable2fa');
    const auth = await signUp(t, email);
    const secret = await enrol(auth.accessToken);
    t.clock.advance(31 * SECOND);
    expect(codeOf(await t.gql(DISABLE_2FA, { input: { code: '99999x' } }, { token: auth.accessToken }))).toBe(
      'INVALID_CODE',
    );
    const ok = await t.gql(
      DISABLE_2FA,
      { input: { code: totpCode(secret, t.clock.now()) } },
      { token: auth.accessToken },
    );
    expect(ok.errors).toBeUndefined();
    expect((await signIn(t, email)).errors).toBeUndefined();
    const audits: unknown[] = await t.running.services.dataSource.query(
      `SELECT 1 FROM "identity".outbox WHERE event_type = 'audit.recorded' AND payload->>'action' = 'identity.two_factor.disabled' AND aggregate_id = $1`,
      [auth.user.id],
    );
    expect(audits).toHaveLength(1);
  });

  it('ADMIN without 2FA gets a limited session (no ADMIN in the token) until enrolment, then refresh adds ADMIN', async () => {
    const email = uniqueEmail('limited');
    const auth = await signUp(t, email);
    await setRoles(t, auth.user.id, ['LEARNER', 'ADMIN']);
    const signed = (await signIn(t, email)).data!.signIn;
    expect(signed.twoFactorEnrollmentRequired).toBe(true);
    expect(signed.user.roles).toEqual(['LEARNER', 'ADMIN']);
    expect(roles(signed.accessToken)).toEqual(['LEARNER']);
    const target = await signUp(t);
    expect(
      codeOf(
        await t.gql(
          GRANT,
          { input: { userId: target.user.id, role: 'INSTRUCTOR' } },
          { token: signed.accessToken },
        ),
      ),
    ).toBe('FORBIDDEN');

    await enrol(signed.accessToken);
    const refreshed = await t.gql<{ refreshSession: AuthPayloadResult }>(REFRESH, {
      input: { refreshToken: signed.refreshToken },
    });
    expect(roles(refreshed.data!.refreshSession.accessToken)).toEqual(['LEARNER', 'ADMIN']);
    // Other sessions that never proved a second factor stay limited.
    const old = await t.gql<{ refreshSession: AuthPayloadResult }>(REFRESH, {
      input: { refreshToken: auth.refreshToken },
    });
    expect(roles(old.data!.refreshSession.accessToken)).toEqual(['LEARNER']);
  });

  it('FINANCE cannot turn 2FA off', async () => {
    const email = uniqueEmail('finance');
    const auth = await signUp(t, email);
    const secret = await enrol(auth.accessToken);
    await setRoles(t, auth.user.id, ['LEARNER', 'FINANCE']);
    t.clock.advance(31 * SECOND);
    expect(
      codeOf(
        await t.gql(
          DISABLE_2FA,
          { input: { code: totpCode(secret, t.clock.now()) } },
          { token: auth.accessToken },
        ),
      ),
    ).toBe('FORBIDDEN');
  });
});

describe('roles', () => {
  it('ADMIN grants and revokes roles (audited); the new role appears in the next token', async () => {
    const { auth: adminAuth } = await admin();
    const email = uniqueEmail('teacher');
    const target = await signUp(t, email);
    const granted = await t.gql<{ grantRole: { roles: string[] } }>(
      GRANT,
      { input: { userId: target.user.id, role: 'INSTRUCTOR' } },
      { token: adminAuth.accessToken },
    );
    expect(granted.errors).toBeUndefined();
    expect(granted.data!.grantRole.roles).toEqual(['LEARNER', 'INSTRUCTOR']);
    const refreshed = await t.gql<{ refreshSession: AuthPayloadResult }>(REFRESH, {
      input: { refreshToken: target.refreshToken },
    });
    expect(roles(refreshed.data!.refreshSession.accessToken)).toEqual(['LEARNER', 'INSTRUCTOR']);

    const revoked = await t.gql<{ revokeRole: { roles: string[] } }>(
      REVOKE,
      { input: { userId: target.user.id, role: 'INSTRUCTOR' } },
      { token: adminAuth.accessToken },
    );
    expect(revoked.data!.revokeRole.roles).toEqual(['LEARNER']);
    const audits: { payload: { action: string; actorId: string; metadata: { role: string } } }[] =
      await t.running.services.dataSource.query(
        `SELECT payload FROM "identity".outbox WHERE event_type = 'audit.recorded' AND aggregate_id = $1 ORDER BY occurred_at`,
        [target.user.id],
      );
    expect(audits.map((a) => a.payload.action)).toEqual(['identity.role.granted', 'identity.role.revoked']);
    expect(audits[0]!.payload).toMatchObject({
      actorId: adminAuth.user.id,
      metadata: { role: 'INSTRUCTOR' },
    });
  });

  it('denies anonymous callers, non-admins and self-demotion; unknown users are NOT_FOUND', async () => {
    const { auth: adminAuth } = await admin();
    const learner = await signUp(t);
    const input = { userId: learner.user.id, role: 'ADMIN' };
    expect(codeOf(await t.gql(GRANT, { input }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(GRANT, { input }, { token: learner.accessToken }))).toBe('FORBIDDEN');
    expect(
      codeOf(
        await t.gql(
          REVOKE,
          { input: { userId: adminAuth.user.id, role: 'ADMIN' } },
          { token: adminAuth.accessToken },
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(
      codeOf(
        await t.gql(
          GRANT,
          { input: { userId: '00000000-0000-4000-8000-000000000000', role: 'ADMIN' } },
          { token: adminAuth.accessToken },
        ),
      ),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(
        await t.gql(
          GRANT,
          { input: { userId: learner.user.id, role: 'SUPERUSER' } },
          { token: adminAuth.accessToken },
        ),
      ),
    ).toBe('BAD_USER_INPUT');
    const rows: { roles: string[] }[] = await t.running.services.dataSource.query(
      `SELECT roles FROM "identity".users WHERE id = $1`,
      [learner.user.id],
    );
    expect(rows[0]!.roles).toEqual(['LEARNER']);
  });
});

describe('disable / enable users', () => {
  it('disabling ends sessions and blocks sign-in and refresh; enabling restores sign-in (audited)', async () => {
    const { auth: adminAuth } = await admin();
    const email = uniqueEmail('victim');
    const victim = await signUp(t, email);
    await signIn(t, email);
    const disabled = await t.gql<{ disableUser: { disabled: boolean } }>(
      DISABLE,
      { input: { userId: victim.user.id, reason: 'spam' } },
      { token: adminAuth.accessToken },
    );
    expect(disabled.errors).toBeUndefined();
    expect(disabled.data!.disableUser.disabled).toBe(true);
    expect(codeOf(await t.gql(REFRESH, { input: { refreshToken: victim.refreshToken } }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(await signIn(t, email))).toBe('ACCOUNT_DISABLED');
    expect(codeOf(await signIn(t, email, 'wrong password here'))).toBe('INVALID_CREDENTIALS');
    const active: { count: number }[] = await t.running.services.dataSource.query(
      `SELECT count(*)::int AS count FROM "identity".sessions WHERE user_id = $1 AND revoked_at IS NULL`,
      [victim.user.id],
    );
    expect(active[0]!.count).toBe(0);

    const enabled = await t.gql<{ enableUser: { disabled: boolean } }>(
      ENABLE,
      { input: { userId: victim.user.id } },
      { token: adminAuth.accessToken },
    );
    expect(enabled.data!.enableUser.disabled).toBe(false);
    expect((await signIn(t, email)).errors).toBeUndefined();
    const actions: { action: string }[] = await t.running.services.dataSource.query(
      `SELECT payload->>'action' AS action FROM "identity".outbox WHERE event_type = 'audit.recorded' AND aggregate_id = $1 ORDER BY occurred_at`,
      [victim.user.id],
    );
    expect(actions.map((a) => a.action)).toEqual(['identity.user.disabled', 'identity.user.enabled']);
  });

  it('denies non-admins and self-disable', async () => {
    const { auth: adminAuth } = await admin();
    const learner = await signUp(t);
    expect(
      codeOf(await t.gql(DISABLE, { input: { userId: adminAuth.user.id } }, { token: learner.accessToken })),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(
        await t.gql(DISABLE, { input: { userId: adminAuth.user.id } }, { token: adminAuth.accessToken }),
      ),
    ).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(ENABLE, { input: { userId: learner.user.id } }))).toBe('UNAUTHENTICATED');
  });

  it('a signed-out admin token is refused for privileged mutations (identity checks the session)', async () => {
    const { auth: adminAuth } = await admin();
    const learner = await signUp(t);
    await t.gql('mutation { signOut }', {}, { token: adminAuth.accessToken });
    expect(
      codeOf(
        await t.gql(
          GRANT,
          { input: { userId: learner.user.id, role: 'INSTRUCTOR' } },
          { token: adminAuth.accessToken },
        ),
      ),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('user lookup', () => {
  const USERS = `query U($query: String, $first: Int, $after: String) {
    users(query: $query, first: $first, after: $after) { edges { node { id email displayName } } pageInfo { hasNextPage endCursor } }
  }`;
  const USER = `query U($id: ID!) { user(id: $id) { id displayName email } }`;

  it('ADMIN/SUPPORT search users by email or name, newest first, paged with one query per page', async () => {
    const { auth: adminAuth } = await admin();
    const tag = `zz${Date.now().toString(36)}`;
    const made = [];
    for (let i = 0; i < 3; i += 1) {
      t.clock.advance(SECOND);
      made.push(await signUp(t, `${tag}-${i}@example.com`));
    }
    t.queries.reset();
    const page = await t.gql<{
      users: {
        edges: { node: { id: string; email: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    }>(USERS, { query: tag.toUpperCase(), first: 2 }, { token: adminAuth.accessToken });
    expect(page.errors).toBeUndefined();
    expect(page.data!.users.edges.map((e) => e.node.id)).toEqual([made[2]!.user.id, made[1]!.user.id]);
    expect(page.data!.users.edges[0]!.node.email).toBe(`${tag}-2@example.com`);
    expect(page.data!.users.pageInfo.hasNextPage).toBe(true);
    expect(
      t.queries.queries.filter((q) => q.includes('"identity"."users"') && q.includes('LIKE')),
    ).toHaveLength(1);
    const next = await t.gql<{ users: { edges: { node: { id: string } }[] } }>(
      USERS,
      { query: tag, first: 2, after: page.data!.users.pageInfo.endCursor },
      { token: adminAuth.accessToken },
    );
    expect(next.data!.users.edges.map((e) => e.node.id)).toEqual([made[0]!.user.id]);
    // LIKE wildcards in the search text are literal.
    const wildcard = await t.gql<{ users: { edges: unknown[] } }>(
      USERS,
      { query: '%' },
      { token: adminAuth.accessToken },
    );
    expect(wildcard.data!.users.edges).toHaveLength(0);
  });

  it('denies user search to anonymous callers and learners', async () => {
    const learner = await signUp(t);
    expect(codeOf(await t.gql(USERS, {}))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(USERS, {}, { token: learner.accessToken }))).toBe('FORBIDDEN');
  });

  it('user(id) shows public fields to signed-in users; email only to self', async () => {
    const a = await signUp(t);
    const b = await signUp(t);
    const seen = await t.gql<{ user: { id: string; email: string | null } }>(
      USER,
      { id: b.user.id },
      { token: a.accessToken },
    );
    expect(seen.data!.user).toMatchObject({ id: b.user.id, email: null });
    const self = await t.gql<{ user: { email: string | null } }>(
      USER,
      { id: a.user.id },
      { token: a.accessToken },
    );
    expect(self.data!.user.email).toBe(a.user.email);
    expect(
      (await t.gql<{ user: null }>(USER, { id: 'nope' }, { token: a.accessToken })).data!.user,
    ).toBeNull();
    expect(codeOf(await t.gql(USER, { id: a.user.id }))).toBe('UNAUTHENTICATED');
  });
});

describe('two-factor recovery', () => {
  const REGENERATE = `mutation R($input: RegenerateRecoveryCodesInput!) { regenerateRecoveryCodes(input: $input) }`;
  const RESET = `mutation R($input: ResetTwoFactorInput!) { resetTwoFactor(input: $input) { id twoFactorEnabled } }`;

  it('recovery codes (needing a current code to create) each replace a TOTP code once', async () => {
    const email = uniqueEmail('recovery');
    const auth = await signUp(t, email);
    const secret = await enrol(auth.accessToken);
    expect(codeOf(await t.gql(REGENERATE, { input: { code: '000000' } }, { token: auth.accessToken }))).toBe(
      'INVALID_CODE',
    );
    t.clock.advance(31 * SECOND);
    const made = await t.gql<{ regenerateRecoveryCodes: string[] }>(
      REGENERATE,
      { input: { code: totpCode(secret, t.clock.now()) } },
      { token: auth.accessToken },
    );
    expect(made.errors).toBeUndefined();
    const codes = made.data!.regenerateRecoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(codes.every((c) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(c))).toBe(true);

    expect((await signIn(t, email, undefined, { totpCode: codes[0]!.toUpperCase() })).errors).toBeUndefined();
    expect(codeOf(await signIn(t, email, undefined, { totpCode: codes[0]! }))).toBe('INVALID_CODE');
    expect(codeOf(await signIn(t, email, undefined, { totpCode: 'aaaaa-bbbbb' }))).toBe('INVALID_CODE');
    // A recovery code proves the second factor: an ADMIN signing in with one gets ADMIN in the token.
    await setRoles(t, auth.user.id, ['LEARNER', 'ADMIN']);
    const withRecovery = await signIn(t, email, undefined, { totpCode: codes[1]! });
    expect(withRecovery.errors).toBeUndefined();
    expect(roles(withRecovery.data!.signIn.accessToken)).toEqual(['LEARNER', 'ADMIN']);
    const stored: { code_hash: string }[] = await t.running.services.dataSource.query(
      `SELECT code_hash FROM "identity".recovery_codes WHERE user_id = $1`,
      [auth.user.id],
    );
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(codes[2]!);
  });

  it('ADMIN resets a user’s two-factor (audited); then the user signs in without a code', async () => {
    const { auth: adminAuth } = await admin();
    const email = uniqueEmail('lostphone');
    const user = await signUp(t, email);
    await enrol(user.accessToken);
    t.clock.advance(31 * SECOND);
    expect(codeOf(await signIn(t, email))).toBe('TWO_FACTOR_REQUIRED');

    expect(codeOf(await t.gql(RESET, { input: { userId: user.user.id } }, { token: user.accessToken }))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.gql(RESET, { input: { userId: user.user.id } }))).toBe('UNAUTHENTICATED');
    const missing = await t.gql(
      RESET,
      { input: { userId: '00000000-0000-4000-8000-000000000000' } },
      { token: adminAuth.accessToken },
    );
    expect(codeOf(missing)).toBe('NOT_FOUND');

    const reset = await t.gql<{ resetTwoFactor: { twoFactorEnabled: boolean } }>(
      RESET,
      { input: { userId: user.user.id } },
      { token: adminAuth.accessToken },
    );
    expect(reset.errors).toBeUndefined();
    expect(reset.data!.resetTwoFactor.twoFactorEnabled).toBe(false);
    expect((await signIn(t, email)).errors).toBeUndefined();
    const audits: unknown[] = await t.running.services.dataSource.query(
      `SELECT 1 FROM "identity".outbox WHERE payload->>'action' = 'identity.two_factor.reset' AND aggregate_id = $1`,
      [user.user.id],
    );
    expect(audits).toHaveLength(1);
  });
});
