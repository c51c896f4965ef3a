import {
  ForbiddenError,
  hasRole,
  type DomainEvent,
  type DomainEventHandler,
  type Viewer,
} from '@edugraph/kit';
import type { EntityManager } from 'typeorm';

/**
 * community's membership events (contract: subgraphs/community/src/common/community-events.ts; messaging
 * never imports community). Consumed with the kit's inbox (consumer `messaging`): each has its effect once.
 */
export const COMMUNITY_MEMBER_JOINED = 'community.member.joined';
export const COMMUNITY_MEMBER_LEFT = 'community.member.left';
export const COMMUNITY_MEMBER_ROLE_CHANGED = 'community.member.role_changed';

type MemberPayload = {
  communityId: string;
  userId: string;
  role?: string;
  joinedAt?: string;
  leftAt?: string;
  changedAt?: string;
};

const ROLES = new Set(['OWNER', 'ADMIN', 'MODERATOR', 'MEMBER']);

function memberPayload(event: DomainEvent): MemberPayload {
  const p = event.payload as Partial<MemberPayload>;
  if (typeof p.communityId !== 'string' || typeof p.userId !== 'string')
    throw new Error(`${event.type} ${event.id}: payload without communityId/userId`);
  return p as MemberPayload;
}

/**
 * Keeps messaging's replica of community membership (`community_members`) and the members of
 * community-wide channels in step with community: a member who joins the community joins each of its
 * community-wide channels, one who leaves (or is removed or banned) leaves them. The replica keeps the
 * newest change per (community, user), so an older event handled late changes nothing.
 */
export class CommunityChannelSync {
  /**
   * Records a membership change (active or not, with the role it had then) if it is newer than the
   * replica's; returns whether it was applied. A later role change already recorded keeps its role.
   */
  private async recordMembership(
    manager: EntityManager,
    payload: MemberPayload,
    change: { active: boolean; role: string; at: string },
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO "messaging".community_members (community_id, user_id, active, role, changed_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (community_id, user_id) DO UPDATE SET
         active = EXCLUDED.active,
         changed_at = EXCLUDED.changed_at,
         role = CASE WHEN community_members.role_changed_at IS NULL OR community_members.role_changed_at <= EXCLUDED.changed_at
                THEN EXCLUDED.role ELSE community_members.role END
       WHERE community_members.changed_at <= EXCLUDED.changed_at
       RETURNING active`,
      [
        payload.communityId,
        payload.userId,
        change.active,
        ROLES.has(change.role) ? change.role : 'MEMBER',
        change.at,
      ],
    );
    return rows.length > 0;
  }

  readonly onMemberJoined: DomainEventHandler = async (event, manager) => {
    const payload = memberPayload(event);
    const applied = await this.recordMembership(manager, payload, {
      active: true,
      role: payload.role ?? 'MEMBER',
      at: payload.joinedAt ?? event.occurredAt,
    });
    if (!applied) return;
    await manager.query(
      `INSERT INTO "messaging".conversation_members (conversation_id, user_id, role)
       SELECT c.id, $2, 'MEMBER' FROM "messaging".conversations c WHERE c.community_id = $1 AND c.community_wide
       ON CONFLICT DO NOTHING`,
      [payload.communityId, payload.userId],
    );
  };

  readonly onMemberLeft: DomainEventHandler = async (event, manager) => {
    const payload = memberPayload(event);
    const applied = await this.recordMembership(manager, payload, {
      active: false,
      role: 'MEMBER',
      at: payload.leftAt ?? event.occurredAt,
    });
    if (!applied) return;
    await manager.query(
      `DELETE FROM "messaging".conversation_members m USING "messaging".conversations c
       WHERE m.conversation_id = c.id AND c.community_id = $1 AND c.community_wide AND m.user_id = $2`,
      [payload.communityId, payload.userId],
    );
  };

  /** Only the replica's role changes (it decides who may create community-wide channels). */
  readonly onMemberRoleChanged: DomainEventHandler = async (event, manager) => {
    const payload = memberPayload(event);
    if (!payload.role || !ROLES.has(payload.role)) return;
    // Before any membership change is known the row waits inactive at -infinity, so the join still applies.
    await manager.query(
      `INSERT INTO "messaging".community_members (community_id, user_id, active, role, changed_at, role_changed_at)
       VALUES ($1, $2, false, $3, '-infinity', $4)
       ON CONFLICT (community_id, user_id) DO UPDATE SET role = EXCLUDED.role, role_changed_at = EXCLUDED.role_changed_at
       WHERE community_members.role_changed_at IS NULL OR community_members.role_changed_at <= EXCLUDED.role_changed_at`,
      [payload.communityId, payload.userId, payload.role, payload.changedAt ?? event.occurredAt],
    );
  };

  handlers(): Record<string, DomainEventHandler> {
    return {
      [COMMUNITY_MEMBER_JOINED]: this.onMemberJoined,
      [COMMUNITY_MEMBER_LEFT]: this.onMemberLeft,
      [COMMUNITY_MEMBER_ROLE_CHANGED]: this.onMemberRoleChanged,
    };
  }

  /**
   * For a new community-wide channel: the creator must be the community's owner or an admin (as far as
   * messaging has heard) or a platform admin. Returns the community's active members to add.
   */
  async communityWideMembers(manager: EntityManager, viewer: Viewer, communityId: string): Promise<string[]> {
    const rows: { user_id: string; role: string }[] = await manager.query(
      `SELECT user_id, role FROM "messaging".community_members WHERE community_id = $1 AND active`,
      [communityId],
    );
    const mine = rows.find((r) => r.user_id === viewer.userId);
    if (!hasRole(viewer, 'ADMIN') && !(mine && (mine.role === 'OWNER' || mine.role === 'ADMIN')))
      throw new ForbiddenError(
        'Only the community’s owner and admins (or platform admins) create community-wide channels.',
      );
    return rows.map((r) => r.user_id);
  }
}
