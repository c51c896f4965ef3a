import { ConnectionType } from '@edugraph/kit';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../../external/user.external.js';
import type { ConversationEntity, ConversationMemberEntity } from './conversation.entity.js';

export enum ConversationKindEnum {
  CHANNEL = 'CHANNEL',
  DIRECT = 'DIRECT',
  GROUP = 'GROUP',
}
registerEnumType(ConversationKindEnum, {
  name: 'ConversationKind',
  description: 'CHANNEL belongs to a community; DIRECT is 1:1 (reused); GROUP has up to 50 members.',
});

export enum ChannelTypeEnum {
  TEXT = 'TEXT',
  ANNOUNCEMENT = 'ANNOUNCEMENT',
}
registerEnumType(ChannelTypeEnum, {
  name: 'ChannelType',
  description: 'In ANNOUNCEMENT channels only owners and moderators post.',
});

export enum ConversationRoleEnum {
  OWNER = 'OWNER',
  MODERATOR = 'MODERATOR',
  MEMBER = 'MEMBER',
}
registerEnumType(ConversationRoleEnum, { name: 'ConversationRole' });

/** A community channel, 1:1 or group conversation (one id space, so subscriptions take one id). */
@Directive('@key(fields: "id")')
@ObjectType('Conversation')
export class Conversation {
  @Field(() => ID)
  id!: string;

  @Field(() => ConversationKindEnum)
  kind!: ConversationKindEnum;

  @Field(() => ID, { nullable: true, description: 'The community a CHANNEL belongs to.' })
  communityId!: string | null;

  @Field(() => ChannelTypeEnum, { nullable: true })
  channelType!: ChannelTypeEnum | null;

  @Field(() => Boolean, {
    description:
      'A channel every member of its community belongs to (joins and leaves follow the community).',
  })
  communityWide!: boolean;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastMessageAt!: Date | null;

  @Field(() => Date)
  lastActivityAt!: Date;

  static from(entity: ConversationEntity): Conversation {
    return Object.assign(new Conversation(), {
      id: entity.id,
      kind: entity.kind as ConversationKindEnum,
      communityId: entity.communityId,
      channelType: entity.channelType as ChannelTypeEnum | null,
      communityWide: entity.communityWide,
      name: entity.name,
      createdAt: entity.createdAt,
      lastMessageAt: entity.lastMessageAt,
      lastActivityAt: entity.lastActivityAt,
    });
  }
}

@ObjectType('ConversationMember')
export class ConversationMember {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => User)
  user!: User;

  @Field(() => ConversationRoleEnum)
  role!: ConversationRoleEnum;

  @Field(() => Date)
  joinedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Set while the member is muted (cannot post).' })
  mutedUntil!: Date | null;

  @Field(() => Date, { nullable: true })
  lastReadAt!: Date | null;

  static from(entity: ConversationMemberEntity): ConversationMember {
    const muted = entity.mutedUntil && entity.mutedUntil.getTime() > Date.now() ? entity.mutedUntil : null;
    return Object.assign(new ConversationMember(), {
      conversationId: entity.conversationId,
      user: { id: entity.userId },
      role: entity.role as ConversationRoleEnum,
      joinedAt: entity.joinedAt,
      mutedUntil: muted,
      lastReadAt: entity.lastReadAt,
    });
  }
}

export const ConversationConnection = ConnectionType(Conversation, 'Conversation');

@ObjectType('ConversationMemberPage')
export class ConversationMemberPage {
  @Field(() => [ConversationMember])
  nodes!: ConversationMember[];

  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last page.',
  })
  nextCursor!: string | null;
}

@ObjectType('ConversationUnreadCount')
export class ConversationUnreadCount {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => Int)
  unreadCount!: number;
}

@ObjectType('UnreadCounts')
export class UnreadCounts {
  @Field(() => Int, { description: 'Unread messages over all the viewer’s conversations.' })
  total!: number;

  @Field(() => [ConversationUnreadCount], {
    description: 'Conversations with unread messages (at most 100, most recent first).',
  })
  conversations!: ConversationUnreadCount[];
}

@ObjectType('ConversationPayload')
export class ConversationPayload {
  @Field(() => Conversation)
  conversation!: Conversation;
}

@ObjectType('StartConversationPayload')
export class StartConversationPayload {
  @Field(() => Conversation)
  conversation!: Conversation;

  @Field(() => Boolean, { description: 'False when an existing 1:1 conversation was reused.' })
  created!: boolean;
}

@ObjectType('LeaveConversationPayload')
export class LeaveConversationPayload {
  @Field(() => ID)
  conversationId!: string;
}

@ObjectType('ConversationMemberPayload')
export class ConversationMemberPayload {
  @Field(() => ConversationMember)
  member!: ConversationMember;
}

@ObjectType('MarkReadPayload')
export class MarkReadPayload {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => Int)
  unreadCount!: number;

  @Field(() => Date, { nullable: true })
  lastReadAt!: Date | null;
}
