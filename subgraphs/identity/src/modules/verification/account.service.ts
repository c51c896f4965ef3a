import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { BadUserInputError, NotFoundError, recordEvent, type DomainEvent } from '@edugraph/kit';
import { requestMail } from '../../mail/mail-queue.js';
import type { MailMessage } from '../../mail/mailer.js';
import { addMs, MINUTE, SECOND, type Clock } from '../../shared/clock.js';
import { randomNumericCode, sha256Hex, type SecretBox } from '../../shared/crypto.js';
import { IDENTITY_SCHEMA } from '../../environment.js';
import { recordAudit, type AuditActor } from '../audit/audit.js';
import { normalizeEmail } from '../auth/auth.service.js';
import { accountLocked, IdentityError } from '../auth/identity.errors.js';
import { lockoutOf, type AccountLockout } from '../auth/account-lockout.js';
import { afterSuccess, isLocked } from '../auth/lockout.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { assertAcceptablePassword } from '../auth/password-policy.js';
import type { SessionService } from '../session/session.service.js';
import type { IpLimiter } from '../auth/ip-limiter.js';
import { UserEntity } from '../user/user.entity.js';
import { VerificationCodeEntity, type VerificationPurpose } from './verification-code.entity.js';

export const CODE_TTL_MS: Record<VerificationPurpose, number> = {
  EMAIL_VERIFICATION: 60 * MINUTE,
  PASSWORD_RESET: 30 * MINUTE,
};
export const RESEND_COOLDOWN_MS = 60 * SECOND;
/** Wrong guesses per code before it is burnt. */
export const MAX_CODE_ATTEMPTS = 5;
/** Recorded for every password-reset request; identity's own consumer issues the code (if any) later. */
export const PASSWORD_RESET_REQUESTED = 'identity.password_reset.requested';

function codeHash(userId: string, purpose: VerificationPurpose, code: string): string {
  return sha256Hex(`${purpose}:${userId}:${code}`);
}

/** Email verification, password reset and password change. */
export class AccountService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly box: SecretBox,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly ipLimiter: IpLimiter,
    private readonly lockout: AccountLockout,
  ) {}

  private async lastCode(
    manager: EntityManager,
    userId: string,
    purpose: VerificationPurpose,
  ): Promise<VerificationCodeEntity | null> {
    return manager
      .getRepository(VerificationCodeEntity)
      .findOne({ where: { userId, purpose }, order: { createdAt: 'DESC' } });
  }

  /**
   * Issues a new code (invalidating older unused ones) and asks for its mail in the same transaction,
   * unless one was issued less than 60 s ago (then it returns the seconds left and mails nothing).
   */
  private async issueCode(
    manager: EntityManager,
    user: UserEntity,
    purpose: VerificationPurpose,
    mail: (code: string) => MailMessage,
  ): Promise<{ issued: true } | { cooldownSeconds: number }> {
    const userId = user.id;
    await manager.query(`SELECT 1 FROM "identity".users WHERE id = $1 FOR UPDATE`, [userId]);
    const now = this.clock.now();
    const last = await this.lastCode(manager, userId, purpose);
    if (last) {
      const wait = last.createdAt.getTime() + RESEND_COOLDOWN_MS - now.getTime();
      if (wait > 0) return { cooldownSeconds: Math.ceil(wait / 1000) };
    }
    await manager
      .createQueryBuilder()
      .update(VerificationCodeEntity)
      .set({ consumedAt: now })
      .where('user_id = :userId AND purpose = :purpose AND consumed_at IS NULL', { userId, purpose })
      .execute();
    const code = randomNumericCode(6);
    await manager.insert(VerificationCodeEntity, {
      id: randomUUID(),
      userId,
      purpose,
      codeHash: codeHash(userId, purpose, code),
      createdAt: now,
      expiresAt: addMs(now, CODE_TTL_MS[purpose]),
      consumedAt: null,
      attempts: 0,
    });
    await requestMail(manager, this.box, userId, mail(code));
    return { issued: true };
  }

  /** Checks and consumes a code in the caller's transaction. */
  private async consumeCode(
    manager: EntityManager,
    userId: string,
    purpose: VerificationPurpose,
    code: string,
  ): Promise<void> {
    const now = this.clock.now();
    const row = await manager
      .getRepository(VerificationCodeEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.user_id = :userId AND c.purpose = :purpose AND c.consumed_at IS NULL', { userId, purpose })
      .orderBy('c.created_at', 'DESC')
      .getOne();
    if (!row)
      throw new IdentityError('INVALID_CODE', 'The code is not valid. Request a new one.', { field: 'code' });
    if (row.expiresAt.getTime() <= now.getTime()) {
      throw new IdentityError('CODE_EXPIRED', 'The code has expired. Request a new one.', { field: 'code' });
    }
    if (row.codeHash !== codeHash(userId, purpose, code.trim())) {
      row.attempts += 1;
      await manager.update(
        VerificationCodeEntity,
        { id: row.id },
        {
          attempts: row.attempts,
          ...(row.attempts >= MAX_CODE_ATTEMPTS ? { consumedAt: now } : {}),
        },
      );
      throw new IdentityError('INVALID_CODE', 'The code is not valid.', { field: 'code' });
    }
    await manager.update(VerificationCodeEntity, { id: row.id }, { consumedAt: now });
  }

  async requestEmailVerification(userId: string): Promise<boolean> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: userId });
    if (!user) throw new NotFoundError('User');
    if (user.emailVerifiedAt)
      throw new IdentityError('EMAIL_ALREADY_VERIFIED', 'Your email address is already verified.');
    const issued = await this.dataSource.transaction((manager) =>
      this.issueCode(manager, user, 'EMAIL_VERIFICATION', (code) => ({
        to: user.email,
        subject: 'Verify your Edugraph email address',
        text: `Hello ${user.displayName},\n\nyour verification code is ${code}. It is valid for 60 minutes.\n`,
      })),
    );
    if ('cooldownSeconds' in issued) {
      throw new IdentityError(
        'COOLDOWN',
        `Wait ${issued.cooldownSeconds} s before requesting another code.`,
        {
          retryAfterSeconds: issued.cooldownSeconds,
        },
      );
    }
    return true;
  }

  async confirmEmailVerification(userId: string, code: string): Promise<UserEntity> {
    if (!/^\s*\d{6}\s*$/.test(code))
      throw new IdentityError('INVALID_CODE', 'The code has 6 digits.', { field: 'code' });
    const outcome = await this.dataSource.transaction(async (manager) => {
      const user = await manager.findOneByOrFail(UserEntity, { id: userId });
      if (user.emailVerifiedAt) return { user, error: null };
      try {
        await this.consumeCode(manager, userId, 'EMAIL_VERIFICATION', code);
      } catch (error) {
        return { user, error };
      }
      user.emailVerifiedAt = this.clock.now();
      await manager.update(
        UserEntity,
        { id: userId },
        { emailVerifiedAt: user.emailVerifiedAt, updatedAt: user.emailVerifiedAt },
      );
      return { user, error: null };
    });
    if (outcome.error) throw outcome.error;
    return outcome.user;
  }

  /**
   * Always answers the same, whether or not the email has an account (and during the cooldown), and
   * does the same work on every path: the IP budget and one outbox insert (the email sealed). Looking
   * the user up, issuing the code and asking for the mail happen later in `issuePasswordReset`, run by
   * identity's own event consumer, so neither the answer nor its timing tells whether the account exists.
   * Works while the account is locked.
   */
  async requestPasswordReset(email: string, ip: string | null): Promise<boolean> {
    await this.ipLimiter.consume(ip);
    const normalized = normalizeEmail(email);
    await recordEvent(this.dataSource.manager, IDENTITY_SCHEMA, {
      type: PASSWORD_RESET_REQUESTED,
      aggregateId: sha256Hex(normalized),
      payload: { email: this.box.seal(normalized) },
    });
    return true;
  }

  /**
   * Handler of `identity.password_reset.requested` (in the consumer's inbox transaction): for an active
   * account outside the cooldown, issues a reset code and asks for its mail; otherwise does nothing.
   */
  readonly issuePasswordReset = async (event: DomainEvent, manager: EntityManager): Promise<void> => {
    const sealed = event.payload['email'];
    if (typeof sealed !== 'string') return;
    const user = await manager.getRepository(UserEntity).findOneBy({ email: this.box.open(sealed) });
    if (!user || user.disabledAt) return;
    await this.issueCode(manager, user, 'PASSWORD_RESET', (code) => ({
      to: user.email,
      subject: 'Reset your Edugraph password',
      text: `Hello ${user.displayName},\n\nyour password reset code is ${code}. It is valid for 30 minutes.\nIf you did not ask for it, ignore this mail.\n`,
    }));
  };

  /** Sets a new password, clears the lockout and ends every session. */
  async confirmPasswordReset(
    actor: AuditActor,
    input: { email: string; code: string; newPassword: string },
  ): Promise<boolean> {
    await this.ipLimiter.consume(actor.ip);
    assertAcceptablePassword(input.newPassword, 'newPassword');
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOneBy({ email: normalizeEmail(input.email) });
    if (!user || user.disabledAt)
      throw new IdentityError('INVALID_CODE', 'The code is not valid.', { field: 'code' });
    const passwordHash = await this.hasher.hash(input.newPassword);
    const error = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM "identity".users WHERE id = $1 FOR UPDATE`, [user.id]);
      try {
        await this.consumeCode(manager, user.id, 'PASSWORD_RESET', input.code);
      } catch (caught) {
        return caught;
      }
      const now = this.clock.now();
      await manager.update(
        UserEntity,
        { id: user.id },
        {
          passwordHash,
          failedSignInCount: 0,
          lockCount: 0,
          lockedUntil: null,
          // Proving control of the mailbox also verifies it.
          emailVerifiedAt: user.emailVerifiedAt ?? now,
          updatedAt: now,
        },
      );
      const ended = await this.sessions.endAll(manager, user.id, 'PASSWORD_RESET');
      await recordAudit(
        manager,
        this.clock,
        { ...actor, actorId: actor.actorId ?? user.id },
        {
          action: 'identity.password.reset',
          targetType: 'User',
          targetId: user.id,
          metadata: { endedSessions: ended },
        },
      );
      return null;
    });
    if (error) throw error;
    return true;
  }

  /**
   * Needs the current password; ends every other session. Returns how many were ended.
   * A wrong current password counts towards the lockout exactly like a failed sign-in (the 10th
   * consecutive failure locks the account); while locked even the right password gets `ACCOUNT_LOCKED`.
   * A successful change clears the counters, as a successful sign-in does.
   */
  async changePassword(
    userId: string,
    sessionId: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<number> {
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ id: userId });
    if (!user) throw new NotFoundError('User');
    const now = this.clock.now();
    if (isLocked(lockoutOf(user), now)) {
      await this.hasher.verifyDummy(currentPassword);
      throw accountLocked(user.lockedUntil!);
    }
    if (!(await this.hasher.verify(user.passwordHash, currentPassword))) {
      const state = await this.lockout.recordFailure(userId);
      if (state.lockedUntil && isLocked(state, now)) throw accountLocked(state.lockedUntil);
      throw new IdentityError('INVALID_CREDENTIALS', 'The current password is incorrect.', {
        field: 'currentPassword',
      });
    }
    assertAcceptablePassword(newPassword, 'newPassword');
    if (currentPassword === newPassword)
      throw new BadUserInputError('Choose a password different from the current one.', 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM "identity".users WHERE id = $1 FOR UPDATE`, [userId]);
      const cleared = afterSuccess();
      await manager.update(
        UserEntity,
        { id: userId },
        {
          passwordHash,
          failedSignInCount: cleared.failedCount,
          lockCount: cleared.lockCount,
          lockedUntil: cleared.lockedUntil,
          updatedAt: this.clock.now(),
        },
      );
      return this.sessions.endAll(manager, userId, 'PASSWORD_CHANGED', sessionId);
    });
  }
}
