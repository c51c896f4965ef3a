import { randomBytes, randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ForbiddenError,
  hasRole,
  paginate,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  COMMUNITY_CREATED,
  COMMUNITY_MEMBER_JOINED,
  COMMUNITY_UPDATED,
  recordCommunityEvent,
} from '../../common/community-events.js';
import { LimitReachedError, SlugTakenError } from '../../common/community.errors.js';
import {
  assertSlug,
  assertUuid,
  isUniqueViolation,
  isUuid,
  slugify,
  stringList,
  text,
} from '../../common/validation.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import type { CommunityVisibility, JoinPolicy, PostingPolicy } from '../access/permissions.js';
import { MembershipEntity } from '../membership/membership.entity.js';
import { CommunityEntity } from './community.entity.js';

export const MAX_CATEGORIES = 5;
export const MAX_DESCRIPTION = 2000;

export type CommunityFields = {
  name?: string | null;
  slug?: string | null;
  description?: string | null;
  coverAssetId?: string | null;
  visibility?: CommunityVisibility | null;
  joinPolicy?: JoinPolicy | null;
  postingPolicy?: PostingPolicy | null;
  categories?: string[] | null;
  location?: { latitude: number; longitude: number; placeName?: string | null } | null;
};

export type CommunityFilter = {
  mine?: boolean | null;
  search?: string | null;
  category?: string | null;
  visibility?: CommunityVisibility | null;
  ownerId?: string | null;
  within?: { south: number; west: number; north: number; east: number } | null;
};

function coordinate(value: number, field: string, limit: number): number {
  if (!Number.isFinite(value) || value < -limit || value > limit)
    throw new BadUserInputError(`"${field}" must be between -${limit} and ${limit}.`, field);
  return value;
}

/** Communities: creation (the creator becomes the OWNER member), profile edits, lookup and discovery. */
export class CommunityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
    private readonly options: { maxOwned: number },
  ) {}

  /** The community by id or slug when the viewer may see it (private ones are hidden from outsiders), else null. */
  async find(
    viewer: Viewer | null,
    key: { id?: string | null; slug?: string | null },
  ): Promise<CommunityEntity | null> {
    if (!key.id === !key.slug) throw new BadUserInputError('Pass exactly one of "id" and "slug".', 'id');
    const repo = this.dataSource.getRepository(CommunityEntity);
    let community: CommunityEntity | null;
    if (key.id) {
      if (!isUuid(key.id)) return null;
      community = await repo.findOneBy({ id: key.id });
    } else {
      community = await repo.findOneBy({ slug: (key.slug ?? '').trim().toLowerCase() });
    }
    if (!community) return null;
    const membership = await this.access.membership(viewer, community.id);
    return this.access.evaluate(viewer, community, membership, null).canSee ? community : null;
  }

  /**
   * Discovery, newest first: public live communities plus the viewer's own (active, requested or
   * invited); platform admins see every community. `mine` keeps only the viewer's, archived ones included.
   */
  async list(
    viewer: Viewer | null,
    filter: CommunityFilter,
    args: ConnectionArgs,
  ): Promise<Connection<CommunityEntity>> {
    const qb = this.dataSource.getRepository(CommunityEntity).createQueryBuilder('c');
    const memberOf = `EXISTS (SELECT 1 FROM "community".memberships vm WHERE vm.community_id = c.id
      AND vm.user_id = :viewerId AND vm.status IN ('ACTIVE', 'PENDING', 'INVITED'))`;
    if (filter.mine) {
      if (!viewer) throw new ForbiddenError('Sign in to list your communities.');
      qb.where(memberOf, { viewerId: viewer.userId });
    } else if (hasRole(viewer, 'ADMIN')) {
      qb.where('c.archived_at IS NULL');
    } else if (viewer) {
      qb.where(`((c.visibility = 'PUBLIC' AND c.archived_at IS NULL) OR ${memberOf})`, {
        viewerId: viewer.userId,
      });
    } else {
      qb.where(`c.visibility = 'PUBLIC' AND c.archived_at IS NULL`);
    }
    if (filter.visibility) qb.andWhere('c.visibility = :visibility', { visibility: filter.visibility });
    if (filter.ownerId)
      qb.andWhere('c.owner_id = :ownerId', { ownerId: assertUuid(filter.ownerId, 'ownerId') });
    if (filter.category) qb.andWhere(':category = ANY(c.categories)', { category: filter.category.trim() });
    if (filter.search) {
      const search = text(filter.search, 'search', 1, 100).replace(/[\\%_]/g, (c) => `\\${c}`);
      qb.andWhere('(c.name ILIKE :search OR c.description ILIKE :search)', { search: `%${search}%` });
    }
    if (filter.within) {
      const south = coordinate(filter.within.south, 'within.south', 90);
      const north = coordinate(filter.within.north, 'within.north', 90);
      const west = coordinate(filter.within.west, 'within.west', 180);
      const east = coordinate(filter.within.east, 'within.east', 180);
      if (south > north)
        throw new BadUserInputError('"within.south" must not be above "within.north".', 'within');
      qb.andWhere('c.location_latitude BETWEEN :south AND :north', { south, north });
      qb.andWhere(
        west <= east
          ? 'c.location_longitude BETWEEN :west AND :east'
          : '(c.location_longitude >= :west OR c.location_longitude <= :east)',
        { west, east },
      );
    }
    return paginate(qb, args, { alias: 'c', sortBy: 'createdAt', direction: 'DESC' });
  }

  private apply(fields: CommunityFields, community: CommunityEntity): void {
    if (fields.name !== undefined && fields.name !== null) community.name = text(fields.name, 'name', 3, 80);
    if (fields.description !== undefined && fields.description !== null)
      community.description = text(fields.description, 'description', 0, MAX_DESCRIPTION);
    if (fields.slug !== undefined && fields.slug !== null) community.slug = assertSlug(fields.slug);
    if (fields.coverAssetId !== undefined)
      community.coverAssetId =
        fields.coverAssetId === null ? null : assertUuid(fields.coverAssetId, 'coverAssetId');
    if (fields.visibility) community.visibility = fields.visibility;
    if (fields.joinPolicy) community.joinPolicy = fields.joinPolicy;
    if (fields.postingPolicy) community.postingPolicy = fields.postingPolicy;
    if (fields.categories)
      community.categories = stringList(fields.categories, 'categories', MAX_CATEGORIES, 40);
    if (fields.location !== undefined) {
      const location = fields.location;
      community.locationLatitude = location ? coordinate(location.latitude, 'location.latitude', 90) : null;
      community.locationLongitude = location
        ? coordinate(location.longitude, 'location.longitude', 180)
        : null;
      community.locationName =
        location?.placeName !== undefined && location.placeName !== null
          ? text(location.placeName, 'location.placeName', 1, 120)
          : null;
    }
    if (community.visibility === 'PRIVATE' && community.joinPolicy === 'OPEN') {
      // A private community nobody can see cannot be open to anyone: explicit OPEN is an error, the default follows.
      if (fields.joinPolicy === 'OPEN')
        throw new BadUserInputError(
          'A private community cannot be OPEN; use APPROVAL or INVITE_ONLY.',
          'joinPolicy',
        );
      community.joinPolicy = 'APPROVAL';
    }
  }

  /** A new community owned by the viewer, who becomes its ACTIVE OWNER member. */
  async create(viewer: Viewer, fields: CommunityFields & { name: string }): Promise<CommunityEntity> {
    const now = this.clock.now();
    const community = Object.assign(new CommunityEntity(), {
      id: randomUUID(),
      ownerId: viewer.userId,
      name: '',
      slug: '',
      description: '',
      coverAssetId: null,
      visibility: 'PUBLIC',
      joinPolicy: fields.visibility === 'PRIVATE' ? 'APPROVAL' : 'OPEN',
      postingPolicy: 'ALL_MEMBERS',
      categories: [],
      locationLatitude: null,
      locationLongitude: null,
      locationName: null,
      memberCount: 1,
      createdAt: now,
      updatedAt: now,
      archivedAt: null,
    } satisfies CommunityEntity);
    this.apply(fields, community);
    const explicitSlug = Boolean(fields.slug);
    if (!explicitSlug) community.slug = slugify(community.name);
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.dataSource.transaction(async (manager) => {
          await this.assertOwnedBelowLimit(manager, viewer);
          await manager.getRepository(CommunityEntity).insert(community);
          const membership = Object.assign(new MembershipEntity(), {
            id: randomUUID(),
            communityId: community.id,
            userId: viewer.userId,
            role: 'OWNER',
            customRoleId: null,
            status: 'ACTIVE',
            timeZone: 'UTC',
            joinedAt: now,
            requestedAt: null,
            leftAt: null,
            bannedAt: null,
            banReason: null,
            mutedUntil: null,
            invitedById: null,
            inviteId: null,
            createdAt: now,
            updatedAt: now,
          } satisfies MembershipEntity);
          await manager.getRepository(MembershipEntity).insert(membership);
          await recordCommunityEvent(manager, COMMUNITY_CREATED, {
            communityId: community.id,
            ownerId: viewer.userId,
            name: community.name,
            slug: community.slug,
            visibility: community.visibility,
            createdAt: now.toISOString(),
          });
          await recordCommunityEvent(manager, COMMUNITY_MEMBER_JOINED, {
            communityId: community.id,
            userId: viewer.userId,
            membershipId: membership.id,
            role: 'OWNER',
            joinedAt: now.toISOString(),
          });
          return community;
        });
      } catch (error) {
        if (!isUniqueViolation(error, 'uq_communities_slug')) throw error;
        if (explicitSlug || attempt >= 4) throw new SlugTakenError(community.slug);
        community.slug = `${slugify(community.name).slice(0, 50)}-${randomBytes(3).toString('hex')}`;
      }
    }
  }

  private async assertOwnedBelowLimit(manager: EntityManager, viewer: Viewer): Promise<void> {
    // Serialises one owner's concurrent creations so the cap holds.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('community-owner:' || $1))`, [viewer.userId]);
    const owned = await manager
      .getRepository(CommunityEntity)
      .createQueryBuilder('c')
      .where('c.owner_id = :me AND c.archived_at IS NULL', { me: viewer.userId })
      .getCount();
    if (owned >= this.options.maxOwned)
      throw new LimitReachedError(
        `You can own at most ${this.options.maxOwned} communities.`,
        this.options.maxOwned,
      );
  }

  /** Profile and policy edits (COMMUNITY_UPDATE: admins and the owner). */
  async update(viewer: Viewer, communityId: string, fields: CommunityFields): Promise<CommunityEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const { community } = await this.access.require(viewer, communityId, 'COMMUNITY_UPDATE', {
          manager,
          lockCommunity: true,
        });
        this.apply(fields, community);
        community.updatedAt = this.clock.now();
        await manager.getRepository(CommunityEntity).save(community);
        await recordCommunityEvent(manager, COMMUNITY_UPDATED, {
          communityId: community.id,
          name: community.name,
          slug: community.slug,
          visibility: community.visibility,
          archived: community.archivedAt !== null,
          updatedAt: community.updatedAt.toISOString(),
        });
        return community;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_communities_slug'))
        throw new SlugTakenError(assertSlug(fields.slug ?? ''));
      throw error;
    }
  }
}
