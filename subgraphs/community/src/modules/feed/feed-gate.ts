import { BadUserInputError } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import { PaywallTierEntity } from '../paywall/paywall.entity.js';

/**
 * What the feed needs of paywall's `TierAccessService` (src/modules/paywall/tier-access.service.ts,
 * `services.tierAccess`): the tiers granted to members. A higher-ranked tier counts as granting the
 * lower ones there, so the feed only asks "is the required tier in the set".
 */
export type TierGate = {
  grantedTierIds(communityId: string, userId: string): Promise<Set<string>>;
  grantedTierIdsForUsers(communityId: string, userIds: readonly string[]): Promise<Map<string, Set<string>>>;
};

/** BAD_USER_INPUT unless `tierId` is a live (not archived) paid tier of the community. */
export async function assertCommunityTier(
  manager: EntityManager,
  communityId: string,
  tierId: string,
): Promise<void> {
  const tier = await manager.getRepository(PaywallTierEntity).findOneBy({ id: tierId, communityId });
  if (!tier || tier.archivedAt !== null)
    throw new BadUserInputError(
      '"requiredTierId" must be a paid tier of this community that is not archived.',
      'requiredTierId',
    );
}
