import { ConnectionArgs } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ChannelTypeEnum, ConversationKindEnum, ConversationRoleEnum } from './conversation.type.js';

@InputType('CreateChannelInput')
export class CreateChannelInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { description: '1–80 characters after trimming.' })
  name!: string;

  @Field(() => ChannelTypeEnum, { defaultValue: ChannelTypeEnum.TEXT })
  type!: ChannelTypeEnum;

  @Field(() => [ID], { nullable: true, description: 'Initial members besides the creator (at most 100).' })
  memberIds?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Every active member of the community joins it, now and as they join or leave the community (community owners and admins, or platform admins).',
  })
  communityWide?: boolean | null;
}

@InputType('StartConversationInput')
export class StartConversationInput {
  @Field(() => [ID], {
    description:
      'The other participants. One → the 1:1 conversation (reused if it exists); more → a new group (≤ 50 with you).',
  })
  userIds!: string[];

  @Field(() => String, { nullable: true, description: 'Group name (1–80 characters); ignored for 1:1.' })
  name?: string | null;
}

@InputType('AddConversationMembersInput')
export class AddConversationMembersInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => [ID])
  userIds!: string[];
}

@InputType('RemoveConversationMemberInput')
export class RemoveConversationMemberInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID)
  userId!: string;
}

@InputType('LeaveConversationInput')
export class LeaveConversationInput {
  @Field(() => ID)
  conversationId!: string;
}

@InputType('SetConversationMemberRoleInput')
export class SetConversationMemberRoleInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => ConversationRoleEnum, {
    description: 'MODERATOR or MEMBER (ownership is not transferred here).',
  })
  role!: ConversationRoleEnum;
}

@InputType('MuteMemberInput')
export class MuteMemberInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Int, { description: 'Minutes, 1–43,200 (30 days).' })
  minutes!: number;
}

@InputType('UnmuteMemberInput')
export class UnmuteMemberInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID)
  userId!: string;
}

@InputType('MarkReadInput')
export class MarkReadInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Read up to this message (default: the latest). Never moves backwards.',
  })
  messageId?: string | null;
}

@ArgsType()
export class ConversationsArgs extends ConnectionArgs {
  @Field(() => ConversationKindEnum, { nullable: true })
  kind?: ConversationKindEnum | null;
}

@ArgsType()
export class CommunityChannelsArgs extends ConnectionArgs {
  @Field(() => ID)
  communityId!: string;
}

@ArgsType()
export class MembersArgs {
  @Field(() => Int, { nullable: true, description: 'Page size (default 50, at most 100).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}
