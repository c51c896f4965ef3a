import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { ForbiddenError } from '@edugraph/kit';
import type { Clock } from '../../shared/clock.js';
import { sha256Hex, type SecretBox } from '../../shared/crypto.js';
import { recordAudit, type AuditActor } from '../audit/audit.js';
import { IdentityError } from '../auth/identity.errors.js';
import { SessionEntity } from '../session/session.entity.js';
import { TWO_FACTOR_ROLES } from '../session/session.service.js';
import { lockUserForUpdate } from '../user/user-lock.js';
import { UserEntity } from '../user/user.entity.js';
import { RecoveryCodeEntity } from './recovery-code.entity.js';
import { generateTotpSecret, otpauthUri, verifyTotp } from './totp.js';

export const TOTP_ISSUER = 'Edugraph';
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** `xxxxx-xxxxx`, ~49 bits each. */
export const RECOVERY_CODE_FORMAT = /^[a-z0-9]{5}-[a-z0-9]{5}$/i;

function newRecoveryCode(): string {
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]);
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
}

function recoveryHash(userId: string, code: string): string {
  return sha256Hex(`recovery:${userId}:${code.trim().toLowerCase()}`);
}

/** TOTP enrolment (begin → confirm with a code), and disabling with a code. */
export class TwoFactorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly box: SecretBox,
  ) {}

  /**
   * The authenticator code of a user with two-factor enabled, checked against the replay window
   * (a step once used is refused): the step, or an `INVALID_CODE` error to return from the transaction.
   */
  private verifyCurrentCode(
    sealedSecret: string,
    lastUsedStep: number | null,
    code: string,
  ): number | IdentityError {
    const step = verifyTotp(this.box.open(sealedSecret), code.trim(), this.clock.now(), lastUsedStep);
    return step ?? new IdentityError('INVALID_CODE', 'The code is not valid.', { field: 'code' });
  }

  async beginEnrollment(userId: string): Promise<{ secret: string; otpauthUri: string }> {
    return this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      if (user.totpEnabledAt)
        throw new IdentityError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor is already enabled.');
      const secret = generateTotpSecret();
      await manager.update(
        UserEntity,
        { id: userId },
        { totpPendingSecret: this.box.seal(secret), updatedAt: this.clock.now() },
      );
      return { secret, otpauthUri: otpauthUri({ secret, accountName: user.email, issuer: TOTP_ISSUER }) };
    });
  }

  /** Confirms enrolment; the current session counts as second-factor verified from now on. */
  async confirmEnrollment(userId: string, sessionId: string, code: string): Promise<void> {
    const error = await this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      if (user.totpEnabledAt)
        return new IdentityError('TWO_FACTOR_ALREADY_ENABLED', 'Two-factor is already enabled.');
      if (!user.totpPendingSecret) {
        return new IdentityError(
          'TWO_FACTOR_NOT_ENABLED',
          'Start the enrolment first (beginTwoFactorEnrollment).',
        );
      }
      const secret = this.box.open(user.totpPendingSecret);
      const step = verifyTotp(secret, code.trim(), this.clock.now());
      if (step === null)
        return new IdentityError('INVALID_CODE', 'The code is not valid.', { field: 'code' });
      const now = this.clock.now();
      await manager.update(
        UserEntity,
        { id: userId },
        {
          totpSecret: user.totpPendingSecret,
          totpPendingSecret: null,
          totpEnabledAt: now,
          totpLastUsedStep: step,
          updatedAt: now,
        },
      );
      await manager.update(SessionEntity, { id: sessionId, userId }, { mfaVerified: true });
      return null;
    });
    if (error) throw error;
  }

  /** Needs a valid code. ADMIN and FINANCE users must keep two-factor. */
  async disable(actor: AuditActor, userId: string, code: string): Promise<void> {
    const error = await this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      if (!user.totpEnabledAt || !user.totpSecret)
        return new IdentityError('TWO_FACTOR_NOT_ENABLED', 'Two-factor is not enabled.');
      if (user.roles.some((r) => TWO_FACTOR_ROLES.includes(r))) {
        return new ForbiddenError('ADMIN and FINANCE users must keep two-factor enabled.');
      }
      const step = this.verifyCurrentCode(user.totpSecret, user.totpLastUsedStep, code);
      if (step instanceof IdentityError) return step;
      await manager.update(
        UserEntity,
        { id: userId },
        {
          totpSecret: null,
          totpEnabledAt: null,
          totpPendingSecret: null,
          totpLastUsedStep: null,
          updatedAt: this.clock.now(),
        },
      );
      await manager.update(SessionEntity, { userId }, { mfaVerified: false });
      await manager.delete(RecoveryCodeEntity, { userId });
      await recordAudit(manager, this.clock, actor, {
        action: 'identity.two_factor.disabled',
        targetType: 'User',
        targetId: userId,
      });
      return null;
    });
    if (error) throw error;
  }

  /**
   * Replaces the user's recovery codes with 10 new ones (needs a current authenticator code) and
   * returns them once. Each can stand in for a TOTP code at sign-in, once.
   */
  async regenerateRecoveryCodes(userId: string, code: string): Promise<string[]> {
    const result = await this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      if (!user.totpEnabledAt || !user.totpSecret) {
        return new IdentityError('TWO_FACTOR_NOT_ENABLED', 'Two-factor is not enabled.');
      }
      const step = this.verifyCurrentCode(user.totpSecret, user.totpLastUsedStep, code);
      if (step instanceof IdentityError) return step;
      await manager.update(
        UserEntity,
        { id: userId },
        { totpLastUsedStep: step, updatedAt: this.clock.now() },
      );
      await manager.delete(RecoveryCodeEntity, { userId });
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
      await manager.insert(
        RecoveryCodeEntity,
        codes.map((c) => ({
          id: randomUUID(),
          userId,
          codeHash: recoveryHash(userId, c),
          createdAt: this.clock.now(),
          usedAt: null,
        })),
      );
      return codes;
    });
    if (result instanceof Error) throw result;
    return result;
  }

  /** Consumes a recovery code (single use); false when unknown or already used. */
  async consumeRecoveryCode(userId: string, code: string): Promise<boolean> {
    if (!RECOVERY_CODE_FORMAT.test(code.trim())) return false;
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RecoveryCodeEntity)
      .set({ usedAt: this.clock.now() })
      .where('user_id = :userId AND code_hash = :hash AND used_at IS NULL', {
        userId,
        hash: recoveryHash(userId, code),
      })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  /** ADMIN: removes a user's two-factor (lost device). Their sessions lose second-factor status. */
  async adminReset(actor: AuditActor, userId: string): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      const now = this.clock.now();
      await manager.update(
        UserEntity,
        { id: userId },
        {
          totpSecret: null,
          totpEnabledAt: null,
          totpPendingSecret: null,
          totpLastUsedStep: null,
          updatedAt: now,
        },
      );
      await manager.update(SessionEntity, { userId }, { mfaVerified: false });
      await manager.delete(RecoveryCodeEntity, { userId });
      await recordAudit(manager, this.clock, actor, {
        action: 'identity.two_factor.reset',
        targetType: 'User',
        targetId: userId,
        metadata: { hadTwoFactor: user.totpEnabledAt !== null },
      });
      return {
        ...user,
        totpSecret: null,
        totpEnabledAt: null,
        totpPendingSecret: null,
        totpLastUsedStep: null,
        updatedAt: now,
      };
    });
  }
}
