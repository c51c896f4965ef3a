import type { DataSource, EntityManager } from 'typeorm';
import {
  BadUserInputError,
  paginate,
  type Connection,
  type ConnectionArgs,
  type PlatformRole,
  type Viewer,
} from '@edugraph/kit';
import type { Clock } from '../../shared/clock.js';
import { recordAudit, type AuditActor } from '../audit/audit.js';
import type { SessionService } from '../session/session.service.js';
import { lockUserForUpdate } from './user-lock.js';
import { UserEntity } from './user.entity.js';

export const USER_PAGE_MAX = 50;

/** Private fields (email, 2FA state, …) are visible to the user themself and to ADMIN/SUPPORT. */
export function canSeePrivateFields(viewer: Viewer | null, userId: string): boolean {
  if (!viewer) return false;
  if (viewer.apiKeyId === null && viewer.userId === userId) return true;
  return viewer.roles.includes('ADMIN') || viewer.roles.includes('SUPPORT');
}

/** Admin actions on users: roles, disable/enable. Every change is audited in the same transaction. */
export class UserService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sessions: SessionService,
  ) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id });
  }

  /** Staff search: newest first, optional case-insensitive match on email or display name. */
  search(args: ConnectionArgs, query: string | null | undefined): Promise<Connection<UserEntity>> {
    const qb = this.dataSource.getRepository(UserEntity).createQueryBuilder('u');
    const term = query?.trim();
    if (term) {
      if (term.length > 100) throw new BadUserInputError('The search text is too long.', 'query');
      const pattern = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.where('(u.email LIKE :pattern OR lower(u.display_name) LIKE :pattern)', { pattern });
    }
    return paginate(qb, args, { alias: 'u', sortBy: 'createdAt', direction: 'DESC', max: USER_PAGE_MAX });
  }

  /** Stores the user's new role list and audits the grant or revoke of `role`, in the caller's transaction. */
  private async saveRoles(
    manager: EntityManager,
    actor: AuditActor,
    user: UserEntity,
    roles: PlatformRole[],
    change: { action: 'identity.role.granted' | 'identity.role.revoked'; role: PlatformRole },
  ): Promise<UserEntity> {
    user.roles = roles;
    user.updatedAt = this.clock.now();
    await manager.update(UserEntity, { id: user.id }, { roles: user.roles, updatedAt: user.updatedAt });
    await recordAudit(manager, this.clock, actor, {
      action: change.action,
      targetType: 'User',
      targetId: user.id,
      metadata: { role: change.role },
    });
    return user;
  }

  async grantRole(actor: AuditActor, userId: string, role: PlatformRole): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      if (user.roles.includes(role)) return user;
      return this.saveRoles(manager, actor, user, [...user.roles, role], {
        action: 'identity.role.granted',
        role,
      });
    });
  }

  async revokeRole(actor: AuditActor, userId: string, role: PlatformRole): Promise<UserEntity> {
    if (actor.actorId === userId && role === 'ADMIN') {
      throw new BadUserInputError('You cannot remove your own ADMIN role; ask another admin.', 'role');
    }
    return this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      if (!user.roles.includes(role)) return user;
      const roles = user.roles.filter((r) => r !== role);
      return this.saveRoles(manager, actor, user, roles, { action: 'identity.role.revoked', role });
    });
  }

  /** Disables sign-in and refresh, and ends every session of the user. */
  async disable(
    actor: AuditActor,
    userId: string,
    reason: string | null,
  ): Promise<{ user: UserEntity; endedSessions: number }> {
    if (actor.actorId === userId)
      throw new BadUserInputError('You cannot disable your own account.', 'userId');
    return this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      const now = this.clock.now();
      if (user.disabledAt === null) {
        user.disabledAt = now;
        user.disabledReason = reason;
        user.updatedAt = now;
        await manager.update(
          UserEntity,
          { id: user.id },
          { disabledAt: now, disabledReason: reason, updatedAt: now },
        );
      }
      const endedSessions = await this.sessions.endAll(manager, user.id, 'USER_DISABLED');
      await recordAudit(manager, this.clock, actor, {
        action: 'identity.user.disabled',
        targetType: 'User',
        targetId: user.id,
        metadata: { reason, endedSessions },
      });
      return { user, endedSessions };
    });
  }

  async enable(actor: AuditActor, userId: string): Promise<UserEntity> {
    return this.dataSource.transaction(async (manager) => {
      const user = await lockUserForUpdate(manager, userId);
      if (user.disabledAt === null) return user;
      const now = this.clock.now();
      user.disabledAt = null;
      user.disabledReason = null;
      user.updatedAt = now;
      await manager.update(
        UserEntity,
        { id: user.id },
        { disabledAt: null, disabledReason: null, updatedAt: now },
      );
      await recordAudit(manager, this.clock, actor, {
        action: 'identity.user.enabled',
        targetType: 'User',
        targetId: user.id,
      });
      return user;
    });
  }
}
