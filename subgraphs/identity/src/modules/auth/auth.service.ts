import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { BadUserInputError, ForbiddenError, UnauthenticatedError, type Viewer } from '@edugraph/kit';
import type { Clock } from '../../shared/clock.js';
import type { SecretBox } from '../../shared/crypto.js';
import type { TokenIssuer } from '../signing-key/token-issuer.js';
import {
  effectiveRoles,
  needsTwoFactorEnrollment,
  type ClientInfo,
  type SessionService,
} from '../session/session.service.js';
import type { SessionEntity } from '../session/session.entity.js';
import { verifyTotp } from '../two-factor/totp.js';
import { RECOVERY_CODE_FORMAT } from '../two-factor/two-factor.service.js';
import { UserEntity } from '../user/user.entity.js';
import { accountLocked, IdentityError, invalidCredentials } from './identity.errors.js';
import { afterSuccess, isLocked } from './lockout.js';
import { lockoutOf, type AccountLockout } from './account-lockout.js';
import { lockUserForUpdate } from '../user/user-lock.js';
import type { PasswordHasher } from './password-hasher.js';
import { assertAcceptablePassword } from './password-policy.js';
import type { IpLimiter } from './ip-limiter.js';
import type { GhostLockout } from './ghost-lockout.js';

export const MIN_AGE_YEARS = 16;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type AuthResult = {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  user: UserEntity;
  sessionId: string;
  twoFactorEnrollmentRequired: boolean;
};

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function assertValidEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > 254 || !EMAIL.test(normalized))
    throw new BadUserInputError('The email address is not valid.', 'email');
  return normalized;
}

export function assertDisplayName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || [...trimmed].length > 80) {
    throw new BadUserInputError('The display name must have 1 to 80 characters.', 'displayName');
  }
  return trimmed;
}

/** Age in whole years on `today` (UTC) of someone born on `dateOfBirth` (YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, today: Date): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (!match) throw new BadUserInputError('The date of birth must be YYYY-MM-DD.', 'dateOfBirth');
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const born = new Date(Date.UTC(y, m - 1, d));
  if (born.getUTCFullYear() !== y || born.getUTCMonth() !== m - 1 || born.getUTCDate() !== d) {
    throw new BadUserInputError('The date of birth is not a real date.', 'dateOfBirth');
  }
  let age = today.getUTCFullYear() - y;
  const beforeBirthday =
    today.getUTCMonth() < m - 1 || (today.getUTCMonth() === m - 1 && today.getUTCDate() < d);
  if (beforeBirthday) age -= 1;
  return age;
}

/** Sign-up, sign-in (lockout, rate limit, 2FA, rehash), refresh and sign-out. */
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly tokens: TokenIssuer,
    private readonly limiter: IpLimiter,
    private readonly accountLimiter: IpLimiter,
    private readonly box: SecretBox,
    private readonly ghosts: GhostLockout,
    private readonly lockout: AccountLockout,
    private readonly recovery: { consumeRecoveryCode(userId: string, code: string): Promise<boolean> },
    private readonly hooks: { afterSignUp?: (user: UserEntity) => Promise<void> } = {},
  ) {}

  private async result(user: UserEntity, session: SessionEntity, refreshToken: string): Promise<AuthResult> {
    const access = await this.tokens.issueForSession({
      userId: user.id,
      sessionId: session.id,
      roles: effectiveRoles(user, session),
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken,
      user,
      sessionId: session.id,
      twoFactorEnrollmentRequired: needsTwoFactorEnrollment(user),
    };
  }

  async signUp(
    input: { email: string; password: string; displayName: string; dateOfBirth?: string | null },
    client: ClientInfo,
  ): Promise<AuthResult> {
    await this.accountLimiter.consume(client.ip);
    const email = assertValidEmail(input.email);
    const displayName = assertDisplayName(input.displayName);
    const now = this.clock.now();
    if (input.dateOfBirth) {
      const age = ageOn(input.dateOfBirth, now);
      if (age < 0 || age > 130)
        throw new BadUserInputError('The date of birth is not plausible.', 'dateOfBirth');
      if (age < MIN_AGE_YEARS) {
        throw new BadUserInputError(
          `You must be at least ${MIN_AGE_YEARS} years old to sign up.`,
          'dateOfBirth',
        );
      }
    }
    assertAcceptablePassword(input.password);
    const passwordHash = await this.hasher.hash(input.password);

    const { user, session, refreshToken } = await this.dataSource.transaction(async (manager) => {
      const existing = await manager.findOneBy(UserEntity, { email });
      if (existing)
        throw new IdentityError('EMAIL_TAKEN', 'An account with this email already exists.', {
          field: 'email',
        });
      const user = manager.create(UserEntity, {
        id: randomUUID(),
        email,
        emailVerifiedAt: null,
        displayName,
        dateOfBirth: input.dateOfBirth ?? null,
        passwordHash,
        roles: ['LEARNER'],
        disabledAt: null,
        disabledReason: null,
        failedSignInCount: 0,
        lockCount: 0,
        lockedUntil: null,
        totpSecret: null,
        totpEnabledAt: null,
        totpPendingSecret: null,
        totpLastUsedStep: null,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await manager.insert(UserEntity, user);
      } catch (error) {
        if ((error as { code?: string }).code === '23505') {
          throw new IdentityError('EMAIL_TAKEN', 'An account with this email already exists.', {
            field: 'email',
          });
        }
        throw error;
      }
      const created = await this.sessions.create(manager, user.id, client, { mfaVerified: false });
      return { user, ...created };
    });
    await this.hooks.afterSignUp?.(user);
    return this.result(user, session, refreshToken);
  }

  /**
   * Sign-in. Unknown emails burn a dummy verification and get the same INVALID_CREDENTIALS answer.
   * 10 consecutive failures lock the account (15 min, doubling on each repeat lock).
   */
  async signIn(
    input: { email: string; password: string; totpCode?: string | null },
    client: ClientInfo,
  ): Promise<AuthResult> {
    await this.limiter.consume(client.ip);
    const email = normalizeEmail(input.email);
    const user = await this.dataSource.getRepository(UserEntity).findOneBy({ email });
    const now = this.clock.now();
    if (!user) {
      // Unknown email: same work, same answers, same lockout schedule as a real account.
      const ghost = await this.ghosts.state(email);
      await this.hasher.verifyDummy(input.password);
      if (isLocked(ghost, now)) throw accountLocked(ghost.lockedUntil!);
      const next = await this.ghosts.recordFailure(email, now);
      if (next.lockedUntil && isLocked(next, now)) throw accountLocked(next.lockedUntil);
      throw invalidCredentials();
    }
    if (isLocked(lockoutOf(user), now)) {
      await this.hasher.verifyDummy(input.password);
      throw accountLocked(user.lockedUntil!);
    }
    const ok = await this.hasher.verify(user.passwordHash, input.password);
    if (!ok) {
      const state = await this.lockout.recordFailure(user.id);
      if (state.lockedUntil && isLocked(state, now)) throw accountLocked(state.lockedUntil);
      throw invalidCredentials();
    }
    if (user.disabledAt !== null)
      throw new IdentityError('ACCOUNT_DISABLED', 'This account has been disabled.');

    let totpStep: number | null = null;
    let usedRecoveryCode = false;
    if (user.totpEnabledAt !== null && user.totpSecret) {
      const code = input.totpCode?.trim();
      if (!code) {
        throw new IdentityError('TWO_FACTOR_REQUIRED', 'Enter the code from your authenticator app.');
      }
      if (RECOVERY_CODE_FORMAT.test(code)) {
        usedRecoveryCode = await this.recovery.consumeRecoveryCode(user.id, code);
      } else {
        totpStep = verifyTotp(this.box.open(user.totpSecret), code, now, user.totpLastUsedStep);
      }
      if (totpStep === null && !usedRecoveryCode) {
        const state = await this.lockout.recordFailure(user.id);
        if (state.lockedUntil && isLocked(state, now)) throw accountLocked(state.lockedUntil);
        throw new IdentityError('INVALID_CODE', 'The two-factor code is not valid.', { field: 'totpCode' });
      }
    }
    const rehash = this.hasher.needsRehash(user.passwordHash) ? await this.hasher.hash(input.password) : null;

    const { fresh, session, refreshToken } = await this.dataSource.transaction(async (manager) => {
      const fresh = await lockUserForUpdate(manager, user.id);
      if (totpStep !== null && fresh.totpLastUsedStep !== null && totpStep <= fresh.totpLastUsedStep) {
        throw new IdentityError('INVALID_CODE', 'The two-factor code was already used.', {
          field: 'totpCode',
        });
      }
      const cleared = afterSuccess();
      fresh.failedSignInCount = cleared.failedCount;
      fresh.lockCount = cleared.lockCount;
      fresh.lockedUntil = cleared.lockedUntil;
      if (rehash) fresh.passwordHash = rehash;
      if (totpStep !== null) fresh.totpLastUsedStep = totpStep;
      fresh.updatedAt = now;
      await manager.save(UserEntity, fresh);
      const created = await this.sessions.create(manager, fresh.id, client, {
        mfaVerified: totpStep !== null || usedRecoveryCode,
      });
      return { fresh, ...created };
    });
    return this.result(fresh, session, refreshToken);
  }

  async refresh(refreshToken: string): Promise<AuthResult> {
    const outcome = await this.sessions.rotate(refreshToken);
    if (outcome.kind === 'reused') {
      throw new IdentityError(
        'REFRESH_TOKEN_REUSED',
        'This refresh token was already used; the session has been ended.',
      );
    }
    if (outcome.kind === 'invalid') {
      throw new IdentityError('UNAUTHENTICATED', 'The refresh token is invalid or expired. Sign in again.');
    }
    return this.result(outcome.user, outcome.session, outcome.refreshToken);
  }

  /** The viewer must be a user session (not an API key) that is still active. */
  async requireSession(viewer: Viewer | null): Promise<SessionEntity> {
    if (!viewer) throw new UnauthenticatedError();
    if (!viewer.sessionId) throw new ForbiddenError('This needs a signed-in user session (not an API key).');
    const session = await this.sessions.findActive(viewer.sessionId);
    if (!session || session.userId !== viewer.userId)
      throw new UnauthenticatedError('This session has ended. Sign in again.');
    return session;
  }

  async signOut(viewer: Viewer | null): Promise<boolean> {
    const session = await this.requireSession(viewer);
    await this.sessions.revoke(session.userId, session.id, 'SIGNED_OUT');
    return true;
  }

  async signOutEverywhere(viewer: Viewer | null, scope: 'ALL' | 'ALL_OTHERS'): Promise<number> {
    const session = await this.requireSession(viewer);
    return this.dataSource.transaction((manager) =>
      this.sessions.endAll(
        manager,
        session.userId,
        'SIGNED_OUT_EVERYWHERE',
        scope === 'ALL_OTHERS' ? session.id : null,
      ),
    );
  }
}
