import { byKey, type LoaderFactory, type Logger } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { systemClock, type Clock } from './common/clock.js';
import { CommunityAccess } from './modules/access/community-access.service.js';
import type { CommunityEntity } from './modules/community/community.entity.js';
import { CommunityService } from './modules/community/community.service.js';
import type { CommunityRoleEntity, MembershipEntity } from './modules/membership/membership.entity.js';
import { MembershipService } from './modules/membership/membership.service.js';

/**
 * Per-request DataLoaders (factories are per services instance, so `ctx.loaders.get(factory)` keys
 * them). Modules append their own loaders here.
 */
export type CommunityLoaders = {
  community: LoaderFactory<string, CommunityEntity | null>;
  /** Key `communityId|userId` → the membership in any status. */
  membership: LoaderFactory<string, MembershipEntity | null>;
  customRole: LoaderFactory<string, CommunityRoleEntity | null>;
};

/** Every service of the subgraph. Modules append theirs (one field each). */
export type CommunityServices = {
  access: CommunityAccess;
  communities: CommunityService;
  memberships: MembershipService;
  clock: Clock;
  logger: Logger;
  loaders: CommunityLoaders;
};

export type CommunityServicesOptions = {
  dataSource: DataSource;
  logger: Logger;
  clock?: Clock;
  /** Communities one user may own (default 20). */
  maxOwnedCommunities?: number;
};

export function createCommunityServices(options: CommunityServicesOptions): CommunityServices {
  const { dataSource, logger } = options;
  const clock = options.clock ?? systemClock;
  const access = new CommunityAccess(dataSource, clock);
  const communities = new CommunityService(dataSource, access, clock, {
    maxOwned: options.maxOwnedCommunities ?? 20,
  });
  const memberships = new MembershipService(dataSource, access, clock);
  return {
    access,
    communities,
    memberships,
    clock,
    logger,
    loaders: {
      community: () =>
        new DataLoader(async (ids) => byKey(ids, await access.communitiesByIds(ids), (r) => r.id)),
      membership: () =>
        new DataLoader(async (keys) =>
          byKey(keys, await access.membershipsByKeys(keys), (r) => `${r.communityId}|${r.userId}`),
        ),
      customRole: () =>
        new DataLoader(async (ids) => byKey(ids, await access.customRolesByIds(ids), (r) => r.id)),
    },
  };
}
