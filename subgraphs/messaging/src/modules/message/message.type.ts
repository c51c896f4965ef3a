import { ConnectionType, encodeCursor } from '@edugraph/kit';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { MessageSnapshot } from '../realtime/realtime.topics.js';
import type { MessageEntity } from './message.entity.js';

@ObjectType('MessageReaction', {
  description: 'One emoji on a message: how many reacted, and whether the viewer did.',
})
export class MessageReaction {
  @Field(() => String)
  emoji!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => Boolean)
  reactedByViewer!: boolean;
}

/**
 * A message. `body` is null once deleted, and while hidden by a moderator (except for moderators).
 * Built from a row or from a realtime snapshot (which carries its reactions).
 */
@Directive('@key(fields: "id")')
@ObjectType('Message')
export class Message {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  conversationId!: string;

  @Field(() => ID, { nullable: true, description: 'The message this one replies to.' })
  parentId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  editedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  deletedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  hiddenAt!: Date | null;

  /** The stored text (not exposed directly: see the `body` field resolver). */
  rawBody!: string | null;

  authorId!: string;

  /** Reactions carried by a realtime snapshot (saves a query per subscriber). */
  preloadedReactions: { emoji: string; userIds: string[] }[] | null = null;

  /** Keyset position in the conversation's history (for `messagesSince` after a reconnect). */
  get cursor(): string {
    return encodeCursor([this.createdAt.toISOString(), this.id]);
  }

  static from(entity: MessageEntity): Message {
    return Object.assign(new Message(), {
      id: entity.id,
      conversationId: entity.conversationId,
      parentId: entity.parentId,
      createdAt: entity.createdAt,
      editedAt: entity.editedAt,
      deletedAt: entity.deletedAt,
      hiddenAt: entity.hiddenAt,
      rawBody: entity.body,
      authorId: entity.authorId,
    });
  }

  static fromSnapshot(snapshot: MessageSnapshot): Message {
    const date = (value: string | null) => (value ? new Date(value) : null);
    return Object.assign(new Message(), {
      id: snapshot.id,
      conversationId: snapshot.conversationId,
      parentId: snapshot.parentId,
      createdAt: new Date(snapshot.createdAt),
      editedAt: date(snapshot.editedAt),
      deletedAt: date(snapshot.deletedAt),
      hiddenAt: date(snapshot.hiddenAt),
      rawBody: snapshot.body,
      authorId: snapshot.authorId,
      preloadedReactions: snapshot.reactions,
    });
  }
}

export const MessageConnection = ConnectionType(Message, 'Message');

@ObjectType('MessagePayload')
export class MessagePayload {
  @Field(() => Message)
  message!: Message;
}
