import {
  byKey,
  decodeCursor,
  encodeCursor,
  groupByKey,
  type Connection,
  type LoaderFactory,
  type Logger,
  type Redis,
  createMemoryPubSub,
  type PubSub,
} from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { systemClock, type Clock } from './common/clock.js';
import { CommunityAccess } from './modules/access/community-access.service.js';
import type { CommunityEntity } from './modules/community/community.entity.js';
import { CommunityService } from './modules/community/community.service.js';
import type { MembershipStatus } from './modules/access/permissions.js';
import { InviteLinkService } from './modules/membership/invite-link.service.js';
import { MemberRoleService } from './modules/membership/member-role.service.js';
import type { CommunityRoleEntity, MembershipEntity } from './modules/membership/membership.entity.js';
import { MembershipService } from './modules/membership/membership.service.js';
import {
  createEventsModule,
  type EventsModule,
  type EventsModuleOptions,
} from './modules/events/events.module.js';
import type { EventLoaders } from './modules/events/event.loaders.js';
import {
  createEngagementModule,
  type EngagementLoaders,
  type EngagementModule,
  type EngagementModuleOptions,
} from './modules/engagement/engagement.module.js';

import { TierAccessService } from './modules/paywall/tier-access.service.js';
import {
  createPaywallModule,
  type PaywallLoaders,
  type PaywallModule,
  type PaywallModuleOptions,
} from './modules/paywall/paywall.module.js';
import {
  createModerationModule,
  type ModerationLoaders,
  type ModerationModule,
} from './modules/moderation/moderation.module.js';
import { createFeedModule, type FeedModule } from './modules/feed/feed.module.js';
import type { FeedLoaders } from './modules/feed/feed.loaders.js';
/**
 * Per-request DataLoaders (factories are per services instance, so `ctx.loaders.get(factory)` keys
 * them). Modules append their own loaders here.
 */
export type CommunityLoaders = {
  community: LoaderFactory<string, CommunityEntity | null>;
  /** Key `communityId|userId` → the membership in any status. */
  membership: LoaderFactory<string, MembershipEntity | null>;
  customRole: LoaderFactory<string, CommunityRoleEntity | null>;
  /** Community id → its custom roles by name. */
  rolesByCommunity: LoaderFactory<string, CommunityRoleEntity[]>;
  /** `userMembershipsKey(...)` → one page of `User.memberships` (pages of many users batched). */
  userMemberships: LoaderFactory<string, Connection<MembershipEntity>>;
  /** The events module's loaders (events, occurrences, RSVP counts and pages, …). */
  events: EventLoaders;
  /** The paywall module's loaders (tiers, tiers of a community, tiers a member holds). */
  paywall: PaywallLoaders;
  /** The moderation module's loaders (cases, reports, flags, actions, content states). */
  moderation: ModerationLoaders;
  /** The engagement module's loaders (points accounts). */
  engagement: EngagementLoaders;
  /** The feed module's loaders (posts, comments, reactions, polls, resources, granted tiers). */
  feed: FeedLoaders;
};

/** A page request of `User.memberships`: whose, for whom (`all`: every status), which page. */
export type UserMembershipsKey = {
  userId: string;
  viewerId: string | null;
  all: boolean;
  first: number;
  after: string | null;
  status: MembershipStatus | null;
};

export const userMembershipsKey = (key: UserMembershipsKey): string => JSON.stringify(key);

/** Every service of the subgraph. Modules append theirs (one field each). */
export type CommunityServices = {
  access: CommunityAccess;
  communities: CommunityService;
  memberships: MembershipService;
  roles: MemberRoleService;
  invites: InviteLinkService;
  /** Events, RSVPs, reminders and calendar feeds (src/modules/events). */
  events: EventsModule;
  /** Points, levels, streaks and leaderboards (src/modules/engagement). */
  engagement: EngagementModule;
  /** Which paid tiers open gated content for whom (src/modules/paywall). */
  tierAccess: TierAccessService;
  /** Paid tiers and the grants commerce's subscriptions make (src/modules/paywall). */
  paywall: PaywallModule;
  /** Reports, automatic flags, cases, actions with undo and audit (src/modules/moderation). */
  moderation: ModerationModule;
  /** Posts, comments, reactions, polls, resources, classroom, realtime feed (src/modules/feed). */
  feed: FeedModule;
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
  /** Calendar feed URL and key, reminder offsets (defaults for development and tests). */
  events?: EventsModuleOptions;
  /** `INTERNAL_API_TOKEN` for commerce's seller-rule calls (paywall). */
  paywall?: PaywallModuleOptions;
  /** Redis (leaderboards); without it leaderboards are read from PostgreSQL. */
  redis?: Redis | null;
  /** Point values, level thresholds, leaderboard key prefix (`QUEUE_PREFIX`). */
  engagement?: EngagementModuleOptions;
  /** Realtime feed events (Redis pub/sub in `app.ts`; in-process by default). */
  pubSub?: PubSub;
};

export function createCommunityServices(options: CommunityServicesOptions): CommunityServices {
  const { dataSource, logger } = options;
  const clock = options.clock ?? systemClock;
  const access = new CommunityAccess(dataSource, clock);
  const communities = new CommunityService(dataSource, access, clock, {
    maxOwned: options.maxOwnedCommunities ?? 20,
  });
  const memberships = new MembershipService(dataSource, access, clock);
  const roles = new MemberRoleService(dataSource, access, memberships, clock);
  const invites = new InviteLinkService(dataSource, access, memberships, clock);
  const paywall = createPaywallModule(
    dataSource,
    access,
    memberships,
    new TierAccessService(dataSource),
    clock,
    logger,
    options.paywall,
  );
  const events = createEventsModule(dataSource, access, clock, logger, options.events);
  const engagement = createEngagementModule(dataSource, access, clock, logger, {
    ...options.engagement,
    redis: options.redis ?? null,
  });
  const feedTiers = new TierAccessService(dataSource);
  const feed = createFeedModule(
    dataSource,
    access,
    clock,
    options.pubSub ?? createMemoryPubSub(),
    () => feedTiers,
  );
  const moderation = createModerationModule(
    dataSource,
    access,
    memberships,
    clock,
    logger,
    () => feed.module.moderation,
  );
  return {
    access,
    tierAccess: new TierAccessService(dataSource),
    paywall: paywall.module,
    moderation: moderation.module,
    feed: feed.module,
    communities,
    memberships,
    roles,
    invites,
    events: events.module,
    engagement: engagement.module,
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
      rolesByCommunity: () =>
        new DataLoader(async (ids) => groupByKey(ids, await roles.rolesOf(ids), (r) => r.communityId)),
      userMemberships: () =>
        new DataLoader(async (keys) => {
          const requests = keys.map((k) => JSON.parse(k) as UserMembershipsKey);
          const pages = new Map<string, Connection<MembershipEntity>>();
          // One batch per distinct page shape (usually one for a whole list of users).
          const shapes = new Map<string, UserMembershipsKey[]>();
          for (const request of requests) {
            const { userId: _userId, ...shape } = request;
            const shapeKey = JSON.stringify(shape);
            shapes.set(shapeKey, [...(shapes.get(shapeKey) ?? []), request]);
          }
          for (const group of shapes.values()) {
            const [{ viewerId, all, first, after, status }] = group as [UserMembershipsKey];
            const cursor = after ? (decodeCursor(after, 2) as [string, string]) : null;
            const rows = await memberships.ofUsers(
              viewerId,
              group.map((g) => g.userId),
              { first, after: cursor, status, all },
            );
            for (const request of group) {
              const own = rows.filter((r) => r.membership.userId === request.userId);
              const edges = own
                .slice(0, first)
                .map((r) => ({ node: r.membership, cursor: encodeCursor([r.createdAt, r.membership.id]) }));
              pages.set(userMembershipsKey(request), {
                edges,
                pageInfo: {
                  hasNextPage: own.length > first,
                  hasPreviousPage: Boolean(after),
                  startCursor: edges[0]?.cursor ?? null,
                  endCursor: edges.at(-1)?.cursor ?? null,
                },
              });
            }
          }
          return requests.map((r) => pages.get(userMembershipsKey(r))!);
        }),
      events: events.loaders,
      paywall: paywall.loaders,
      moderation: moderation.loaders,
      engagement: engagement.loaders,
      feed: feed.loaders,
    },
  };
}
