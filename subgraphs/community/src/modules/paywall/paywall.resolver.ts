import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { accessInRequest } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import type { CommunityServices } from '../../community-services.js';
import { Community } from '../community/community.type.js';
import { CommunityMembership } from '../membership/membership.type.js';
import type { PaywallTierEntity } from './paywall.entity.js';
import {
  ArchivePaywallTierInput,
  CommunityTier,
  CommunityTierPayload,
  CreatePaywallTierInput,
  UpdatePaywallTierInput,
} from './paywall.type.js';

/** Tiers by id through the request's loader (dropping missing ones), in rank order. */
async function tiersByIds(
  resolver: PaywallResolverBase,
  ctx: RequestContext,
  ids: readonly string[],
): Promise<CommunityTier[]> {
  const loaded = await ctx.loaders.get(resolver.loaders.tier).loadMany(ids);
  return loaded
    .filter((t): t is PaywallTierEntity => Boolean(t) && !(t instanceof Error))
    .sort((a, b) => a.rank - b.rank || a.createdAt.getTime() - b.createdAt.getTime())
    .map((t) => CommunityTier.from(t));
}

abstract class PaywallResolverBase extends ServicesResolver {
  get loaders() {
    return this.services.loaders.paywall;
  }
}

/** `createPaywallTier`, `updatePaywallTier`, `archivePaywallTier`, `CommunityTier.community`. */
@Resolver(() => CommunityTier)
export class PaywallTierResolver extends PaywallResolverBase {
  @Authenticated()
  @Mutation(() => CommunityTierPayload, {
    description:
      'TIER_MANAGE (admins, owner). Price it in commerce: setProductPrice(kind: COMMUNITY_TIER, refId: tier id) — the community owner sells it.',
  })
  async createPaywallTier(
    @Arg('input', () => CreatePaywallTierInput) input: CreatePaywallTierInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityTierPayload> {
    const tier = await this.services.paywall.tiers.create(viewerOf(ctx), input);
    return { tier: CommunityTier.from(tier) };
  }

  @Authenticated()
  @Mutation(() => CommunityTierPayload, { description: 'TIER_MANAGE; archived tiers: TIER_ARCHIVED.' })
  async updatePaywallTier(
    @Arg('input', () => UpdatePaywallTierInput) input: UpdatePaywallTierInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityTierPayload> {
    const tier = await this.services.paywall.tiers.update(viewerOf(ctx), input);
    return { tier: CommunityTier.from(tier) };
  }

  @Authenticated()
  @Mutation(() => CommunityTierPayload, {
    description: 'TIER_MANAGE. No longer offered; existing grants run until their subscriptions end.',
  })
  async archivePaywallTier(
    @Arg('input', () => ArchivePaywallTierInput) input: ArchivePaywallTierInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityTierPayload> {
    const tier = await this.services.paywall.tiers.archive(viewerOf(ctx), input.tierId);
    return { tier: CommunityTier.from(tier) };
  }

  @FieldResolver(() => Community, { nullable: true })
  async community(@Root() tier: CommunityTier, @Ctx() ctx: RequestContext): Promise<Community | null> {
    const context = await accessInRequest(this.services, ctx, tier.communityId);
    return context?.canSee ? Community.from(context.community) : null;
  }
}

/** `Community.tiers`, `Community.viewerTiers`. */
@Resolver(() => Community)
export class CommunityTiersResolver extends PaywallResolverBase {
  @FieldResolver(() => [CommunityTier], {
    description:
      'The community’s tiers by rank (whoever may see the community). `includeArchived`: TIER_MANAGE only.',
  })
  async tiers(
    @Root() community: Community,
    @Arg('includeArchived', () => Boolean, { defaultValue: false }) includeArchived: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityTier[]> {
    const context = await accessInRequest(this.services, ctx, community.entity);
    if (!context?.canSee) return [];
    if (includeArchived) this.services.access.assert(context, 'TIER_MANAGE');
    const tiers = await ctx.loaders
      .get(this.loaders.tiersOfCommunity)
      .load(`${community.id}|${includeArchived ? 'all' : 'live'}`);
    return tiers.map((t) => CommunityTier.from(t));
  }

  @FieldResolver(() => [CommunityTier], {
    description: 'Tiers the viewer holds in this community (empty when signed out or none).',
  })
  async viewerTiers(@Root() community: Community, @Ctx() ctx: RequestContext): Promise<CommunityTier[]> {
    if (!ctx.viewer) return [];
    const ids = await ctx.loaders.get(this.loaders.heldTierIds).load(`${community.id}|${ctx.viewer.userId}`);
    return tiersByIds(this, ctx, ids);
  }
}

/** `CommunityMembership.tiers`. */
@Resolver(() => CommunityMembership)
export class MembershipTiersResolver extends PaywallResolverBase {
  @FieldResolver(() => [CommunityTier], {
    nullable: true,
    description:
      'Tiers the member holds — for the member, TIER_MANAGE holders and platform admins; null for others.',
  })
  async tiers(
    @Root() membership: CommunityMembership,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityTier[] | null> {
    const { communityId, userId } = membership.entity;
    if (!ctx.viewer) return null;
    if (ctx.viewer.userId !== userId) {
      const context = await accessInRequest(this.services, ctx, communityId);
      if (!context?.has('TIER_MANAGE')) return null;
    }
    const ids = await ctx.loaders.get(this.loaders.heldTierIds).load(`${communityId}|${userId}`);
    return tiersByIds(this, ctx, ids);
  }
}

/** A reference (commerce's subscriptions and products) resolves for viewers who may see the tier's community. */
export async function visibleTier(
  services: CommunityServices,
  ctx: RequestContext,
  id: string,
): Promise<CommunityTier | null> {
  const tier = await ctx.loaders.get(services.loaders.paywall.tier).load(id);
  if (!tier) return null;
  const context = await accessInRequest(services, ctx, tier.communityId);
  return context?.canSee ? CommunityTier.from(tier) : null;
}
