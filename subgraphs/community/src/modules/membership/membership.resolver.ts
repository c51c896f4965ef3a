import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessInRequest } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { Community } from '../community/community.type.js';
import type { MembershipEntity } from './membership.entity.js';
import {
  CommunityMembership,
  CommunityMembershipPayload,
  CommunityRole,
  JoinCommunityInput,
  LeaveCommunityInput,
} from './membership.type.js';

@Resolver(() => CommunityMembership)
export class MembershipResolver extends ServicesResolver {
  private async payload(
    membership: MembershipEntity,
    ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const community = await this.services.communities.find(ctx.viewer, { id: membership.communityId });
    return {
      membership: CommunityMembership.from(membership),
      community: community ? Community.from(community) : null,
    };
  }

  @Authenticated()
  @Query(() => CommunityMembership, {
    nullable: true,
    description:
      'The viewer’s membership in a community, in any status (null when none or the community is hidden).',
  })
  async myCommunityMembership(
    @Arg('communityId', () => ID) communityId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembership | null> {
    const membership = await this.services.memberships.mine(viewerOf(ctx), communityId);
    return membership ? CommunityMembership.from(membership) : null;
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description:
      'OPEN communities: ACTIVE at once. APPROVAL: a PENDING request. INVITE_ONLY: JOIN_REQUIRES_INVITE. Banned: MEMBER_BANNED.',
  })
  async joinCommunity(
    @Arg('input', () => JoinCommunityInput) input: JoinCommunityInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const membership = await this.services.memberships.join(viewerOf(ctx), input.communityId, {
      timeZone: input.timeZone ?? null,
    });
    return this.payload(membership, ctx);
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description:
      'Leave, withdraw a request or decline an invitation; the owner cannot leave (OWNER_CANNOT_LEAVE).',
  })
  async leaveCommunity(
    @Arg('input', () => LeaveCommunityInput) input: LeaveCommunityInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    return this.payload(await this.services.memberships.leave(viewerOf(ctx), input.communityId), ctx);
  }

  @FieldResolver(() => Community, { nullable: true, description: 'Null when the viewer may not see it.' })
  async community(
    @Root() membership: CommunityMembership,
    @Ctx() ctx: RequestContext,
  ): Promise<Community | null> {
    const context = await accessInRequest(this.services, ctx, membership.entity.communityId);
    return context?.canSee ? Community.from(context.community) : null;
  }

  @FieldResolver(() => User)
  user(@Root() membership: CommunityMembership): User {
    return { id: membership.entity.userId };
  }

  @FieldResolver(() => CommunityRole, { nullable: true, description: 'The custom role, if any.' })
  async customRole(
    @Root() membership: CommunityMembership,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityRole | null> {
    if (!membership.entity.customRoleId) return null;
    const role = await ctx.loaders.get(this.services.loaders.customRole).load(membership.entity.customRoleId);
    return role ? CommunityRole.from(role) : null;
  }
}
