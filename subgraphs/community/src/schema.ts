import 'reflect-metadata';
import { buildFederatedSchema, createMemoryPubSub, type BuiltSubgraphSchema } from '@edugraph/kit';
import { accessInRequest } from './common/request-access.js';
import { ServicesContainer } from './common/services-resolver.js';
import type { CommunityServices } from './community-services.js';
import { userReferenceResolver } from './external/user.external.js';
import { CommunityResolver } from './modules/community/community.resolver.js';
import { Community } from './modules/community/community.type.js';
import {
  CommunityInviteLinkResolver,
  CommunityMembersResolver,
  CommunityRoleResolver,
  MembershipResolver,
  UserMembershipsResolver,
} from './modules/membership/membership.resolver.js';
import { CalendarFeedResolver, CommunityEventsResolver } from './modules/events/community-events.resolver.js';
import { EventOccurrenceResolver, EventRsvpResolver } from './modules/events/event-occurrence.resolver.js';
import { EventResolver, visibleEvent } from './modules/events/event.resolver.js';
import { CommunityEvent } from './modules/events/event.type.js';
import {
  CommunityLeaderboardResolver,
  CommunityPointsResolver,
  EngagementResolver,
  LeaderboardEntryResolver,
  MembershipEngagementResolver,
  PointsLedgerEntryResolver,
  UserPointsResolver,
} from './modules/engagement/engagement.resolver.js';
import {
  CommunityTiersResolver,
  MembershipTiersResolver,
  PaywallTierResolver,
  visibleTier,
} from './modules/paywall/paywall.resolver.js';
import {
  CommunityModerationResolver,
  ModerationActionResolver,
  ModerationCaseResolver,
  ModerationReportResolver,
} from './modules/moderation/moderation.resolver.js';
import { ClassroomResolver, CommunityFeedResolver } from './modules/feed/community-feed.resolver.js';
import { CommentResolver } from './modules/feed/comment.resolver.js';
import { createFeedSubscriptionResolver } from './modules/feed/feed-subscription.resolver.js';
import { visiblePost } from './modules/feed/feed-request.js';
import { Post } from './modules/feed/feed.type.js';
import { PollResolver } from './modules/feed/poll.resolver.js';
import { PostResolver } from './modules/feed/post.resolver.js';
import { ResourceResolver } from './modules/feed/resource.resolver.js';

/**
 * The community subgraph schema. With services: resolvers call them. Without (composition,
 * `npm run compose`): the same SDL, resolvers unbound. Modules append their resolver classes to the
 * list (and their entity reference resolvers to `referenceResolvers`).
 */
export function buildCommunitySchema(
  services: CommunityServices | null = null,
): Promise<BuiltSubgraphSchema> {
  return buildFederatedSchema({
    resolvers: [
      CommunityResolver,
      MembershipResolver,
      CommunityRoleResolver,
      CommunityInviteLinkResolver,
      CommunityMembersResolver,
      UserMembershipsResolver,
      EventResolver,
      EventOccurrenceResolver,
      EventRsvpResolver,
      CommunityEventsResolver,
      CalendarFeedResolver,
      CommunityLeaderboardResolver,
      LeaderboardEntryResolver,
      MembershipEngagementResolver,
      UserPointsResolver,
      CommunityPointsResolver,
      PointsLedgerEntryResolver,
      EngagementResolver,
      PaywallTierResolver,
      CommunityTiersResolver,
      MembershipTiersResolver,
      ModerationCaseResolver,
      ModerationReportResolver,
      ModerationActionResolver,
      CommunityModerationResolver,
      PostResolver,
      CommentResolver,
      PollResolver,
      ResourceResolver,
      CommunityFeedResolver,
      ClassroomResolver,
      createFeedSubscriptionResolver(services),
    ],
    container: new ServicesContainer(services),
    // Feed subscriptions read their PubSub from the services (Redis in app.ts).
    pubSub: services?.feed.realtime.pubSub ?? createMemoryPubSub(),
    referenceResolvers: {
      User: userReferenceResolver,
      // Posts resolve for viewers who may see them (readable community, published or theirs, moderation).
      Post: {
        __resolveReference: async (reference, ctx) => {
          if (!services) return null;
          const found = await visiblePost(services, ctx, reference.id);
          return found ? Post.from(found.post, services.clock.now()) : null;
        },
      },
      // Tiers resolve for viewers who may see the tier's community.
      CommunityTier: {
        __resolveReference: async (reference, ctx) =>
          services ? visibleTier(services, ctx, reference.id) : null,
      },
      // A reference from another subgraph resolves only for viewers who may see the community.
      Community: {
        __resolveReference: async (reference, ctx) => {
          if (!services) return null;
          const context = await accessInRequest(services, ctx, reference.id);
          return context?.canSee ? Community.from(context.community) : null;
        },
      },
      // Events resolve for viewers who may see them (community readable, MEMBERS-only for members).
      CommunityEvent: {
        __resolveReference: async (reference, ctx) => {
          if (!services) return null;
          const event = await visibleEvent(services, ctx, reference.id);
          return event ? CommunityEvent.from(event) : null;
        },
      },
    },
  });
}
