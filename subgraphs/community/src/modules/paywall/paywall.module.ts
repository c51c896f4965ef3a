import { byKey, groupByKey, type DomainEventHandler, type LoaderFactory, type Logger } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import type { MembershipService } from '../membership/membership.service.js';
import type { PaywallTierEntity } from './paywall.entity.js';
import { PaywallService } from './paywall.service.js';
import { TierGrantService } from './tier-grant.service.js';
import type { TierAccessService } from './tier-access.service.js';

/** The paywall module's services (`services.paywall`; gating is `services.tierAccess`). */
export type PaywallModule = {
  tiers: PaywallService;
  grants: TierGrantService;
  /** Commerce's subscription events, for consumer `community` (src/event-handlers.ts). */
  eventHandlers(): Record<string, DomainEventHandler>;
  /** `INTERNAL_API_TOKEN`: commerce's calls to the seller rule carry it (none: the rule refuses all). */
  internalApiToken: string | undefined;
};

export type PaywallModuleOptions = { internalApiToken?: string | undefined };

export type PaywallLoaders = {
  tier: LoaderFactory<string, PaywallTierEntity | null>;
  /** `communityId|live` or `communityId|all` → its tiers by rank. */
  tiersOfCommunity: LoaderFactory<string, PaywallTierEntity[]>;
  /** `communityId|userId` → ids of the tiers the member holds (ACTIVE grants), batched. */
  heldTierIds: LoaderFactory<string, string[]>;
};

export function createPaywallModule(
  dataSource: DataSource,
  access: CommunityAccess,
  memberships: MembershipService,
  tierAccess: TierAccessService,
  clock: Clock,
  logger: Logger,
  options: PaywallModuleOptions = {},
): { module: PaywallModule; loaders: PaywallLoaders } {
  const tiers = new PaywallService(dataSource, access, clock);
  const grants = new TierGrantService(memberships, clock, logger);
  return {
    module: {
      tiers,
      grants,
      eventHandlers: () => grants.eventHandlers(),
      internalApiToken: options.internalApiToken,
    },
    loaders: {
      tier: () => new DataLoader(async (ids) => byKey(ids, await tiers.byIds(ids), (t) => t.id)),
      tiersOfCommunity: () =>
        new DataLoader(async (keys) => {
          const result = new Map<string, PaywallTierEntity[]>();
          for (const scope of ['live', 'all'] as const) {
            const ids = keys.filter((k) => k.endsWith(`|${scope}`)).map((k) => k.split('|')[0]!);
            if (ids.length === 0) continue;
            const grouped = groupByKey(
              ids,
              await tiers.ofCommunities(ids, scope === 'all'),
              (t) => t.communityId,
            );
            ids.forEach((id, i) => result.set(`${id}|${scope}`, grouped[i]!));
          }
          return keys.map((k) => result.get(k) ?? []);
        }),
      heldTierIds: () =>
        new DataLoader(async (keys) => {
          const held = await tierAccess.heldTierIdsByKeys(keys);
          return keys.map((k) => held.get(k) ?? []);
        }),
    },
  };
}
