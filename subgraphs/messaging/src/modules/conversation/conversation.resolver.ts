import { Authenticated, ConnectionArgs, ForbiddenError, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Message, MessageConnection } from '../message/message.type.js';
import { MessagesSinceArgs } from '../message/message.input.js';
import type { ConversationMemberEntity } from './conversation.entity.js';
import {
  AddConversationMembersInput,
  CommunityChannelsArgs,
  ConversationsArgs,
  CreateChannelInput,
  LeaveConversationInput,
  MarkReadInput,
  MembersArgs,
  MuteMemberInput,
  RemoveConversationMemberInput,
  SetConversationMemberRoleInput,
  StartConversationInput,
  UnmuteMemberInput,
} from './conversation.input.js';
import {
  Conversation,
  ConversationConnection,
  ConversationMember,
  ConversationMemberPage,
  ConversationMemberPayload,
  ConversationPayload,
  ConversationRoleEnum,
  LeaveConversationPayload,
  MarkReadPayload,
  StartConversationPayload,
  UnreadCounts,
} from './conversation.type.js';

function mapConnection<A, B extends object>(
  connection: { edges: { cursor: string; node: A }[]; pageInfo: object },
  map: (a: A) => B,
) {
  return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: map(e.node) })) };
}

@Resolver(() => Conversation)
export class ConversationResolver extends ServicesResolver {
  private async membershipOf(
    conversation: Conversation,
    ctx: RequestContext,
  ): Promise<ConversationMemberEntity | null> {
    if (!ctx.viewer) return null;
    return ctx.loaders.get(this.services.loaders.membership).load(`${conversation.id}|${ctx.viewer.userId}`);
  }

  private async requireMembership(
    conversation: Conversation,
    ctx: RequestContext,
  ): Promise<ConversationMemberEntity> {
    const member = await this.membershipOf(conversation, ctx);
    if (!member) throw new ForbiddenError('You are not a member of this conversation.');
    return member;
  }

  @Authenticated()
  @Query(() => Conversation, {
    description: 'A conversation the viewer is a member of (FORBIDDEN otherwise).',
  })
  async conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Conversation> {
    return Conversation.from(await this.services.conversations.byId(id, viewerOf(ctx)));
  }

  @Authenticated()
  @Query(() => ConversationConnection, {
    description: 'The viewer’s conversations, most recent activity first.',
  })
  async conversations(@Args(() => ConversationsArgs) args: ConversationsArgs, @Ctx() ctx: RequestContext) {
    return mapConnection(
      await this.services.conversations.listForViewer(viewerOf(ctx), args, args.kind ?? null),
      Conversation.from,
    );
  }

  @Authenticated()
  @Query(() => ConversationConnection, { description: 'Channels of a community the viewer is a member of.' })
  async communityChannels(
    @Args(() => CommunityChannelsArgs) args: CommunityChannelsArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return mapConnection(
      await this.services.conversations.communityChannels(viewerOf(ctx), args.communityId, args),
      Conversation.from,
    );
  }

  @Authenticated()
  @Query(() => UnreadCounts, { description: 'The viewer’s unread messages.' })
  unreadCounts(@Ctx() ctx: RequestContext): Promise<UnreadCounts> {
    return this.services.conversations.unreadSummary(viewerOf(ctx));
  }

  @Roles('INSTRUCTOR', 'MODERATOR', 'ADMIN')
  @Mutation(() => ConversationPayload, {
    description: 'A channel of a community; the creator becomes its OWNER.',
  })
  async createChannel(
    @Arg('input', () => CreateChannelInput) input: CreateChannelInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationPayload> {
    return {
      conversation: Conversation.from(await this.services.conversations.createChannel(viewerOf(ctx), input)),
    };
  }

  @Authenticated()
  @Mutation(() => StartConversationPayload, {
    description: '1:1 (reused when it exists) or a group (≤ 50 members).',
  })
  async startConversation(
    @Arg('input', () => StartConversationInput) input: StartConversationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<StartConversationPayload> {
    const { conversation, created } = await this.services.conversations.start(viewerOf(ctx), input);
    return { conversation: Conversation.from(conversation), created };
  }

  @Authenticated()
  @Mutation(() => ConversationPayload, {
    description: 'Owners and moderators add members to a group or channel.',
  })
  async addConversationMembers(
    @Arg('input', () => AddConversationMembersInput) input: AddConversationMembersInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationPayload> {
    return {
      conversation: Conversation.from(await this.services.conversations.addMembers(viewerOf(ctx), input)),
    };
  }

  @Authenticated()
  @Mutation(() => ConversationPayload, {
    description: 'Owners and moderators remove a member; the member stops receiving events.',
  })
  async removeConversationMember(
    @Arg('input', () => RemoveConversationMemberInput) input: RemoveConversationMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationPayload> {
    return {
      conversation: Conversation.from(await this.services.conversations.removeMember(viewerOf(ctx), input)),
    };
  }

  @Authenticated()
  @Mutation(() => LeaveConversationPayload, {
    description: 'Leave a group or channel (an owner hands ownership on).',
  })
  async leaveConversation(
    @Arg('input', () => LeaveConversationInput) input: LeaveConversationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<LeaveConversationPayload> {
    return { conversationId: await this.services.conversations.leave(viewerOf(ctx), input) };
  }

  @Authenticated()
  @Mutation(() => ConversationMemberPayload, { description: 'The owner makes a member MODERATOR or MEMBER.' })
  async setConversationMemberRole(
    @Arg('input', () => SetConversationMemberRoleInput) input: SetConversationMemberRoleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationMemberPayload> {
    return {
      member: ConversationMember.from(await this.services.conversations.setRole(viewerOf(ctx), input)),
    };
  }

  @Authenticated()
  @Mutation(() => ConversationMemberPayload, {
    description: 'Moderators mute a member (1 min – 30 days): muted members cannot post.',
  })
  async muteMember(
    @Arg('input', () => MuteMemberInput) input: MuteMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationMemberPayload> {
    return { member: ConversationMember.from(await this.services.conversations.mute(viewerOf(ctx), input)) };
  }

  @Authenticated()
  @Mutation(() => ConversationMemberPayload)
  async unmuteMember(
    @Arg('input', () => UnmuteMemberInput) input: UnmuteMemberInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationMemberPayload> {
    return {
      member: ConversationMember.from(await this.services.conversations.unmute(viewerOf(ctx), input)),
    };
  }

  @Authenticated()
  @Mutation(() => MarkReadPayload, { description: 'Moves the viewer’s read mark forward.' })
  async markRead(
    @Arg('input', () => MarkReadInput) input: MarkReadInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MarkReadPayload> {
    const result = await this.services.conversations.markRead(viewerOf(ctx), input);
    return { conversationId: input.conversationId, ...result };
  }

  // ---- fields ----

  @FieldResolver(() => ConversationRoleEnum, {
    nullable: true,
    description: 'The viewer’s role (null if not a member).',
  })
  async viewerRole(
    @Root() conversation: Conversation,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationRoleEnum | null> {
    return ((await this.membershipOf(conversation, ctx))?.role as ConversationRoleEnum | undefined) ?? null;
  }

  @FieldResolver(() => ConversationMember, {
    nullable: true,
    description: 'The viewer’s membership (mute, read mark).',
  })
  async viewerMembership(
    @Root() conversation: Conversation,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationMember | null> {
    const member = await this.membershipOf(conversation, ctx);
    return member ? ConversationMember.from(member) : null;
  }

  @FieldResolver(() => Int)
  async memberCount(@Root() conversation: Conversation, @Ctx() ctx: RequestContext): Promise<number> {
    await this.requireMembership(conversation, ctx);
    return ctx.loaders.get(this.services.loaders.memberCount).load(conversation.id);
  }

  @FieldResolver(() => ConversationMemberPage, { description: 'Members by user id, ≤ 100 per page.' })
  async members(
    @Root() conversation: Conversation,
    @Args(() => MembersArgs) args: MembersArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ConversationMemberPage> {
    await this.requireMembership(conversation, ctx);
    const page = await this.services.conversations.membersPage(conversation.id, args);
    return { nodes: page.nodes.map(ConversationMember.from), nextCursor: page.nextCursor };
  }

  @FieldResolver(() => Int, { description: 'Others’ messages after the viewer’s read mark.' })
  async unreadCount(@Root() conversation: Conversation, @Ctx() ctx: RequestContext): Promise<number> {
    const member = await this.requireMembership(conversation, ctx);
    return ctx.loaders.get(this.services.loaders.unreadCount).load(`${member.userId}|${conversation.id}`);
  }

  @FieldResolver(() => Message, { nullable: true })
  async lastMessage(@Root() conversation: Conversation, @Ctx() ctx: RequestContext): Promise<Message | null> {
    await this.requireMembership(conversation, ctx);
    const message = await ctx.loaders.get(this.services.loaders.lastMessage).load(conversation.id);
    return message ? Message.from(message) : null;
  }

  @FieldResolver(() => MessageConnection, {
    description: 'History, newest first (keyset cursor; ≤ 100 per page).',
  })
  async messages(
    @Root() conversation: Conversation,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ) {
    await this.requireMembership(conversation, ctx);
    return mapConnection(await this.services.messages.history(conversation.id, args), Message.from);
  }

  @FieldResolver(() => MessageConnection, {
    description: 'Catch-up after a reconnect: messages after a cursor, oldest first.',
  })
  async messagesSince(
    @Root() conversation: Conversation,
    @Args(() => MessagesSinceArgs) args: MessagesSinceArgs,
    @Ctx() ctx: RequestContext,
  ) {
    await this.requireMembership(conversation, ctx);
    return mapConnection(await this.services.messages.since(conversation.id, args), Message.from);
  }
}
