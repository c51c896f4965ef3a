import { hasRole, NotFoundError, UnauthenticatedError, type Viewer } from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { CommunityArchivedError, CommunityForbiddenError } from '../../common/community.errors.js';
import { isUuid } from '../../common/validation.js';
import { CommunityEntity } from '../community/community.entity.js';
import { CommunityRoleEntity, MembershipEntity } from '../membership/membership.entity.js';
import {
  actingRank,
  ARCHIVED_PERMISSIONS,
  canReadContent,
  canSeeCommunity,
  effectivePermissions,
  isMuted,
  memberRank,
  MUTED_PERMISSIONS,
  type CommunityPermission,
} from './permissions.js';

/** What the viewer is in one community and what they may do there (see `CommunityAccess`). */
export type CommunityAccessContext = {
  viewer: Viewer | null;
  community: CommunityEntity;
  /** The viewer's membership row in any status (null for anonymous viewers and non-members). */
  membership: MembershipEntity | null;
  customRole: CommunityRoleEntity | null;
  permissions: ReadonlySet<CommunityPermission>;
  /** 4 owner, 3.5 platform admin, 3 admin, 2 moderator, 1.5 member with a custom role, 1 member, 0 none. */
  rank: number;
  /** The profile is visible (PRIVATE communities are hidden from outsiders). */
  canSee: boolean;
  /** The content is readable (CONTENT_READ). */
  canRead: boolean;
  platformAdmin: boolean;
  has(permission: CommunityPermission): boolean;
};

export type RequireOptions = {
  /** Read through this transaction's manager (and lock when asked). */
  manager?: EntityManager;
  /** Lock the community row (`FOR UPDATE`) in `manager`'s transaction, e.g. before counting members. */
  lockCommunity?: boolean;
  /** Lock the viewer's membership row (`FOR UPDATE`) in `manager`'s transaction. */
  lockMembership?: boolean;
  /** Resolve a PRIVATE community for an outsider too (e.g. to ask to join it); `canSee` tells the truth. */
  includeHidden?: boolean;
};

/**
 * The one place that decides who may do what in a community. Every module calls it:
 *
 * - `require(viewer, communityId, permission)` before a change — returns the context or throws
 *   UNAUTHENTICATED (signed out), NOT_FOUND (missing, or private and the viewer is an outsider),
 *   COMMUNITY_ARCHIVED (a change to an archived community) or FORBIDDEN with `extensions.reason`
 *   (`NOT_MEMBER`, `PENDING`, `INVITED`, `BANNED`, `MUTED`, `MISSING_PERMISSION`) and `extensions.permission`;
 * - `requireOver(context, target)` when acting on another member — FORBIDDEN (`RANK`) unless the actor
 *   outranks the target (owner > admin > moderator > member; platform admins above admins);
 * - `evaluate(...)` / `canRead(...)` for reads; in resolvers prefer `accessInRequest` (request-access.ts),
 *   which loads through the request's DataLoaders.
 */
export class CommunityAccess {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  // --- loading (also behind the request DataLoaders) ---

  async communitiesByIds(ids: readonly string[]): Promise<CommunityEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(CommunityEntity).findBy({ id: In(valid) });
  }

  /** Memberships for `communityId|userId` keys. */
  async membershipsByKeys(keys: readonly string[]): Promise<MembershipEntity[]> {
    const pairs = keys.map((k) => k.split('|')).filter((p): p is [string, string] => p.length === 2);
    const valid = pairs.filter(([c, u]) => isUuid(c) && isUuid(u));
    if (valid.length === 0) return [];
    return this.dataSource
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .where(
        '(m.community_id, m.user_id) IN (SELECT * FROM unnest(CAST(:communities AS uuid[]), CAST(:users AS uuid[])))',
        { communities: valid.map(([c]) => c), users: valid.map(([, u]) => u) },
      )
      .getMany();
  }

  async customRolesByIds(ids: readonly string[]): Promise<CommunityRoleEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(CommunityRoleEntity).findBy({ id: In(valid) });
  }

  /** The user's membership row in any status, or null. */
  async membership(
    viewer: Viewer | string | null,
    communityId: string,
    options: RequireOptions = {},
  ): Promise<MembershipEntity | null> {
    const userId = typeof viewer === 'string' ? viewer : viewer?.userId;
    if (!userId || !isUuid(communityId)) return null;
    const manager = options.manager ?? this.dataSource.manager;
    const qb = manager
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .where('m.community_id = :communityId AND m.user_id = :userId', { communityId, userId });
    if (options.lockMembership && options.manager) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  // --- deciding ---

  /** The access context from loaded rows (no I/O). */
  evaluate(
    viewer: Viewer | null,
    community: CommunityEntity,
    membership: MembershipEntity | null,
    customRole: CommunityRoleEntity | null,
  ): CommunityAccessContext {
    const platformAdmin = hasRole(viewer, 'ADMIN');
    const own = viewer && membership && membership.userId === viewer.userId ? membership : null;
    const role = own?.customRoleId && customRole?.id === own.customRoleId ? customRole : null;
    const input = { community, membership: own, platformAdmin };
    const permissions = effectivePermissions({
      ...input,
      customPermissions: role?.permissions ?? [],
      now: this.clock.now(),
    });
    return {
      viewer,
      community,
      membership: own,
      customRole: role,
      permissions,
      rank: actingRank(own, platformAdmin),
      canSee: canSeeCommunity(input),
      canRead: canReadContent(input),
      platformAdmin,
      has: (permission) => permissions.has(permission),
    };
  }

  /**
   * Loads the community, the viewer's membership and custom role, and evaluates them. NOT_FOUND when
   * the community does not exist or is hidden from the viewer.
   */
  async resolve(
    viewer: Viewer | null,
    communityId: string,
    options: RequireOptions = {},
  ): Promise<CommunityAccessContext> {
    if (!isUuid(communityId)) throw new NotFoundError('Community');
    const manager = options.manager ?? this.dataSource.manager;
    const qb = manager
      .getRepository(CommunityEntity)
      .createQueryBuilder('c')
      .where('c.id = :communityId', { communityId });
    if (options.lockCommunity && options.manager) qb.setLock('pessimistic_write');
    const community = await qb.getOne();
    if (!community) throw new NotFoundError('Community');
    const membership = await this.membership(viewer, communityId, options);
    const customRole = membership?.customRoleId
      ? await manager.getRepository(CommunityRoleEntity).findOneBy({ id: membership.customRoleId })
      : null;
    const context = this.evaluate(viewer, community, membership, customRole);
    if (!context.canSee && !options.includeHidden) throw new NotFoundError('Community');
    return context;
  }

  /** Whether the viewer may read the community's content (false when missing or hidden). */
  async canRead(viewer: Viewer | null, communityId: string): Promise<boolean> {
    try {
      return (await this.resolve(viewer, communityId)).canRead;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** The context when the viewer holds `permission`; otherwise the typed error explaining why not. */
  async require(
    viewer: Viewer | null,
    communityId: string,
    permission: CommunityPermission,
    options: RequireOptions = {},
  ): Promise<CommunityAccessContext> {
    if (!viewer && permission !== 'CONTENT_READ') throw new UnauthenticatedError();
    const context = await this.resolve(viewer, communityId, options);
    this.assert(context, permission);
    return context;
  }

  /** Throws the typed error for a context without `permission` (see the class comment). */
  assert(context: CommunityAccessContext, permission: CommunityPermission): void {
    if (context.has(permission)) return;
    const { membership, community } = context;
    if (permission === 'CONTENT_READ') {
      if (membership?.status === 'BANNED')
        throw new CommunityForbiddenError('You are banned from this community.', 'BANNED', permission);
      throw new CommunityForbiddenError(
        'Only members can read this private community.',
        membership?.status === 'PENDING'
          ? 'PENDING'
          : membership?.status === 'INVITED'
            ? 'INVITED'
            : 'NOT_MEMBER',
        permission,
      );
    }
    if (!context.viewer) throw new UnauthenticatedError();
    if (community.archivedAt !== null && !ARCHIVED_PERMISSIONS.includes(permission))
      throw new CommunityArchivedError();
    switch (membership?.status ?? null) {
      case 'BANNED':
        throw new CommunityForbiddenError('You are banned from this community.', 'BANNED', permission);
      case 'PENDING':
        throw new CommunityForbiddenError(
          'Your request to join this community is waiting for approval.',
          'PENDING',
          permission,
        );
      case 'INVITED':
        throw new CommunityForbiddenError(
          'Accept the invitation to join this community first.',
          'INVITED',
          permission,
        );
      case 'ACTIVE':
        break;
      default:
        throw new CommunityForbiddenError('Join this community to do this.', 'NOT_MEMBER', permission);
    }
    if (membership && isMuted(membership, this.clock.now()) && MUTED_PERMISSIONS.includes(permission))
      throw new CommunityForbiddenError(
        `You are muted in this community until ${membership.mutedUntil?.toISOString() ?? ''}.`,
        'MUTED',
        permission,
      );
    throw new CommunityForbiddenError(
      `Your role in this community does not allow this (${permission}).`,
      'MISSING_PERMISSION',
      permission,
    );
  }

  /**
   * For actions on another member (ban, remove, mute, role changes): the actor must outrank the
   * target's role. FORBIDDEN (`RANK`) otherwise, and for acting on oneself.
   */
  requireOver(
    context: CommunityAccessContext,
    target: Pick<MembershipEntity, 'userId' | 'role' | 'status' | 'customRoleId'>,
  ): void {
    if (context.viewer?.userId === target.userId)
      throw new CommunityForbiddenError('You cannot do this to yourself.', 'RANK', null);
    if (context.rank <= memberRank(target))
      throw new CommunityForbiddenError(
        `Only someone above a ${target.role.toLowerCase()} can do this to them.`,
        'RANK',
        null,
      );
  }
}
