import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND } from '../../shared/clock.js';
import {
  codeOf,
  PASSWORD,
  REFRESH,
  signIn,
  signUp,
  useTestIdentity,
  uniqueEmail,
  VIEWER,
} from '../../testing/identity-harness.js';

const t = useTestIdentity();

const REQUEST_VERIFICATION = 'mutation { requestEmailVerification }';
const CONFIRM_VERIFICATION = `mutation C($input: ConfirmEmailVerificationInput!) { confirmEmailVerification(input: $input) { id emailVerified } }`;
const REQUEST_RESET = `mutation R($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }`;
const CONFIRM_RESET = `mutation C($input: ConfirmPasswordResetInput!) { confirmPasswordReset(input: $input) }`;
const CHANGE = `mutation C($input: ChangePasswordInput!) { changePassword(input: $input) }`;

function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

describe('email verification', () => {
  it('mails a code at sign-up; confirming it verifies the email; the code is single use', async () => {
    const email = uniqueEmail('verify');
    const auth = await signUp(t, email);
    const mails = await t.mailsTo(email);
    expect(mails).toHaveLength(1);
    const code = (await t.lastCode(email))!;
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await t.gql(
      CONFIRM_VERIFICATION,
      { input: { code: otherCode(code) } },
      { token: auth.accessToken },
    );
    expect(codeOf(wrong)).toBe('INVALID_CODE');

    const ok = await t.gql<{ confirmEmailVerification: { emailVerified: boolean } }>(
      CONFIRM_VERIFICATION,
      { input: { code } },
      { token: auth.accessToken },
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.confirmEmailVerification.emailVerified).toBe(true);
    expect(codeOf(await t.gql(REQUEST_VERIFICATION, {}, { token: auth.accessToken }))).toBe(
      'EMAIL_ALREADY_VERIFIED',
    );
  });

  it('resend has a 60 s cooldown (COOLDOWN); a new code replaces the old one', async () => {
    const email = uniqueEmail('cooldown');
    const auth = await signUp(t, email);
    const first = (await t.lastCode(email))!;
    const early = await t.gql(REQUEST_VERIFICATION, {}, { token: auth.accessToken });
    expect(codeOf(early)).toBe('COOLDOWN');
    expect(await t.mailsTo(email)).toHaveLength(1);

    t.clock.advance(61 * SECOND);
    const again = await t.gql<{ requestEmailVerification: boolean }>(
      REQUEST_VERIFICATION,
      {},
      { token: auth.accessToken },
    );
    expect(again.data?.requestEmailVerification).toBe(true);
    const second = (await t.lastCode(email))!;
    expect(await t.mailsTo(email)).toHaveLength(2);
    if (first !== second) {
      expect(
        codeOf(await t.gql(CONFIRM_VERIFICATION, { input: { code: first } }, { token: auth.accessToken })),
      ).toBe('INVALID_CODE');
    }
    expect(
      (await t.gql(CONFIRM_VERIFICATION, { input: { code: second } }, { token: auth.accessToken })).errors,
    ).toBeUndefined();
  });

  it('codes expire after 60 minutes (CODE_EXPIRED)', async () => {
    const email = uniqueEmail('expire');
    const auth = await signUp(t, email);
    const code = (await t.lastCode(email))!;
    t.clock.advance(61 * MINUTE);
    expect(codeOf(await t.gql(CONFIRM_VERIFICATION, { input: { code } }, { token: auth.accessToken }))).toBe(
      'CODE_EXPIRED',
    );
  });

  it('a code is burnt after 5 wrong guesses', async () => {
    const email = uniqueEmail('guess');
    const auth = await signUp(t, email);
    const code = (await t.lastCode(email))!;
    for (let i = 0; i < 5; i += 1) {
      expect(
        codeOf(
          await t.gql(
            CONFIRM_VERIFICATION,
            { input: { code: otherCode(code) } },
            { token: auth.accessToken },
          ),
        ),
      ).toBe('INVALID_CODE');
    }
    expect(codeOf(await t.gql(CONFIRM_VERIFICATION, { input: { code } }, { token: auth.accessToken }))).toBe(
      'INVALID_CODE',
    );
  });

  it('denies anonymous callers', async () => {
    expect(codeOf(await t.gql(REQUEST_VERIFICATION))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(CONFIRM_VERIFICATION, { input: { code: '123456' } }))).toBe('UNAUTHENTICATED');
  });
});

describe('password reset', () => {
  it('answers the same for unknown emails and sends nothing', async () => {
    const ghost = uniqueEmail('ghost');
    const result = await t.gql<{ requestPasswordReset: boolean }>(REQUEST_RESET, { input: { email: ghost } });
    expect(result.errors).toBeUndefined();
    expect(result.data?.requestPasswordReset).toBe(true);
    expect(await t.mailsTo(ghost)).toHaveLength(0);
  });

  it('works while locked, sets the new password, clears the lock and ends every session (audited)', async () => {
    const email = uniqueEmail('reset');
    const auth = await signUp(t, email);
    for (let i = 0; i < 10; i += 1) await signIn(t, email, 'wrong password here', { ip: `10.20.0.${i}` });
    expect(codeOf(await signIn(t, email))).toBe('ACCOUNT_LOCKED');

    t.clock.advance(61 * SECOND);
    expect(
      (await t.gql<{ requestPasswordReset: boolean }>(REQUEST_RESET, { input: { email } })).data
        ?.requestPasswordReset,
    ).toBe(true);
    const code = (await t.lastCode(email))!;
    const mail = (await t.mailsTo(email)).at(-1)!;
    expect(mail.subject).toMatch(/reset/i);

    const weak = await t.gql(CONFIRM_RESET, { input: { email, code, newPassword: 'password' } });
    expect(codeOf(weak)).toBe('BAD_USER_INPUT');
    const wrong = await t.gql(CONFIRM_RESET, {
      input: { email, code: otherCode(code), newPassword: 'a brand new passphrase' },
    });
    expect(codeOf(wrong)).toBe('INVALID_CODE');

    const ok = await t.gql<{ confirmPasswordReset: boolean }>(CONFIRM_RESET, {
      input: { email, code, newPassword: 'a brand new passphrase' },
    });
    expect(ok.data?.confirmPasswordReset).toBe(true);
    expect(codeOf(await t.gql(REFRESH, { input: { refreshToken: auth.refreshToken } }))).toBe(
      'UNAUTHENTICATED',
    );
    expect(codeOf(await signIn(t, email, PASSWORD))).toBe('INVALID_CREDENTIALS');
    expect((await signIn(t, email, 'a brand new passphrase')).errors).toBeUndefined();
    // Single use.
    expect(
      codeOf(await t.gql(CONFIRM_RESET, { input: { email, code, newPassword: 'yet another passphrase' } })),
    ).toBe('INVALID_CODE');

    const audits: { payload: { action: string; targetId: string; ipHash: string } }[] =
      await t.running.services.dataSource.query(
        `SELECT payload FROM "identity".outbox WHERE event_type = 'audit.recorded' AND aggregate_id = $1`,
        [auth.user.id],
      );
    expect(audits.map((a) => a.payload.action)).toContain('identity.password.reset');
    expect(audits[0]!.payload.ipHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reset codes expire after 30 minutes', async () => {
    const email = uniqueEmail('reset-expire');
    await signUp(t, email);
    t.clock.advance(61 * SECOND);
    await t.gql(REQUEST_RESET, { input: { email } });
    const code = (await t.lastCode(email))!;
    t.clock.advance(31 * MINUTE);
    expect(
      codeOf(await t.gql(CONFIRM_RESET, { input: { email, code, newPassword: 'a brand new passphrase' } })),
    ).toBe('CODE_EXPIRED');
  });

  it('repeated requests within 60 s send one mail but answer the same', async () => {
    const email = uniqueEmail('reset-cooldown');
    await signUp(t, email);
    t.clock.advance(61 * SECOND);
    const before = (await t.mailsTo(email)).length;
    for (let i = 0; i < 3; i += 1) {
      expect(
        (await t.gql<{ requestPasswordReset: boolean }>(REQUEST_RESET, { input: { email } })).data
          ?.requestPasswordReset,
      ).toBe(true);
    }
    expect((await t.mailsTo(email)).length).toBe(before + 1);
  });
});

describe('change password', () => {
  it('needs the current password, ends the other sessions and keeps this one', async () => {
    const email = uniqueEmail('change');
    const a = await signUp(t, email);
    const b = (await signIn(t, email)).data!.signIn;

    const wrong = await t.gql(
      CHANGE,
      { input: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' } },
      { token: a.accessToken },
    );
    expect(codeOf(wrong)).toBe('INVALID_CREDENTIALS');
    const weak = await t.gql(
      CHANGE,
      { input: { currentPassword: PASSWORD, newPassword: 'qwerty123' } },
      { token: a.accessToken },
    );
    expect(codeOf(weak)).toBe('BAD_USER_INPUT');
    expect((await signIn(t, email)).errors).toBeUndefined();

    const ok = await t.gql<{ changePassword: number }>(
      CHANGE,
      { input: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } },
      { token: a.accessToken },
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.changePassword).toBe(2);
    expect(codeOf(await t.gql(REFRESH, { input: { refreshToken: b.refreshToken } }))).toBe('UNAUTHENTICATED');
    expect((await t.gql(REFRESH, { input: { refreshToken: a.refreshToken } })).errors).toBeUndefined();
    expect(codeOf(await signIn(t, email))).toBe('INVALID_CREDENTIALS');
    expect((await signIn(t, email, 'a brand new passphrase')).errors).toBeUndefined();
  });

  it('counts a wrong current password towards the lockout like a failed sign-in', async () => {
    const email = uniqueEmail('change-lock');
    const a = await signUp(t, email);
    const change = (currentPassword: string, newPassword = 'a brand new passphrase') =>
      t.gql(CHANGE, { input: { currentPassword, newPassword } }, { token: a.accessToken });
    // 5 failed sign-ins and 5 wrong current passwords: the 10th failure locks.
    for (let i = 0; i < 5; i += 1) {
      expect(codeOf(await signIn(t, email, 'wrong password here'))).toBe('INVALID_CREDENTIALS');
    }
    for (let i = 0; i < 4; i += 1)
      expect(codeOf(await change('not my password'))).toBe('INVALID_CREDENTIALS');
    const tenth = await change('not my password');
    expect(codeOf(tenth)).toBe('ACCOUNT_LOCKED');
    expect(tenth.errors?.[0]?.extensions?.['lockedUntil']).toBe(
      new Date(t.clock.now().getTime() + 15 * MINUTE).toISOString(),
    );
    // Locked: the right password neither signs in nor changes the password.
    expect(codeOf(await signIn(t, email))).toBe('ACCOUNT_LOCKED');
    expect(codeOf(await change(PASSWORD))).toBe('ACCOUNT_LOCKED');
    t.clock.advance(15 * MINUTE + SECOND);
    expect((await signIn(t, email)).errors).toBeUndefined();
    expect(codeOf(await signIn(t, email, 'a brand new passphrase'))).toBe('INVALID_CREDENTIALS');
  });

  it('a successful change clears the failure count', async () => {
    const email = uniqueEmail('change-clears');
    const a = await signUp(t, email);
    for (let i = 0; i < 9; i += 1) {
      expect(
        codeOf(
          await t.gql(
            CHANGE,
            { input: { currentPassword: 'not my password', newPassword: 'a brand new passphrase' } },
            { token: a.accessToken },
          ),
        ),
      ).toBe('INVALID_CREDENTIALS');
    }
    const ok = await t.gql(
      CHANGE,
      { input: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } },
      { token: a.accessToken },
    );
    expect(ok.errors).toBeUndefined();
    // Without the reset the next failure would be the 10th and lock.
    expect(codeOf(await signIn(t, email, 'wrong password here'))).toBe('INVALID_CREDENTIALS');
    expect((await signIn(t, email, 'a brand new passphrase')).errors).toBeUndefined();
  });

  it('denies anonymous callers', async () => {
    expect(
      codeOf(
        await t.gql(CHANGE, { input: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } }),
      ),
    ).toBe('UNAUTHENTICATED');
  });

  it('viewer still resolves for a signed-in user', async () => {
    const a = await signUp(t);
    expect((await t.gql(VIEWER, {}, { token: a.accessToken })).errors).toBeUndefined();
  });
});
