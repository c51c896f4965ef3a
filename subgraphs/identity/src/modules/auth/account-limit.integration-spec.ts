import { expect, it } from 'vitest';
import { codeOf, PASSWORD, SIGN_UP, useTestIdentity, uniqueEmail } from '../../testing/identity-harness.js';

const t = useTestIdentity({ accountIpLimit: 3, accountIpWindowSeconds: 3600 });

const REQUEST_RESET = `mutation R($input: RequestPasswordResetInput!) { requestPasswordReset(input: $input) }`;
const CONFIRM_RESET = `mutation C($input: ConfirmPasswordResetInput!) { confirmPasswordReset(input: $input) }`;

it('sign-up and password-reset requests share a per-IP budget (RATE_LIMITED), other IPs unaffected', async () => {
  const ip = '192.0.2.10';
  const signUp = (email: string, from = ip) =>
    t.gql(SIGN_UP, { input: { email, password: PASSWORD, displayName: 'Rate' } }, { ip: from });
  expect((await signUp(uniqueEmail())).errors).toBeUndefined();
  expect((await signUp(uniqueEmail())).errors).toBeUndefined();
  expect(codeOf(await t.gql(REQUEST_RESET, { input: { email: uniqueEmail() } }, { ip }))).toBeUndefined();
  const email = uniqueEmail('limited');
  expect(codeOf(await signUp(email))).toBe('RATE_LIMITED');
  expect(codeOf(await t.gql(REQUEST_RESET, { input: { email } }, { ip }))).toBe('RATE_LIMITED');
  const guess = { email, code: '123456', newPassword: 'a brand new passphrase' };
  expect(codeOf(await t.gql(CONFIRM_RESET, { input: guess }, { ip }))).toBe('RATE_LIMITED');
  // Nothing was created by the refused sign-up; another IP still can.
  const rows: unknown[] = await t.running.services.dataSource.query(
    `SELECT 1 FROM "identity".users WHERE email = $1`,
    [email],
  );
  expect(rows).toHaveLength(0);
  expect((await signUp(email, '192.0.2.11')).errors).toBeUndefined();
});
