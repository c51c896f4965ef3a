import { Authenticated, ConnectionArgs, hasRole, pageSize, Public, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessInRequest, mapConnection, requireInRequest } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { userMembershipsKey } from '../../community-services.js';
import { User } from '../../external/user.external.js';
import { Community, CommunityPayload } from '../community/community.type.js';
import type { CommunityMemberRole, MembershipStatus } from '../access/permissions.js';
import type { MembershipEntity } from './membership.entity.js';
import {
  AssignCommunityCustomRoleInput,
  BanCommunityMemberInput,
  CommunityInviteLink,
  CommunityInviteLinkConnection,
  CommunityInviteLinkPayload,
  CommunityInvitePreview,
  CommunityInviteStateEnum,
  CommunityMemberInput,
  CommunityMembersArgs,
  CommunityMembership,
  CommunityMembershipConnection,
  CommunityMembershipPayload,
  CommunityRole,
  CommunityRoleIdInput,
  CommunityRolePayload,
  CreateCommunityInviteLinkInput,
  CreateCommunityInviteLinkPayload,
  CreateCommunityRoleInput,
  JoinCommunityInput,
  JoinCommunityWithInviteInput,
  LeaveCommunityInput,
  MuteCommunityMemberInput,
  RevokeCommunityInviteLinkInput,
  SetCommunityMemberRoleInput,
  UpdateCommunityRoleInput,
  UpdateMyCommunityMembershipInput,
  UserMembershipsArgs,
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
      'OPEN communities: ACTIVE at once. APPROVAL: a PENDING request. INVITE_ONLY: JOIN_REQUIRES_INVITE. Banned: MEMBER_BANNED. INVITED: accepts.',
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
    description: 'Joins through an invite link (ACTIVE even in private or invite-only communities).',
  })
  async joinCommunityWithInvite(
    @Arg('input', () => JoinCommunityWithInviteInput) input: JoinCommunityWithInviteInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const membership = await this.services.invites.join(viewerOf(ctx), input.token, {
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

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, { description: 'The viewer’s own settings in a community.' })
  async updateMyCommunityMembership(
    @Arg('input', () => UpdateMyCommunityMembershipInput) input: UpdateMyCommunityMembershipInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const membership = await this.services.memberships.setTimeZone(
      viewerOf(ctx),
      input.communityId,
      input.timeZone,
    );
    return this.payload(membership, ctx);
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, { description: 'PENDING → ACTIVE (MEMBER_APPROVE).' })
  async approveCommunityMember(
    @Arg('input', () => CommunityMemberInput) input: CommunityMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    return this.payload(
      await this.services.memberships.approve(viewerOf(ctx), input.communityId, input.userId),
      ctx,
    );
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, { description: 'PENDING → LEFT (MEMBER_APPROVE).' })
  async rejectCommunityMember(
    @Arg('input', () => CommunityMemberInput) input: CommunityMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    return this.payload(
      await this.services.memberships.reject(viewerOf(ctx), input.communityId, input.userId),
      ctx,
    );
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description:
      'INVITED until the user accepts (joinCommunity) or declines (leaveCommunity) (MEMBER_INVITE).',
  })
  async inviteCommunityMember(
    @Arg('input', () => CommunityMemberInput) input: CommunityMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    return this.payload(
      await this.services.memberships.invite(viewerOf(ctx), input.communityId, input.userId),
      ctx,
    );
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description:
      'Bans (MEMBER_BAN, above the member’s rank): they leave and cannot join again, by request or invite.',
  })
  async banCommunityMember(
    @Arg('input', () => BanCommunityMemberInput) input: BanCommunityMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const membership = await this.services.memberships.ban(
      viewerOf(ctx),
      input.communityId,
      input.userId,
      input.reason ?? null,
    );
    return this.payload(membership, ctx);
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, { description: 'BANNED → LEFT (MEMBER_BAN).' })
  async unbanCommunityMember(
    @Arg('input', () => CommunityMemberInput) input: CommunityMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    return this.payload(
      await this.services.memberships.unban(viewerOf(ctx), input.communityId, input.userId),
      ctx,
    );
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description: 'Removes a member or withdraws an invitation (MEMBER_REMOVE, above the member’s rank).',
  })
  async removeCommunityMember(
    @Arg('input', () => CommunityMemberInput) input: CommunityMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    return this.payload(
      await this.services.memberships.remove(viewerOf(ctx), input.communityId, input.userId),
      ctx,
    );
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description: 'No posts, comments or announcements until `until` (MEMBER_MUTE); null unmutes.',
  })
  async muteCommunityMember(
    @Arg('input', () => MuteCommunityMemberInput) input: MuteCommunityMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const membership = await this.services.memberships.mute(
      viewerOf(ctx),
      input.communityId,
      input.userId,
      input.until ?? null,
    );
    return this.payload(membership, ctx);
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description: 'ADMIN, MODERATOR or MEMBER, below the actor’s own role (MEMBER_ROLE_SET).',
  })
  async setCommunityMemberRole(
    @Arg('input', () => SetCommunityMemberRoleInput) input: SetCommunityMemberRoleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const membership = await this.services.roles.setRole(
      viewerOf(ctx),
      input.communityId,
      input.userId,
      input.role as Exclude<CommunityMemberRole, 'OWNER'>,
    );
    return this.payload(membership, ctx);
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description: 'Gives or takes a custom role (MEMBER_ROLE_SET).',
  })
  async assignCommunityCustomRole(
    @Arg('input', () => AssignCommunityCustomRoleInput) input: AssignCommunityCustomRoleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const membership = await this.services.roles.assignCustomRole(
      viewerOf(ctx),
      input.communityId,
      input.userId,
      input.customRoleId ?? null,
    );
    return this.payload(membership, ctx);
  }

  @Authenticated()
  @Mutation(() => CommunityPayload, {
    description: 'The owner hands the community to an active member and becomes an ADMIN.',
  })
  async transferCommunityOwnership(
    @Arg('input', () => CommunityMemberInput) input: CommunityMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityPayload> {
    const community = await this.services.roles.transferOwnership(
      viewerOf(ctx),
      input.communityId,
      input.userId,
    );
    return { community: Community.from(community) };
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

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Why the user was banned (those who may ban).',
  })
  async banReason(
    @Root() membership: CommunityMembership,
    @Ctx() ctx: RequestContext,
  ): Promise<string | null> {
    if (!membership.entity.banReason) return null;
    const context = await accessInRequest(this.services, ctx, membership.entity.communityId);
    return context?.has('MEMBER_BAN') ? membership.entity.banReason : null;
  }
}

/** Custom roles and invite links. */
@Resolver(() => CommunityRole)
export class CommunityRoleResolver extends ServicesResolver {
  @Authenticated()
  @Mutation(() => CommunityRolePayload, {
    description: 'A custom role (ROLE_MANAGE; at most 20 per community).',
  })
  async createCommunityRole(
    @Arg('input', () => CreateCommunityRoleInput) input: CreateCommunityRoleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityRolePayload> {
    const role = await this.services.roles.createRole(viewerOf(ctx), input.communityId, input);
    return { role: CommunityRole.from(role) };
  }

  @Authenticated()
  @Mutation(() => CommunityRolePayload, {
    description: 'Renames it or replaces its permissions (ROLE_MANAGE).',
  })
  async updateCommunityRole(
    @Arg('input', () => UpdateCommunityRoleInput) input: UpdateCommunityRoleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityRolePayload> {
    const role = await this.services.roles.updateRole(viewerOf(ctx), input.roleId, input);
    return { role: CommunityRole.from(role) };
  }

  @Authenticated()
  @Mutation(() => CommunityRolePayload, {
    description: 'Its holders keep their built-in role (ROLE_MANAGE).',
  })
  async deleteCommunityRole(
    @Arg('input', () => CommunityRoleIdInput) input: CommunityRoleIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityRolePayload> {
    return { role: CommunityRole.from(await this.services.roles.deleteRole(viewerOf(ctx), input.roleId)) };
  }

  @Authenticated()
  @Mutation(() => CreateCommunityInviteLinkPayload, {
    description: 'An invite link (MEMBER_INVITE); the token is returned only here.',
  })
  async createCommunityInviteLink(
    @Arg('input', () => CreateCommunityInviteLinkInput) input: CreateCommunityInviteLinkInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateCommunityInviteLinkPayload> {
    const { invite, token } = await this.services.invites.create(viewerOf(ctx), input.communityId, input);
    return { invite: CommunityInviteLink.from(invite), token };
  }

  @Authenticated()
  @Mutation(() => CommunityInviteLinkPayload, { description: 'Stops a link from working (MEMBER_INVITE).' })
  async revokeCommunityInviteLink(
    @Arg('input', () => RevokeCommunityInviteLinkInput) input: RevokeCommunityInviteLinkInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityInviteLinkPayload> {
    return {
      invite: CommunityInviteLink.from(await this.services.invites.revoke(viewerOf(ctx), input.inviteId)),
    };
  }

  @Public()
  @Query(() => CommunityInvitePreview, {
    nullable: true,
    description: 'What an invite link leads to, and whether it still works (null for an unknown token).',
  })
  async communityInvite(@Arg('token', () => String) token: string): Promise<CommunityInvitePreview | null> {
    const found = await this.services.invites.preview(token);
    if (!found) return null;
    return {
      community: Community.from(found.community),
      state: this.services.invites.stateOf(found.invite) as CommunityInviteStateEnum,
      expiresAt: found.invite.expiresAt,
    };
  }
}

@Resolver(() => CommunityInviteLink)
export class CommunityInviteLinkResolver extends ServicesResolver {
  @FieldResolver(() => CommunityInviteStateEnum)
  state(@Root() invite: CommunityInviteLink): CommunityInviteStateEnum {
    return this.services.invites.stateOf(invite.entity) as CommunityInviteStateEnum;
  }

  @FieldResolver(() => User)
  createdBy(@Root() invite: CommunityInviteLink): User {
    return { id: invite.entity.createdById };
  }
}

/** `Community.members`, `Community.roles`, `Community.inviteLinks`. */
@Resolver(() => Community)
export class CommunityMembersResolver extends ServicesResolver {
  @FieldResolver(() => CommunityMembershipConnection, {
    description: 'Members oldest first (first ≤ 100); FORBIDDEN for a status the viewer may not list.',
  })
  async members(
    @Root() community: Community,
    @Args(() => CommunityMembersArgs) args: CommunityMembersArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const context = await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ');
    const page = await this.services.memberships.list(
      context,
      {
        status: (args.status as MembershipStatus | null) ?? null,
        role: (args.role as CommunityMemberRole | null) ?? null,
      },
      args,
    );
    const loader = ctx.loaders.get(this.services.loaders.membership);
    for (const edge of page.edges) loader.prime(`${edge.node.communityId}|${edge.node.userId}`, edge.node);
    return mapConnection(page, CommunityMembership.from);
  }

  @FieldResolver(() => [CommunityRole], { description: 'Custom roles by name (at most 20; readers).' })
  async roles(@Root() community: Community, @Ctx() ctx: RequestContext): Promise<CommunityRole[]> {
    const context = await accessInRequest(this.services, ctx, community.entity);
    if (!context?.canRead) return [];
    const roles = await ctx.loaders.get(this.services.loaders.rolesByCommunity).load(community.id);
    return roles.map(CommunityRole.from);
  }

  @FieldResolver(() => CommunityInviteLinkConnection, {
    description: 'Invite links, newest first (MEMBER_INVITE).',
  })
  async inviteLinks(
    @Root() community: Community,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const context = await requireInRequest(this.services, ctx, community.entity, 'MEMBER_INVITE');
    return mapConnection(await this.services.invites.list(context, args), CommunityInviteLink.from);
  }
}

/** `User.memberships`: community's field on identity's User. */
@Resolver(() => User)
export class UserMembershipsResolver extends ServicesResolver {
  @FieldResolver(() => CommunityMembershipConnection, {
    description:
      'Newest first (first ≤ 100). Every status for the user themselves and platform admins; others see ACTIVE memberships of communities they may read.',
  })
  async memberships(
    @Root() user: User,
    @Args(() => UserMembershipsArgs) args: UserMembershipsArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const all = ctx.viewer !== null && (ctx.viewer.userId === user.id || hasRole(ctx.viewer, 'ADMIN'));
    const page = await ctx.loaders.get(this.services.loaders.userMemberships).load(
      userMembershipsKey({
        userId: user.id,
        viewerId: ctx.viewer?.userId ?? null,
        all,
        first: pageSize(args.first),
        after: args.after ?? null,
        status: all ? ((args.status as MembershipStatus | null) ?? null) : null,
      }),
    );
    const loader = ctx.loaders.get(this.services.loaders.membership);
    for (const edge of page.edges) loader.prime(`${edge.node.communityId}|${edge.node.userId}`, edge.node);
    return mapConnection(page, CommunityMembership.from);
  }
}
