import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { Conversation } from '../conversation/conversation.type.js';
import { MessageService } from './message.service.js';
import {
  EditMessageInput,
  MessageIdInput,
  ReactionInput,
  SendMessageInput,
  SetTypingInput,
} from './message.input.js';
import { Message, MessagePayload, MessageReaction } from './message.type.js';

@ObjectType('SetTypingPayload')
export class SetTypingPayload {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => Boolean)
  isTyping!: boolean;
}

@Resolver(() => Message)
export class MessageResolver extends ServicesResolver {
  @Authenticated()
  @Mutation(() => MessagePayload, {
    description: 'Post (1–5,000 characters) or reply; members only, not while muted.',
  })
  async sendMessage(
    @Arg('input', () => SendMessageInput) input: SendMessageInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MessagePayload> {
    return { message: Message.from(await this.services.messages.send(viewerOf(ctx), input)) };
  }

  @Authenticated()
  @Mutation(() => MessagePayload, { description: 'The author edits a message.' })
  async editMessage(
    @Arg('input', () => EditMessageInput) input: EditMessageInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MessagePayload> {
    return { message: Message.from(await this.services.messages.edit(viewerOf(ctx), input)) };
  }

  @Authenticated()
  @Mutation(() => MessagePayload, {
    description: 'The author or a moderator deletes a message (its text is removed).',
  })
  async deleteMessage(
    @Arg('input', () => MessageIdInput) input: MessageIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MessagePayload> {
    return { message: Message.from(await this.services.messages.delete(viewerOf(ctx), input)) };
  }

  @Authenticated()
  @Mutation(() => MessagePayload, { description: 'Moderators hide a message from members.' })
  async hideMessage(
    @Arg('input', () => MessageIdInput) input: MessageIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MessagePayload> {
    return { message: Message.from(await this.services.messages.setHidden(viewerOf(ctx), input, true)) };
  }

  @Authenticated()
  @Mutation(() => MessagePayload, { description: 'Moderators restore a hidden message.' })
  async restoreMessage(
    @Arg('input', () => MessageIdInput) input: MessageIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MessagePayload> {
    return { message: Message.from(await this.services.messages.setHidden(viewerOf(ctx), input, false)) };
  }

  @Authenticated()
  @Mutation(() => MessagePayload, { description: 'React with an emoji (once per user per emoji).' })
  async addReaction(
    @Arg('input', () => ReactionInput) input: ReactionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MessagePayload> {
    return { message: Message.from(await this.services.messages.react(viewerOf(ctx), input, true)) };
  }

  @Authenticated()
  @Mutation(() => MessagePayload)
  async removeReaction(
    @Arg('input', () => ReactionInput) input: ReactionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<MessagePayload> {
    return { message: Message.from(await this.services.messages.react(viewerOf(ctx), input, false)) };
  }

  @Authenticated()
  @Mutation(() => SetTypingPayload, {
    description: 'Ephemeral: published to the conversation’s `typing` subscribers, not stored.',
  })
  async setTyping(
    @Arg('input', () => SetTypingInput) input: SetTypingInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SetTypingPayload> {
    await this.services.messages.typing(viewerOf(ctx), input);
    return { conversationId: input.conversationId, isTyping: input.isTyping };
  }

  // ---- fields ----

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Null when deleted, or hidden (moderators still see it).',
  })
  async body(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (message.deletedAt || message.rawBody === null) return null;
    if (!message.hiddenAt) return message.rawBody;
    const member = ctx.viewer
      ? await ctx.loaders
          .get(this.services.loaders.membership)
          .load(`${message.conversationId}|${ctx.viewer.userId}`)
      : null;
    return MessageService.canSeeHidden(member, ctx.viewer) ? message.rawBody : null;
  }

  @FieldResolver(() => Boolean)
  isDeleted(@Root() message: Message): boolean {
    return message.deletedAt !== null;
  }

  @FieldResolver(() => Boolean)
  isHidden(@Root() message: Message): boolean {
    return message.hiddenAt !== null;
  }

  @FieldResolver(() => Boolean)
  isEdited(@Root() message: Message): boolean {
    return message.editedAt !== null;
  }

  @FieldResolver(() => String, {
    description: 'This message’s position, for `Conversation.messagesSince(since:)`.',
  })
  cursor(@Root() message: Message): string {
    return message.cursor;
  }

  @FieldResolver(() => User)
  author(@Root() message: Message): User {
    return { id: message.authorId };
  }

  @FieldResolver(() => Conversation)
  async conversation(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<Conversation> {
    const conversation = await ctx.loaders
      .get(this.services.loaders.conversation)
      .load(message.conversationId);
    return Conversation.from(conversation!);
  }

  @FieldResolver(() => Message, { nullable: true, description: 'The message this one replies to.' })
  async parent(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<Message | null> {
    if (!message.parentId) return null;
    const parent = await ctx.loaders.get(this.services.loaders.message).load(message.parentId);
    return parent ? Message.from(parent) : null;
  }

  @FieldResolver(() => Int)
  replyCount(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<number> {
    return ctx.loaders.get(this.services.loaders.replyCount).load(message.id);
  }

  @FieldResolver(() => [MessageReaction])
  async reactions(@Root() message: Message, @Ctx() ctx: RequestContext): Promise<MessageReaction[]> {
    const groups =
      message.preloadedReactions ??
      (await ctx.loaders.get(this.services.loaders.reactions).load(message.id)).reduce<
        { emoji: string; userIds: string[] }[]
      >((acc, r) => {
        const group = acc.find((g) => g.emoji === r.emoji);
        if (group) group.userIds.push(r.userId);
        else acc.push({ emoji: r.emoji, userIds: [r.userId] });
        return acc;
      }, []);
    const viewerId = ctx.viewer?.userId;
    return groups.map((g) => ({
      emoji: g.emoji,
      count: g.userIds.length,
      reactedByViewer: viewerId !== undefined && g.userIds.includes(viewerId),
    }));
  }
}
