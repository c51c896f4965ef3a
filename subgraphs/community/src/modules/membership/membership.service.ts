import { randomUUID } from 'node:crypto';
import type { Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  COMMUNITY_MEMBER_JOINED,
  COMMUNITY_MEMBER_LEFT,
  recordCommunityEvent,
  type CommunityMemberLeftPayload,
} from '../../common/community-events.js';
import {
  AlreadyMemberError,
  CommunityArchivedError,
  JoinRequiresInviteError,
  MemberBannedError,
  NotAMemberError,
  OwnerCannotLeaveError,
} from '../../common/community.errors.js';
import { assertTimeZone } from '../../common/validation.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { type CommunityEntity } from '../community/community.entity.js';
import { MembershipEntity } from './membership.entity.js';

/** Joining, leaving and the membership rows (the only code writing `memberships`). */
export class MembershipService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
  ) {}

  /** The viewer's membership in any status, if the community is visible to them. */
  async mine(viewer: Viewer, communityId: string): Promise<MembershipEntity | null> {
    const context = await this.access.resolve(viewer, communityId).catch(() => null);
    return context?.membership ?? null;
  }

  /** Locks (creating when missing) the (community, user) membership row in `manager`'s transaction. */
  async lockRow(
    manager: EntityManager,
    communityId: string,
    userId: string,
  ): Promise<{ row: MembershipEntity; created: boolean }> {
    const now = this.clock.now();
    const inserted: unknown[] = await manager.query(
      `INSERT INTO "community".memberships (id, community_id, user_id, role, status, time_zone, created_at, updated_at)
       VALUES ($1, $2, $3, 'MEMBER', 'LEFT', 'UTC', $4, $4)
       ON CONFLICT ON CONSTRAINT uq_memberships_community_user DO NOTHING RETURNING id`,
      [randomUUID(), communityId, userId, now],
    );
    const row = await manager
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .setLock('pessimistic_write')
      .where('m.community_id = :communityId AND m.user_id = :userId', { communityId, userId })
      .getOneOrFail();
    return { row, created: inserted.length > 0 };
  }

  /** Makes a row ACTIVE (counting it) and records `community.member.joined`. */
  async activate(
    manager: EntityManager,
    row: MembershipEntity,
    changes: Partial<MembershipEntity> = {},
  ): Promise<void> {
    const now = this.clock.now();
    Object.assign(row, {
      status: 'ACTIVE',
      role: row.role === 'OWNER' ? 'OWNER' : 'MEMBER',
      joinedAt: now,
      leftAt: null,
      updatedAt: now,
      ...changes,
    });
    await manager.getRepository(MembershipEntity).save(row);
    await this.adjustCount(manager, row.communityId, 1);
    await recordCommunityEvent(manager, COMMUNITY_MEMBER_JOINED, {
      communityId: row.communityId,
      userId: row.userId,
      membershipId: row.id,
      role: row.role,
      joinedAt: now.toISOString(),
    });
  }

  /**
   * Ends an ACTIVE membership with `status` (LEFT or BANNED), uncounts it and records
   * `community.member.left`; for other statuses it only updates the row.
   */
  async deactivate(
    manager: EntityManager,
    row: MembershipEntity,
    status: 'LEFT' | 'BANNED',
    reason: CommunityMemberLeftPayload['reason'],
    changes: Partial<MembershipEntity> = {},
  ): Promise<void> {
    const now = this.clock.now();
    const wasActive = row.status === 'ACTIVE';
    Object.assign(row, {
      status,
      leftAt: wasActive ? now : row.leftAt,
      updatedAt: now,
      mutedUntil: null,
      ...changes,
    });
    if (status === 'LEFT' || status === 'BANNED') {
      row.role = 'MEMBER';
      row.customRoleId = null;
    }
    await manager.getRepository(MembershipEntity).save(row);
    if (!wasActive) return;
    await this.adjustCount(manager, row.communityId, -1);
    await recordCommunityEvent(manager, COMMUNITY_MEMBER_LEFT, {
      communityId: row.communityId,
      userId: row.userId,
      membershipId: row.id,
      reason,
      leftAt: now.toISOString(),
    });
  }

  private async adjustCount(manager: EntityManager, communityId: string, delta: number): Promise<void> {
    await manager.query(`UPDATE "community".communities SET member_count = member_count + $2 WHERE id = $1`, [
      communityId,
      delta,
    ]);
  }

  /**
   * Join: an OPEN community makes the viewer an ACTIVE member; APPROVAL records a PENDING request
   * (idempotent); INVITE_ONLY refuses (JOIN_REQUIRES_INVITE); an INVITED viewer accepts. A banned
   * viewer gets MEMBER_BANNED, an active one ALREADY_MEMBER; archived communities take nobody.
   */
  async join(
    viewer: Viewer,
    communityId: string,
    options: { timeZone?: string | null } = {},
  ): Promise<MembershipEntity> {
    const timeZone = options.timeZone ? assertTimeZone(options.timeZone) : null;
    return this.dataSource.transaction(async (manager) => {
      const context = await this.access.resolve(viewer, communityId, { manager, includeHidden: true });
      const community: CommunityEntity = context.community;
      if (community.archivedAt) throw new CommunityArchivedError();
      const { row } = await this.lockRow(manager, community.id, viewer.userId);
      const now = this.clock.now();
      if (timeZone) row.timeZone = timeZone;
      switch (row.status) {
        case 'ACTIVE':
          throw new AlreadyMemberError();
        case 'BANNED':
          throw new MemberBannedError();
        case 'PENDING':
          await manager.getRepository(MembershipEntity).save(row);
          return row;
        case 'INVITED':
          await this.activate(manager, row);
          return row;
        case 'LEFT':
          break;
      }
      if (community.joinPolicy === 'INVITE_ONLY') throw new JoinRequiresInviteError();
      if (community.joinPolicy === 'APPROVAL') {
        Object.assign(row, { status: 'PENDING', requestedAt: now, updatedAt: now });
        await manager.getRepository(MembershipEntity).save(row);
        return row;
      }
      await this.activate(manager, row);
      return row;
    });
  }

  /**
   * Leave: an ACTIVE member leaves (the owner cannot: OWNER_CANNOT_LEAVE), a PENDING request is
   * withdrawn, an invitation declined. NOT_A_MEMBER otherwise.
   */
  async leave(viewer: Viewer, communityId: string): Promise<MembershipEntity> {
    return this.dataSource.transaction(async (manager) => {
      const context = await this.access.resolve(viewer, communityId, { manager, lockMembership: true });
      const row = context.membership;
      if (!row || row.status === 'LEFT' || row.status === 'BANNED') throw new NotAMemberError();
      if (row.role === 'OWNER') throw new OwnerCannotLeaveError();
      await this.deactivate(manager, row, 'LEFT', 'LEFT');
      return row;
    });
  }
}
