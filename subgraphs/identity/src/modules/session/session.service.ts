import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { IsNull } from 'typeorm';
import type { PlatformRole } from '@edugraph/kit';
import { addMs, DAY, type Clock } from '../../shared/clock.js';
import { randomToken, sha256Hex } from '../../shared/crypto.js';
import { IdentityError } from '../auth/identity.errors.js';
import { UserEntity } from '../user/user.entity.js';
import {
  isSessionActive,
  RefreshTokenEntity,
  SessionEntity,
  type SessionEndReason,
} from './session.entity.js';

export const MAX_ACTIVE_SESSIONS = 10;
export const REFRESH_SLIDING_MS = 30 * DAY;
export const REFRESH_ABSOLUTE_MS = 90 * DAY;

/** Roles that need a second factor: without it the session's tokens leave them out. */
export const TWO_FACTOR_ROLES: readonly PlatformRole[] = ['ADMIN', 'FINANCE'];

export type ClientInfo = { ip: string | null; userAgent: string | null };

/**
 * Roles put in access tokens. ADMIN and FINANCE are withheld from sessions that have not proven a
 * second factor (a "limited session": it can enrol 2FA and act as the user's other roles).
 */
export function effectiveRoles(
  user: Pick<UserEntity, 'roles' | 'totpEnabledAt'>,
  session: Pick<SessionEntity, 'mfaVerified'>,
): PlatformRole[] {
  const mfa = user.totpEnabledAt !== null && session.mfaVerified;
  return mfa ? [...user.roles] : user.roles.filter((r) => !TWO_FACTOR_ROLES.includes(r));
}

export function needsTwoFactorEnrollment(user: Pick<UserEntity, 'roles' | 'totpEnabledAt'>): boolean {
  return user.totpEnabledAt === null && user.roles.some((r) => TWO_FACTOR_ROLES.includes(r));
}

export type RefreshResult =
  | { kind: 'ok'; session: SessionEntity; user: UserEntity; refreshToken: string }
  | { kind: 'reused' }
  | { kind: 'invalid' };

/** Sessions (one refresh-token family each): creation with the 10-session cap, rotation, revocation. */
export class SessionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  private async issueRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
    const token = randomToken(32);
    await manager.insert(RefreshTokenEntity, {
      id: randomUUID(),
      sessionId,
      tokenHash: sha256Hex(token),
      issuedAt: this.clock.now(),
      rotatedAt: null,
    });
    return token;
  }

  /**
   * Creates a session in the caller's transaction. The caller must hold the user's row lock
   * (SELECT … FOR UPDATE) so concurrent sign-ins cannot exceed the cap.
   */
  async create(
    manager: EntityManager,
    userId: string,
    client: ClientInfo,
    options: { mfaVerified: boolean },
  ): Promise<{ session: SessionEntity; refreshToken: string }> {
    const now = this.clock.now();
    const active = await this.activeSessions(manager, userId);
    const excess = active.length - (MAX_ACTIVE_SESSIONS - 1);
    if (excess > 0) {
      const oldest = active.slice(0, excess).map((s) => s.id);
      await manager
        .createQueryBuilder()
        .update(SessionEntity)
        .set({ revokedAt: now, revokedReason: 'SESSION_LIMIT' })
        .whereInIds(oldest)
        .execute();
    }
    const session = manager.create(SessionEntity, {
      id: randomUUID(),
      userId,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: addMs(now, REFRESH_SLIDING_MS),
      absoluteExpiresAt: addMs(now, REFRESH_ABSOLUTE_MS),
      revokedAt: null,
      revokedReason: null,
      mfaVerified: options.mfaVerified,
      ipAddress: client.ip,
      userAgent: client.userAgent?.slice(0, 400) ?? null,
    });
    await manager.insert(SessionEntity, session);
    const refreshToken = await this.issueRefreshToken(manager, session.id);
    return { session, refreshToken };
  }

  /** Active sessions of a user, oldest first. */
  async activeSessions(manager: EntityManager, userId: string): Promise<SessionEntity[]> {
    const now = this.clock.now();
    return manager
      .getRepository(SessionEntity)
      .createQueryBuilder('s')
      .where(
        's.user_id = :userId AND s.revoked_at IS NULL AND s.expires_at > :now AND s.absolute_expires_at > :now',
        {
          userId,
          now,
        },
      )
      .orderBy('s.created_at', 'ASC')
      .addOrderBy('s.id', 'ASC')
      .getMany();
  }

  list(userId: string): Promise<SessionEntity[]> {
    return this.activeSessions(this.dataSource.manager, userId);
  }

  /**
   * One-time rotation of a refresh token. The token row is locked (FOR UPDATE), so of two concurrent
   * refreshes with the same token exactly one rotates it; the other then sees a rotated token, which
   * is reuse: the whole family (session) is revoked.
   */
  async rotate(refreshToken: string): Promise<RefreshResult> {
    return this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const token = await manager
        .getRepository(RefreshTokenEntity)
        .createQueryBuilder('t')
        .setLock('pessimistic_write')
        .where('t.token_hash = :hash', { hash: sha256Hex(refreshToken) })
        .getOne();
      if (!token) return { kind: 'invalid' } as const;
      const session = await manager
        .getRepository(SessionEntity)
        .createQueryBuilder('s')
        .setLock('pessimistic_write')
        .where('s.id = :id', { id: token.sessionId })
        .getOne();
      if (!session) return { kind: 'invalid' } as const;
      if (token.rotatedAt !== null) {
        if (session.revokedAt === null) {
          await manager.update(
            SessionEntity,
            { id: session.id },
            { revokedAt: now, revokedReason: 'REFRESH_TOKEN_REUSED' },
          );
        }
        return { kind: 'reused' } as const;
      }
      if (!isSessionActive(session, now)) return { kind: 'invalid' } as const;
      const user = await manager.findOneByOrFail(UserEntity, { id: session.userId });
      if (user.disabledAt !== null) return { kind: 'invalid' } as const;

      await manager.update(RefreshTokenEntity, { id: token.id }, { rotatedAt: now });
      const sliding = addMs(now, REFRESH_SLIDING_MS);
      session.expiresAt = sliding < session.absoluteExpiresAt ? sliding : session.absoluteExpiresAt;
      session.lastUsedAt = now;
      await manager.update(
        SessionEntity,
        { id: session.id },
        { expiresAt: session.expiresAt, lastUsedAt: now },
      );
      const next = await this.issueRefreshToken(manager, session.id);
      return { kind: 'ok', session, user, refreshToken: next } as const;
    });
  }

  /** Ends sessions of a user (all, or all but one) in the caller's transaction; returns how many. */
  async endAll(
    manager: EntityManager,
    userId: string,
    reason: SessionEndReason,
    exceptSessionId?: string | null,
  ): Promise<number> {
    const now = this.clock.now();
    const qb = manager
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: now, revokedReason: reason })
      .where(
        'user_id = :userId AND revoked_at IS NULL AND expires_at > :now AND absolute_expires_at > :now',
        { userId, now },
      );
    if (exceptSessionId) qb.andWhere('id <> :except', { except: exceptSessionId });
    const result = await qb.execute();
    return result.affected ?? 0;
  }

  /** Ends one of the user's own sessions; someone else's session is NOT_FOUND (no leak). */
  async revoke(userId: string, sessionId: string, reason: SessionEndReason): Promise<void> {
    const now = this.clock.now();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: now, revokedReason: reason })
      .where('id = :sessionId AND user_id = :userId AND revoked_at IS NULL', { sessionId, userId })
      .execute();
    if ((result.affected ?? 0) === 0) throw new IdentityError('NOT_FOUND', 'Session was not found.');
  }

  /** The session behind an access token, if it is still active (identity's own stateful check). */
  async findActive(sessionId: string): Promise<SessionEntity | null> {
    const session = await this.dataSource
      .getRepository(SessionEntity)
      .findOneBy({ id: sessionId, revokedAt: IsNull() });
    return session && isSessionActive(session, this.clock.now()) ? session : null;
  }
}
