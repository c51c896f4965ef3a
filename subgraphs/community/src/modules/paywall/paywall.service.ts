import { randomUUID } from 'node:crypto';
import { NotFoundError, type Viewer } from '@edugraph/kit';
import { In, IsNull, QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { assertUuid, intInRange, isUuid, stringList, text } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import { PaywallTierEntity } from './paywall.entity.js';
import { TierArchivedError, TierLimitReachedError, TierNameTakenError } from './paywall.errors.js';

/** Live (not archived) tiers one community may have. */
export const MAX_LIVE_TIERS = 20;
/** Tiers listed at most (live and, for managers, archived ones). */
export const MAX_LISTED_TIERS = 100;

export type CreateTierInput = {
  communityId: string;
  name: string;
  description?: string | null;
  rank: number;
  benefits?: string[] | null;
};

export type UpdateTierInput = {
  tierId: string;
  name?: string | null;
  description?: string | null;
  rank?: number | null;
  benefits?: string[] | null;
};

function isNameTaken(error: unknown): boolean {
  return error instanceof QueryFailedError && /uq_paywall_tiers_name/.test(error.message);
}

/**
 * Paid tiers of a community (TIER_MANAGE: admins and the owner): name (unique among live tiers,
 * case-insensitively), description, rank (1–100: a grant of a tier opens content gated on tiers of
 * the same or a lower rank), benefits. Prices live in commerce (`setProductPrice(kind: COMMUNITY_TIER,
 * refId: tierId)`), which asks this subgraph who may sell a tier (`POST /internal/commerce/seller`).
 * Archiving is final: the tier is no longer offered, its grants run until their subscriptions end.
 */
export class PaywallService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
  ) {}

  async create(viewer: Viewer, input: CreateTierInput): Promise<PaywallTierEntity> {
    const communityId = assertUuid(input.communityId, 'communityId');
    const fields = {
      name: text(input.name, 'name', 1, 80),
      description: input.description ? text(input.description, 'description', 0, 2000) : '',
      rank: intInRange(input.rank, 'rank', 1, 100),
      benefits: stringList(input.benefits ?? [], 'benefits', 20, 200),
    };
    return this.dataSource.transaction(async (manager) => {
      // Locking the community serialises tier creation, so the live-tier limit holds.
      const context = await this.access.require(viewer, communityId, 'TIER_MANAGE', {
        manager,
        lockCommunity: true,
      });
      const live = await manager
        .getRepository(PaywallTierEntity)
        .countBy({ communityId: context.community.id, archivedAt: IsNull() });
      if (live >= MAX_LIVE_TIERS) throw new TierLimitReachedError(MAX_LIVE_TIERS);
      const now = this.clock.now();
      const tier = manager.getRepository(PaywallTierEntity).create({
        id: randomUUID(),
        communityId: context.community.id,
        ...fields,
        createdById: viewer.userId,
        archivedAt: null,
        createdAt: now,
        updatedAt: now,
      });
      await this.save(manager, tier, fields.name);
      return tier;
    });
  }

  async update(viewer: Viewer, input: UpdateTierInput): Promise<PaywallTierEntity> {
    const tierId = assertUuid(input.tierId, 'tierId');
    const changes: Partial<PaywallTierEntity> = {};
    if (input.name !== undefined && input.name !== null) changes.name = text(input.name, 'name', 1, 80);
    if (input.description !== undefined && input.description !== null)
      changes.description = text(input.description, 'description', 0, 2000);
    if (input.rank !== undefined && input.rank !== null)
      changes.rank = intInRange(input.rank, 'rank', 1, 100);
    if (input.benefits !== undefined && input.benefits !== null)
      changes.benefits = stringList(input.benefits, 'benefits', 20, 200);
    return this.dataSource.transaction(async (manager) => {
      const { tier } = await this.lockManaged(viewer, manager, tierId);
      if (tier.archivedAt) throw new TierArchivedError();
      Object.assign(tier, changes, { updatedAt: this.clock.now() });
      await this.save(manager, tier, tier.name);
      return tier;
    });
  }

  /** Archives a tier (idempotent): no longer listed to members, its grants stay until they end. */
  async archive(viewer: Viewer, tierIdInput: string): Promise<PaywallTierEntity> {
    const tierId = assertUuid(tierIdInput, 'tierId');
    return this.dataSource.transaction(async (manager) => {
      const { tier } = await this.lockManaged(viewer, manager, tierId);
      if (tier.archivedAt) return tier;
      const now = this.clock.now();
      Object.assign(tier, { archivedAt: now, updatedAt: now });
      await manager.getRepository(PaywallTierEntity).save(tier);
      return tier;
    });
  }

  private async save(manager: EntityManager, tier: PaywallTierEntity, name: string): Promise<void> {
    try {
      // A savepoint: a name clash must not abort the transaction before the typed error is thrown.
      await manager.transaction((inner) => inner.getRepository(PaywallTierEntity).save(tier));
    } catch (error) {
      if (isNameTaken(error)) throw new TierNameTakenError(name);
      throw error;
    }
  }

  /** The tier, locked, after TIER_MANAGE in its community; NOT_FOUND when missing or hidden. */
  private async lockManaged(
    viewer: Viewer,
    manager: EntityManager,
    tierId: string,
  ): Promise<{ tier: PaywallTierEntity; context: CommunityAccessContext }> {
    const tier = await manager
      .getRepository(PaywallTierEntity)
      .findOne({ where: { id: tierId }, lock: { mode: 'pessimistic_write' } });
    if (!tier) throw new NotFoundError('Tier');
    const context = await this.access.require(viewer, tier.communityId, 'TIER_MANAGE', { manager });
    return { tier, context };
  }

  // --- reads (behind the request DataLoaders) ---

  async byIds(ids: readonly string[]): Promise<PaywallTierEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(PaywallTierEntity).findBy({ id: In(valid) });
  }

  /**
   * Tiers of several communities in one statement, by rank then creation, at most `MAX_LISTED_TIERS`
   * each (archived ones only when asked).
   */
  async ofCommunities(
    communityIds: readonly string[],
    includeArchived: boolean,
  ): Promise<PaywallTierEntity[]> {
    const valid = communityIds.filter(isUuid);
    if (valid.length === 0) return [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT t.id FROM unnest($1::uuid[]) AS c(id)
       CROSS JOIN LATERAL (
         SELECT id, rank, created_at FROM "community".paywall_tiers
         WHERE community_id = c.id AND ($2 OR archived_at IS NULL)
         ORDER BY rank, created_at, id LIMIT $3
       ) t`,
      [valid, includeArchived, MAX_LISTED_TIERS],
    );
    const tiers = await this.byIds(rows.map((r) => r.id));
    return tiers.sort(
      (a, b) => a.rank - b.rank || a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1),
    );
  }

  /** Who may sell a tier in commerce: the community's owner (`null`: no such tier). */
  async sellerOf(tierId: string): Promise<{ ownerIds: string[]; title: string } | null> {
    if (!isUuid(tierId)) return null;
    const rows: { owner_id: string; name: string; community_name: string }[] = await this.dataSource.query(
      `SELECT c.owner_id, t.name, c.name AS community_name FROM "community".paywall_tiers t
       JOIN "community".communities c ON c.id = t.community_id
       WHERE t.id = $1 AND t.archived_at IS NULL`,
      [tierId],
    );
    const [row] = rows;
    return row ? { ownerIds: [row.owner_id], title: `${row.community_name} — ${row.name}` } : null;
  }
}
