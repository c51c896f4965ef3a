import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { NotFoundError, paginate, type Connection, type ConnectionArgs, type Viewer } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  AlreadyMemberError,
  CommunityArchivedError,
  LimitReachedError,
  MemberBannedError,
} from '../../common/community.errors.js';
import { assertTimeZone, assertUuid, intInRange } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import { CommunityEntity } from '../community/community.entity.js';
import {
  InviteExhaustedError,
  InviteExpiredError,
  InviteInvalidError,
  InviteRevokedError,
} from './membership.errors.js';
import { CommunityInviteEntity, type MembershipEntity } from './membership.entity.js';
import type { MembershipService } from './membership.service.js';

export const DEFAULT_INVITE_HOURS = 7 * 24;
export const MAX_INVITE_HOURS = 30 * 24;
export const MAX_OPEN_INVITES = 50;

export type InviteState = 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'EXHAUSTED';

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Invite links: a 32-character random token shown once, stored as its SHA-256. Joining through a link
 * makes an ACTIVE member even of a private or invite-only community; banned users cannot, members do
 * not use it up, and the use limit holds under concurrency (one conditional UPDATE per use).
 */
export class InviteLinkService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly memberships: MembershipService,
    private readonly clock: Clock,
  ) {}

  stateOf(invite: CommunityInviteEntity): InviteState {
    if (invite.revokedAt) return 'REVOKED';
    if (invite.expiresAt <= this.clock.now()) return 'EXPIRED';
    if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'EXHAUSTED';
    return 'ACTIVE';
  }

  /** A new link (MEMBER_INVITE): valid 1–720 hours (default 168), optionally 1–10,000 uses. */
  async create(
    viewer: Viewer,
    communityId: string,
    options: { expiresInHours?: number | null; maxUses?: number | null },
  ): Promise<{ invite: CommunityInviteEntity; token: string }> {
    const hours = intInRange(
      options.expiresInHours ?? DEFAULT_INVITE_HOURS,
      'expiresInHours',
      1,
      MAX_INVITE_HOURS,
    );
    const maxUses =
      options.maxUses === undefined || options.maxUses === null
        ? null
        : intInRange(options.maxUses, 'maxUses', 1, 10_000);
    return this.dataSource.transaction(async (manager) => {
      const { community } = await this.access.require(viewer, communityId, 'MEMBER_INVITE', {
        manager,
        lockCommunity: true,
      });
      const now = this.clock.now();
      const open = await manager
        .getRepository(CommunityInviteEntity)
        .createQueryBuilder('i')
        .where('i.community_id = :id AND i.revoked_at IS NULL AND i.expires_at > :now', {
          id: community.id,
          now,
        })
        .andWhere('(i.max_uses IS NULL OR i.uses < i.max_uses)')
        .getCount();
      if (open >= MAX_OPEN_INVITES)
        throw new LimitReachedError(
          `A community has at most ${MAX_OPEN_INVITES} open invite links.`,
          MAX_OPEN_INVITES,
        );
      const token = randomBytes(24).toString('base64url');
      const invite = Object.assign(new CommunityInviteEntity(), {
        id: randomUUID(),
        communityId: community.id,
        tokenHash: hash(token),
        tokenHint: token.slice(0, 6),
        createdById: viewer.userId,
        expiresAt: new Date(now.getTime() + hours * 3_600_000),
        maxUses,
        uses: 0,
        revokedAt: null,
        createdAt: now,
      } satisfies CommunityInviteEntity);
      await manager.getRepository(CommunityInviteEntity).insert(invite);
      return { invite, token };
    });
  }

  /** Revokes a link (MEMBER_INVITE in its community); revoking twice changes nothing. */
  async revoke(viewer: Viewer, inviteId: string): Promise<CommunityInviteEntity> {
    return this.dataSource.transaction(async (manager) => {
      const invite = await manager
        .getRepository(CommunityInviteEntity)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.id = :id', { id: assertUuid(inviteId, 'inviteId') })
        .getOne();
      if (!invite) throw new NotFoundError('Invite link');
      await this.access
        .require(viewer, invite.communityId, 'MEMBER_INVITE', { manager })
        .catch((error: unknown) => {
          throw error instanceof NotFoundError ? new NotFoundError('Invite link') : error;
        });
      if (!invite.revokedAt) {
        invite.revokedAt = this.clock.now();
        await manager.getRepository(CommunityInviteEntity).save(invite);
      }
      return invite;
    });
  }

  /** The link and its community for a token, whatever its state (null for an unknown token). */
  async preview(
    token: string,
  ): Promise<{ invite: CommunityInviteEntity; community: CommunityEntity } | null> {
    if (token.length < 16 || token.length > 64) return null;
    const invite = await this.dataSource
      .getRepository(CommunityInviteEntity)
      .findOneBy({ tokenHash: hash(token) });
    if (!invite) return null;
    const community = await this.dataSource
      .getRepository(CommunityEntity)
      .findOneByOrFail({ id: invite.communityId });
    return { invite, community };
  }

  /**
   * Joins through a link: INVITE_INVALID (unknown token), INVITE_REVOKED, INVITE_EXPIRED,
   * INVITE_EXHAUSTED, MEMBER_BANNED, ALREADY_MEMBER (no use counted), COMMUNITY_ARCHIVED.
   */
  async join(
    viewer: Viewer,
    token: string,
    options: { timeZone?: string | null } = {},
  ): Promise<MembershipEntity> {
    const timeZone = options.timeZone ? assertTimeZone(options.timeZone) : null;
    if (token.length < 16 || token.length > 64) throw new InviteInvalidError();
    return this.dataSource.transaction(async (manager) => {
      const invite = await manager.getRepository(CommunityInviteEntity).findOneBy({ tokenHash: hash(token) });
      if (!invite) throw new InviteInvalidError();
      const community = await manager
        .getRepository(CommunityEntity)
        .findOneByOrFail({ id: invite.communityId });
      if (community.archivedAt) throw new CommunityArchivedError();
      const { row } = await this.memberships.lockRow(manager, community.id, viewer.userId);
      if (row.status === 'BANNED') throw new MemberBannedError();
      if (row.status === 'ACTIVE') throw new AlreadyMemberError();
      const now = this.clock.now();
      const used: unknown[] = await manager.query(
        `WITH used AS (
           UPDATE "community".community_invites SET uses = uses + 1
           WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2 AND (max_uses IS NULL OR uses < max_uses)
           RETURNING id
         ) SELECT id FROM used`,
        [invite.id, now],
      );
      if (used.length === 0) {
        const current = await manager.getRepository(CommunityInviteEntity).findOneByOrFail({ id: invite.id });
        const state = this.stateOf(current);
        if (state === 'REVOKED') throw new InviteRevokedError();
        if (state === 'EXPIRED') throw new InviteExpiredError(current.expiresAt);
        throw new InviteExhaustedError(current.maxUses ?? 0);
      }
      if (timeZone) row.timeZone = timeZone;
      await this.memberships.activate(manager, row, { invitedById: invite.createdById, inviteId: invite.id });
      return row;
    });
  }

  /** A community's links, newest first (MEMBER_INVITE). */
  async list(
    context: CommunityAccessContext,
    args: ConnectionArgs,
  ): Promise<Connection<CommunityInviteEntity>> {
    this.access.assert(context, 'MEMBER_INVITE');
    const qb = this.dataSource
      .getRepository(CommunityInviteEntity)
      .createQueryBuilder('i')
      .where('i.community_id = :id', { id: context.community.id });
    return paginate(qb, args, { alias: 'i', sortBy: 'createdAt', direction: 'DESC' });
  }
}
