import type { DataSource, EntityManager } from 'typeorm';

const S = '"community"';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
    const valid = [...new Set(userIds)].filter((id) => UUID.test(id));
    if (valid.length === 0 || !UUID.test(communityId)) return result;
    const rows: { user_id: string; tier_id: string }[] = await (manager ?? this.dataSource).query(
      `SELECT DISTINCT g.user_id, opened.id AS tier_id
         FROM ${S}.tier_grants g
         JOIN ${S}.paywall_tiers held ON held.id = g.tier_id
         JOIN ${S}.paywall_tiers opened
           ON opened.community_id = held.community_id AND opened.rank <= held.rank
        WHERE g.community_id = $1 AND g.user_id = ANY($2::uuid[]) AND g.status = 'ACTIVE'`,
      [communityId, valid],
    );
    for (const row of rows) result.get(row.user_id)?.add(row.tier_id);
    return result;
  }

  /**
   * The tiers members hold directly (their ACTIVE grants), for `communityId|userId` keys — one statement
   * for any number of keys (`viewerTiers`, `CommunityMembership.tiers`).
   */
  async heldTierIdsByKeys(keys: readonly string[]): Promise<Map<string, string[]>> {
    const pairs = keys.map((k) => k.split('|')).filter((p): p is [string, string] => p.length === 2);
    const valid = pairs.filter(([c, u]) => UUID.test(c) && UUID.test(u));
    const result = new Map<string, string[]>();
    if (valid.length === 0) return result;
    const rows: { community_id: string; user_id: string; tier_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT g.community_id, g.user_id, g.tier_id
         FROM unnest($1::uuid[], $2::uuid[]) AS k(community_id, user_id)
         JOIN ${S}.tier_grants g ON g.community_id = k.community_id AND g.user_id = k.user_id
        WHERE g.status = 'ACTIVE'
        ORDER BY g.tier_id`,
      [valid.map(([c]) => c), valid.map(([, u]) => u)],
    );
    for (const row of rows) {
      const key = `${row.community_id}|${row.user_id}`;
      result.set(key, [...(result.get(key) ?? []), row.tier_id]);
    }
    return result;
  }
}
