import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';

@InputType('SendMessageInput')
export class SendMessageInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => String, { description: '1–5,000 characters after trimming.' })
  body!: string;

  @Field(() => ID, { nullable: true, description: 'Reply to this message (same conversation).' })
  parentId?: string | null;
}

@InputType('EditMessageInput')
export class EditMessageInput {
  @Field(() => ID)
  messageId!: string;

  @Field(() => String)
  body!: string;
}

@InputType('MessageIdInput', { description: 'Names one message (delete, hide, restore).' })
export class MessageIdInput {
  @Field(() => ID)
  messageId!: string;
}

@InputType('ReactionInput')
export class ReactionInput {
  @Field(() => ID)
  messageId!: string;

  @Field(() => String, { description: 'An emoji (1–32 characters, no spaces).' })
  emoji!: string;
}

@InputType('SetTypingInput')
export class SetTypingInput {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => Boolean)
  isTyping!: boolean;
}

@ArgsType()
export class MessagesSinceArgs {
  @Field(() => String, {
    description:
      'Catch-up after a reconnect: messages strictly after this cursor (Message.cursor or an edge cursor), oldest first.',
  })
  since!: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Page size (default 20, at most 100); continue with since = endCursor.',
  })
  first?: number | null;
}
