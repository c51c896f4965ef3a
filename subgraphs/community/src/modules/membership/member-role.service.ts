import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { COMMUNITY_MEMBER_ROLE_CHANGED, recordCommunityEvent } from '../../common/community-events.js';
import { CommunityForbiddenError, LimitReachedError } from '../../common/community.errors.js';
import { assertUuid, isUniqueViolation, isUuid, text } from '../../common/validation.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { CommunityEntity } from '../community/community.entity.js';
import {
  GRANTABLE_PERMISSIONS,
  ROLE_RANK,
  type CommunityMemberRole,
  type CommunityPermission,
} from '../access/permissions.js';
import { InvalidMembershipStateError, RoleNameTakenError } from './membership.errors.js';
import { CommunityRoleEntity, MembershipEntity } from './membership.entity.js';
import type { MembershipService } from './membership.service.js';

export const MAX_CUSTOM_ROLES = 20;

/** Built-in roles one may give with `setRole` (OWNER moves only by `transferOwnership`). */
export type AssignableRole = Exclude<CommunityMemberRole, 'OWNER'>;

/** Built-in role changes, ownership transfer, and custom roles (CRUD and assignment). */
export class MemberRoleService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly memberships: MembershipService,
    private readonly clock: Clock,
  ) {}

  private async roleChanged(
    manager: EntityManager,
    row: MembershipEntity,
    previousRole: CommunityMemberRole,
  ): Promise<void> {
    await recordCommunityEvent(manager, COMMUNITY_MEMBER_ROLE_CHANGED, {
      communityId: row.communityId,
      userId: row.userId,
      membershipId: row.id,
      previousRole,
      role: row.role,
      customRoleId: row.customRoleId,
      changedAt: this.clock.now().toISOString(),
    });
  }

  /**
   * Gives an active member the ADMIN, MODERATOR or MEMBER role (MEMBER_ROLE_SET). The actor must
   * outrank the member and may only give roles below their own: admins set moderators and members,
   * only the owner (or a platform admin) makes admins.
   */
  async setRole(
    viewer: Viewer,
    communityId: string,
    userId: string,
    role: AssignableRole,
  ): Promise<MembershipEntity> {
    if (!(role in ROLE_RANK) || (role as CommunityMemberRole) === 'OWNER')
      throw new BadUserInputError('Transfer the ownership to make someone the owner.', 'role');
    return this.memberships.actOn(
      viewer,
      communityId,
      userId,
      'MEMBER_ROLE_SET',
      async ({ context, row, manager }) => {
        if (row.status !== 'ACTIVE') throw new InvalidMembershipStateError(row.status, 'get a role');
        if (ROLE_RANK[role] >= context.rank)
          throw new CommunityForbiddenError(
            'You can only give roles below your own.',
            'RANK',
            'MEMBER_ROLE_SET',
          );
        if (row.role === role) return row;
        const previous = row.role;
        Object.assign(row, { role, updatedAt: this.clock.now() });
        await manager.getRepository(MembershipEntity).save(row);
        await this.roleChanged(manager, row, previous);
        return row;
      },
    );
  }

  /** Gives an active member a custom role of this community, or takes it away with null (MEMBER_ROLE_SET). */
  async assignCustomRole(
    viewer: Viewer,
    communityId: string,
    userId: string,
    customRoleId: string | null,
  ): Promise<MembershipEntity> {
    const roleId = customRoleId === null ? null : assertUuid(customRoleId, 'customRoleId');
    return this.memberships.actOn(
      viewer,
      communityId,
      userId,
      'MEMBER_ROLE_SET',
      async ({ context, row, manager }) => {
        if (row.status !== 'ACTIVE') throw new InvalidMembershipStateError(row.status, 'get a role');
        if (roleId) {
          const role = await manager
            .getRepository(CommunityRoleEntity)
            .findOneBy({ id: roleId, communityId: context.community.id });
          if (!role) throw new NotFoundError('Custom role');
        }
        if (row.customRoleId === roleId) return row;
        Object.assign(row, { customRoleId: roleId, updatedAt: this.clock.now() });
        await manager.getRepository(MembershipEntity).save(row);
        await this.roleChanged(manager, row, row.role);
        return row;
      },
    );
  }

  /**
   * Hands the community to another active member (OWNERSHIP_TRANSFER, the owner only): they become
   * OWNER, the previous owner an ADMIN.
   */
  async transferOwnership(viewer: Viewer, communityId: string, userId: string): Promise<CommunityEntity> {
    const targetId = assertUuid(userId, 'userId');
    return this.dataSource.transaction(async (manager) => {
      const context = await this.access.require(viewer, communityId, 'OWNERSHIP_TRANSFER', {
        manager,
        lockCommunity: true,
        lockMembership: true,
      });
      const current = context.membership!;
      if (targetId === current.userId)
        throw new BadUserInputError('You already own this community.', 'userId');
      const { row: next } = await this.memberships.lockRow(manager, context.community.id, targetId);
      if (next.status !== 'ACTIVE')
        throw new InvalidMembershipStateError(next.status, 'receive the ownership');
      const now = this.clock.now();
      const repo = manager.getRepository(MembershipEntity);
      // The previous owner steps down first: one OWNER per community (unique index).
      Object.assign(current, { role: 'ADMIN', updatedAt: now });
      await repo.save(current);
      const previous = next.role;
      Object.assign(next, { role: 'OWNER', mutedUntil: null, updatedAt: now });
      await repo.save(next);
      context.community.ownerId = targetId;
      context.community.updatedAt = now;
      await manager.getRepository(CommunityEntity).save(context.community);
      await this.roleChanged(manager, current, 'OWNER');
      await this.roleChanged(manager, next, previous);
      return context.community;
    });
  }

  // --- custom roles ---

  private permissions(values: string[]): CommunityPermission[] {
    const unique = [...new Set(values)];
    const refused = unique.filter((p) => !(GRANTABLE_PERMISSIONS as readonly string[]).includes(p));
    if (refused.length > 0)
      throw new BadUserInputError(`A custom role cannot grant ${refused.join(', ')}.`, 'permissions');
    return unique as CommunityPermission[];
  }

  async rolesOf(communityIds: readonly string[]): Promise<CommunityRoleEntity[]> {
    const valid = communityIds.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource
      .getRepository(CommunityRoleEntity)
      .createQueryBuilder('r')
      .where('r.community_id IN (:...ids)', { ids: valid })
      .orderBy('lower(r.name)', 'ASC')
      .getMany();
  }

  /** A custom role (ROLE_MANAGE; at most 20 per community; names unique regardless of case). */
  async createRole(
    viewer: Viewer,
    communityId: string,
    input: { name: string; permissions: string[] },
  ): Promise<CommunityRoleEntity> {
    const name = text(input.name, 'name', 1, 40);
    const permissions = this.permissions(input.permissions);
    try {
      return await this.dataSource.transaction(async (manager) => {
        const { community } = await this.access.require(viewer, communityId, 'ROLE_MANAGE', {
          manager,
          lockCommunity: true,
        });
        const count = await manager.getRepository(CommunityRoleEntity).countBy({ communityId: community.id });
        if (count >= MAX_CUSTOM_ROLES)
          throw new LimitReachedError(
            `A community has at most ${MAX_CUSTOM_ROLES} custom roles.`,
            MAX_CUSTOM_ROLES,
          );
        const now = this.clock.now();
        const role = Object.assign(new CommunityRoleEntity(), {
          id: randomUUID(),
          communityId: community.id,
          name,
          permissions,
          createdAt: now,
          updatedAt: now,
        });
        await manager.getRepository(CommunityRoleEntity).insert(role);
        return role;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_community_roles_name')) throw new RoleNameTakenError(name);
      throw error;
    }
  }

  private async forManaging(
    manager: EntityManager,
    viewer: Viewer,
    roleId: string,
  ): Promise<CommunityRoleEntity> {
    const role = await manager
      .getRepository(CommunityRoleEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.id = :id', { id: assertUuid(roleId, 'roleId') })
      .getOne();
    if (!role) throw new NotFoundError('Custom role');
    try {
      await this.access.require(viewer, role.communityId, 'ROLE_MANAGE', { manager });
    } catch (error) {
      if (error instanceof NotFoundError) throw new NotFoundError('Custom role');
      throw error;
    }
    return role;
  }

  /** Renames a custom role or replaces its permissions; its holders' permissions change at once. */
  async updateRole(
    viewer: Viewer,
    roleId: string,
    input: { name?: string | null; permissions?: string[] | null },
  ): Promise<CommunityRoleEntity> {
    const name = input.name !== undefined && input.name !== null ? text(input.name, 'name', 1, 40) : null;
    const permissions = input.permissions ? this.permissions(input.permissions) : null;
    try {
      return await this.dataSource.transaction(async (manager) => {
        const role = await this.forManaging(manager, viewer, roleId);
        if (name !== null) role.name = name;
        if (permissions !== null) role.permissions = permissions;
        role.updatedAt = this.clock.now();
        await manager.getRepository(CommunityRoleEntity).save(role);
        return role;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_community_roles_name')) throw new RoleNameTakenError(name ?? '');
      throw error;
    }
  }

  /** Deletes a custom role; its holders keep their built-in role. */
  async deleteRole(viewer: Viewer, roleId: string): Promise<CommunityRoleEntity> {
    return this.dataSource.transaction(async (manager) => {
      const role = await this.forManaging(manager, viewer, roleId);
      await manager.getRepository(CommunityRoleEntity).delete({ id: role.id });
      return role;
    });
  }
}
