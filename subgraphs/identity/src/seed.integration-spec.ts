import 'reflect-metadata';
import { expect, it } from 'vitest';
import { totpCode } from './modules/two-factor/totp.js';
import { DEMO_ADMIN_TOTP_SECRET, DEMO_PASSWORD, seedIdentity } from './seed.js';
import { codeOf, signIn, useTestIdentity } from './testing/identity-harness.js';

const t = useTestIdentity();

it('seeds the demo users idempotently and reports progress', async () => {
  const messages: string[] = [];
  await seedIdentity(t.config, (message) => messages.push(message));
  await seedIdentity(t.config, (message) => messages.push(message));
  expect(messages).toHaveLength(6);
  expect(messages.at(-1)).toContain('(exists)');
  const rows: { email: string; roles: string[] }[] = await t.running.services.dataSource.query(
    `SELECT email, roles FROM "identity".users WHERE email LIKE '%@edugraph.dev' ORDER BY email`,
  );
  expect(rows).toEqual([
    { email: 'admin@edugraph.dev', roles: ['LEARNER', 'ADMIN'] },
    { email: 'instructor@edugraph.dev', roles: ['LEARNER', 'INSTRUCTOR'] },
    { email: 'learner@edugraph.dev', roles: ['LEARNER'] },
  ]);

  expect((await signIn(t, 'learner@edugraph.dev', DEMO_PASSWORD)).errors).toBeUndefined();
  expect((await signIn(t, 'instructor@edugraph.dev', DEMO_PASSWORD)).data?.signIn.user.roles).toEqual([
    'LEARNER',
    'INSTRUCTOR',
  ]);
  expect(codeOf(await signIn(t, 'admin@edugraph.dev', DEMO_PASSWORD))).toBe('TWO_FACTOR_REQUIRED');
  const admin = await signIn(t, 'admin@edugraph.dev', DEMO_PASSWORD, {
    totpCode: totpCode(DEMO_ADMIN_TOTP_SECRET, t.clock.now()),
  });
  expect(admin.errors).toBeUndefined();
  const claims = JSON.parse(
    Buffer.from(admin.data!.signIn.accessToken.split('.')[1]!, 'base64url').toString(),
  ) as { roles: string[] };
  expect(claims.roles).toContain('ADMIN');
});
