import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  paginate,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
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
import { assertTimeZone, assertUuid, isUuid, text } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import type { CommunityMemberRole, CommunityPermission, MembershipStatus } from '../access/permissions.js';
import { InvalidMembershipStateError } from './membership.errors.js';
import { MembershipEntity } from './membership.entity.js';

export const MAX_MUTE_DAYS = 365;
const DAY_MS = 86_400_000;

/** Who may list memberships in each status. */
const LIST_PERMISSION: Partial<Record<MembershipStatus, CommunityPermission>> = {
  ACTIVE: 'CONTENT_READ',
  PENDING: 'MEMBER_APPROVE',
  INVITED: 'MEMBER_INVITE',
  BANNED: 'MEMBER_BAN',
};

/** An action by a moderator or admin on another user's membership, with the row locked. */
type Acting = { context: CommunityAccessContext; row: MembershipEntity; manager: EntityManager };

/**
 * Joining, leaving, requests, direct invitations, bans, removals, mutes and member lists: the only code
 * writing `memberships` (roles: `MemberRoleService`; invite links: `InviteLinkService`, through `lockRow`,
 * `activate` and `deactivate`).
 */
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

  /** Locks (creating as LEFT when missing) the (community, user) membership row in `manager`'s transaction. */
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
   * Ends a membership with `status` (LEFT or BANNED): role and custom role reset, mute cleared. An
   * ACTIVE one is uncounted and records `community.member.left` with `reason`.
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
      role: 'MEMBER',
      customRoleId: null,
      leftAt: wasActive ? now : row.leftAt,
      mutedUntil: null,
      updatedAt: now,
      ...changes,
    });
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
      const { community } = await this.access.resolve(viewer, communityId, { manager, includeHidden: true });
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

  /**
   * Runs `act` for an action on another user's membership: the actor needs `permission`, the target's
   * row is locked (created as LEFT when the user never belonged), and — unless `rank` is false — the
   * actor must outrank the target (FORBIDDEN `RANK`).
   */
  async actOn<T>(
    viewer: Viewer,
    communityId: string,
    userId: string,
    permission: CommunityPermission,
    act: (acting: Acting) => Promise<T>,
    options: { rank?: boolean } = {},
  ): Promise<T> {
    const targetId = assertUuid(userId, 'userId');
    return this.dataSource.transaction(async (manager) => {
      const context = await this.access.require(viewer, communityId, permission, { manager });
      const { row } = await this.lockRow(manager, context.community.id, targetId);
      if (options.rank !== false) this.access.requireOver(context, row);
      return act({ context, row, manager });
    });
  }

  /** PENDING → ACTIVE (MEMBER_APPROVE). */
  async approve(viewer: Viewer, communityId: string, userId: string): Promise<MembershipEntity> {
    return this.actOn(viewer, communityId, userId, 'MEMBER_APPROVE', async ({ row, manager }) => {
      if (row.status !== 'PENDING') throw new InvalidMembershipStateError(row.status, 'be approved');
      await this.activate(manager, row);
      return row;
    });
  }

  /** PENDING → LEFT (MEMBER_APPROVE); the user may ask again. */
  async reject(viewer: Viewer, communityId: string, userId: string): Promise<MembershipEntity> {
    return this.actOn(viewer, communityId, userId, 'MEMBER_APPROVE', async ({ row, manager }) => {
      if (row.status !== 'PENDING') throw new InvalidMembershipStateError(row.status, 'be rejected');
      await this.deactivate(manager, row, 'LEFT', 'REMOVED');
      return row;
    });
  }

  /**
   * Invites a user (MEMBER_INVITE): INVITED until they accept (`joinCommunity`) or decline
   * (`leaveCommunity`). Banned users, members and requesters cannot be invited.
   */
  async invite(viewer: Viewer, communityId: string, userId: string): Promise<MembershipEntity> {
    return this.actOn(
      viewer,
      communityId,
      userId,
      'MEMBER_INVITE',
      async ({ context, row, manager }) => {
        if (row.status === 'INVITED') return row;
        if (row.status === 'BANNED') throw new MemberBannedError();
        if (row.status === 'ACTIVE') throw new AlreadyMemberError();
        if (row.status === 'PENDING')
          throw new InvalidMembershipStateError(row.status, 'be invited (approve the request instead)');
        const now = this.clock.now();
        Object.assign(row, {
          status: 'INVITED',
          invitedById: context.viewer?.userId ?? null,
          updatedAt: now,
        });
        await manager.getRepository(MembershipEntity).save(row);
        return row;
      },
      { rank: false },
    );
  }

  /**
   * Bans (MEMBER_BAN, above the target's rank): the user leaves at once, and can join again neither by
   * request nor by invite until unbanned. Anyone may be banned pre-emptively; banning twice changes nothing.
   */
  async ban(
    viewer: Viewer,
    communityId: string,
    userId: string,
    reason: string | null,
  ): Promise<MembershipEntity> {
    const banReason = reason ? text(reason, 'reason', 1, 500) : null;
    return this.actOn(viewer, communityId, userId, 'MEMBER_BAN', async ({ row, manager }) => {
      if (row.status === 'BANNED') return row;
      await this.deactivate(manager, row, 'BANNED', 'BANNED', { bannedAt: this.clock.now(), banReason });
      return row;
    });
  }

  /** BANNED → LEFT (MEMBER_BAN): the user may join again. */
  async unban(viewer: Viewer, communityId: string, userId: string): Promise<MembershipEntity> {
    return this.actOn(viewer, communityId, userId, 'MEMBER_BAN', async ({ row, manager }) => {
      if (row.status !== 'BANNED') throw new InvalidMembershipStateError(row.status, 'be unbanned');
      Object.assign(row, { status: 'LEFT', banReason: null, updatedAt: this.clock.now() });
      await manager.getRepository(MembershipEntity).save(row);
      return row;
    });
  }

  /** Removes an active member or withdraws an invitation (MEMBER_REMOVE, above the target's rank). */
  async remove(viewer: Viewer, communityId: string, userId: string): Promise<MembershipEntity> {
    return this.actOn(viewer, communityId, userId, 'MEMBER_REMOVE', async ({ row, manager }) => {
      if (row.status !== 'ACTIVE' && row.status !== 'INVITED')
        throw new InvalidMembershipStateError(row.status, 'be removed');
      await this.deactivate(manager, row, 'LEFT', 'REMOVED');
      return row;
    });
  }

  /** Mutes an active member until `until` (≤ 365 days ahead), or unmutes with null (MEMBER_MUTE). */
  async mute(
    viewer: Viewer,
    communityId: string,
    userId: string,
    until: Date | null,
  ): Promise<MembershipEntity> {
    const now = this.clock.now();
    if (until && (until <= now || until.getTime() - now.getTime() > MAX_MUTE_DAYS * DAY_MS))
      throw new BadUserInputError(`"until" must be in the next ${MAX_MUTE_DAYS} days.`, 'until');
    return this.actOn(viewer, communityId, userId, 'MEMBER_MUTE', async ({ row, manager }) => {
      if (row.status !== 'ACTIVE') throw new InvalidMembershipStateError(row.status, 'be muted');
      Object.assign(row, { mutedUntil: until, updatedAt: now });
      await manager.getRepository(MembershipEntity).save(row);
      return row;
    });
  }

  /** The member's own time zone (streaks and reminders use it). */
  async setTimeZone(viewer: Viewer, communityId: string, timeZone: string): Promise<MembershipEntity> {
    const zone = assertTimeZone(timeZone);
    return this.dataSource.transaction(async (manager) => {
      const { membership } = await this.access.resolve(viewer, communityId, {
        manager,
        lockMembership: true,
      });
      if (!membership || membership.status === 'LEFT' || membership.status === 'BANNED')
        throw new NotAMemberError();
      Object.assign(membership, { timeZone: zone, updatedAt: this.clock.now() });
      await manager.getRepository(MembershipEntity).save(membership);
      return membership;
    });
  }

  /**
   * A community's memberships in one status (default ACTIVE), oldest first: ACTIVE for readers,
   * PENDING for approvers, INVITED for inviters, BANNED for those who ban.
   */
  async list(
    context: CommunityAccessContext,
    filter: { status?: MembershipStatus | null; role?: CommunityMemberRole | null },
    args: ConnectionArgs,
  ): Promise<Connection<MembershipEntity>> {
    const status = filter.status ?? 'ACTIVE';
    const permission = LIST_PERMISSION[status];
    if (!permission) throw new BadUserInputError(`Memberships in status ${status} are not listed.`, 'status');
    this.access.assert(context, permission);
    const qb = this.dataSource
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .where('m.community_id = :communityId AND m.status = :status', {
        communityId: context.community.id,
        status,
      });
    if (filter.role) qb.andWhere('m.role = :role', { role: filter.role });
    return paginate(qb, args, { alias: 'm', sortBy: 'createdAt', direction: 'ASC' });
  }

  /**
   * Memberships of several users for `User.memberships`, newest first (two queries whatever the number
   * of users): for the user themselves and platform admins every status (`all`); for others ACTIVE
   * memberships of communities the viewer may read (public ones, or where the viewer is an active member).
   * Each row comes with its exact `created_at` for the cursor.
   */
  async ofUsers(
    viewerId: string | null,
    userIds: readonly string[],
    options: { first: number; after: [string, string] | null; status: MembershipStatus | null; all: boolean },
  ): Promise<{ membership: MembershipEntity; createdAt: string }[]> {
    const ids = userIds.filter(isUuid);
    if (ids.length === 0) return [];
    const params: unknown[] = [ids, options.first + 1];
    const where: string[] = ['m.user_id = u.id'];
    if (options.status) {
      params.push(options.status);
      where.push(`m.status = $${params.length}`);
    }
    if (options.after) {
      params.push(options.after[0], options.after[1]);
      where.push(`(m.created_at, m.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    if (!options.all) {
      params.push(viewerId);
      const me = `$${params.length}::uuid`;
      where.push(`m.status = 'ACTIVE'`);
      where.push(`(c.visibility = 'PUBLIC' OR EXISTS (SELECT 1 FROM "community".memberships vm
        WHERE vm.community_id = m.community_id AND vm.user_id = ${me} AND vm.status = 'ACTIVE'))`);
      where.push(`NOT EXISTS (SELECT 1 FROM "community".memberships bm WHERE bm.community_id = m.community_id
        AND bm.user_id = ${me} AND bm.status = 'BANNED')`);
    }
    const rows: { id: string; created: string }[] = await this.dataSource.query(
      `SELECT p.id, p.created FROM unnest($1::uuid[]) AS u(id) CROSS JOIN LATERAL (
         SELECT m.id, to_char(m.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created
         FROM "community".memberships m JOIN "community".communities c ON c.id = m.community_id
         WHERE ${where.join(' AND ')} ORDER BY m.created_at DESC, m.id DESC LIMIT $2) p`,
      params,
    );
    if (rows.length === 0) return [];
    const found = await this.dataSource
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .where('m.id IN (:...ids)', { ids: rows.map((r) => r.id) })
      .getMany();
    const byId = new Map(found.map((m) => [m.id, m]));
    return rows.flatMap((r) => {
      const membership = byId.get(r.id);
      return membership ? [{ membership, createdAt: r.created }] : [];
    });
  }
}
