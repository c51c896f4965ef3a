import type { DataSource, EntityManager } from 'typeorm';

const S = '"community"';

/**
 * Which paid tiers open content for whom (`services.tierAccess`). A member holds the tiers of their
 * ACTIVE grants and — tiers being ranked — every tier of the same community ranked at or below one
 * of them (archived ones included, so content gated on a retired tier stays open to higher tiers).
 * Managers (rank ≥ moderator), authors and platform admins bypass gating in the feed's own rules;
 * this service only answers for grants. One SQL statement per call, whatever the number of users.
 */
export class TierAccessService {
  constructor(private readonly dataSource: DataSource) {}

  async grantedTierIds(communityId: string, userId: string, manager?: EntityManager): Promise<Set<string>> {
    const map = await this.grantedTierIdsForUsers(communityId, [userId], manager);
    return map.get(userId) ?? new Set<string>();
  }

  async grantedTierIdsForUsers(
    communityId: string,
    userIds: readonly string[],
    manager?: EntityManager,
  ): Promise<Map<string, Set<string>>> {
    const result = new Map<string, Set<string>>(userIds.map((id) => [id, new Set<string>()]));
    if (userIds.length === 0) return result;
    const rows: { user_id: string; tier_id: string }[] = await (manager ?? this.dataSource).query(
      `SELECT DISTINCT g.user_id, opened.id AS tier_id
         FROM ${S}.tier_grants g
         JOIN ${S}.paywall_tiers held ON held.id = g.tier_id
         JOIN ${S}.paywall_tiers opened
           ON opened.community_id = held.community_id AND opened.rank <= held.rank
        WHERE g.community_id = $1 AND g.user_id = ANY($2::uuid[]) AND g.status = 'ACTIVE'`,
      [communityId, [...new Set(userIds)]],
    );
    for (const row of rows) result.get(row.user_id)?.add(row.tier_id);
    return result;
  }

  /** The tiers a member holds directly (their ACTIVE grants), for `viewerTiers`. */
  async heldTierIds(communityId: string, userId: string): Promise<string[]> {
    const rows: { tier_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT tier_id FROM ${S}.tier_grants
        WHERE community_id = $1 AND user_id = $2 AND status = 'ACTIVE'`,
      [communityId, userId],
    );
    return rows.map((r) => r.tier_id);
  }
}
