import { randomUUID } from 'node:crypto';
import type { PlatformRole, ProgressReporter } from '@edugraph/kit';
import type { IdentityConfig } from './environment.js';
import { PasswordHasher } from './modules/auth/password-hasher.js';
import { assertAcceptablePassword } from './modules/auth/password-policy.js';
import { UserEntity } from './modules/user/user.entity.js';
import { createIdentityDataSource } from './identity.runtime.js';
import { SecretBox } from './shared/crypto.js';

export const DEMO_PASSWORD = 'edugraph-demo-2026';
/** Development only: the admin's TOTP secret, so the demo admin can sign in with 2FA (see README). */
export const DEMO_ADMIN_TOTP_SECRET = 'EDUGRAPHDEMOADMINTOTPSECRETABCDE';

export const DEMO_USERS: { email: string; displayName: string; roles: PlatformRole[]; twoFactor: boolean }[] =
  [
    { email: 'admin@edugraph.dev', displayName: 'Ada Admin', roles: ['LEARNER', 'ADMIN'], twoFactor: true },
    {
      email: 'instructor@edugraph.dev',
      displayName: 'Ian Instructor',
      roles: ['LEARNER', 'INSTRUCTOR'],
      twoFactor: false,
    },
    { email: 'learner@edugraph.dev', displayName: 'Lea Learner', roles: ['LEARNER'], twoFactor: false },
  ];

/** Idempotent demo users: created when missing; existing users get missing roles, nothing else changes. */
export async function seedIdentity(config: IdentityConfig, progress: ProgressReporter): Promise<void> {
  if (config.nodeEnv === 'production') {
    progress('identity: demo users are never seeded in production', 0, 0);
    return;
  }
  assertAcceptablePassword(DEMO_PASSWORD);
  const dataSource = createIdentityDataSource(config, { poolSize: 2 });
  await dataSource.initialize();
  try {
    const hasher = new PasswordHasher(config.passwordHash);
    const box = new SecretBox(config.dataEncryptionKey);
    const repo = dataSource.getRepository(UserEntity);
    let done = 0;
    for (const demo of DEMO_USERS) {
      const existing = await repo.findOneBy({ email: demo.email });
      const now = new Date();
      if (!existing) {
        await repo.insert({
          id: randomUUID(),
          email: demo.email,
          emailVerifiedAt: now,
          displayName: demo.displayName,
          dateOfBirth: null,
          passwordHash: await hasher.hash(DEMO_PASSWORD),
          roles: demo.roles,
          disabledAt: null,
          disabledReason: null,
          failedSignInCount: 0,
          lockCount: 0,
          lockedUntil: null,
          totpSecret: demo.twoFactor ? box.seal(DEMO_ADMIN_TOTP_SECRET) : null,
          totpEnabledAt: demo.twoFactor ? now : null,
          totpPendingSecret: null,
          totpLastUsedStep: null,
          createdAt: now,
          updatedAt: now,
        });
      } else {
        const missing = demo.roles.filter((r) => !existing.roles.includes(r));
        if (missing.length > 0)
          await repo.update({ id: existing.id }, { roles: [...existing.roles, ...missing], updatedAt: now });
      }
      done += 1;
      progress(`identity: demo user ${demo.email}${existing ? ' (exists)' : ''}`, done, DEMO_USERS.length);
    }
  } finally {
    await dataSource.destroy();
  }
}
