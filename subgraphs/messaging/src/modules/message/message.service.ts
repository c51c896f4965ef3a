import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  decodeCursor,
  ForbiddenError,
  groupByKey,
  byKey,
  NotFoundError,
  paginate,
  recordEvent,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import { canModerate } from '../../common/access.js';
import { MemberMutedError, MessageDeletedError } from '../../common/messaging.errors.js';
import { type ConversationMemberEntity } from '../conversation/conversation.entity.js';
import { assertUuid, type ConversationService } from '../conversation/conversation.service.js';
import type { MessageSnapshot, RealtimePublisher } from '../realtime/realtime.topics.js';
import { MessageEntity, MessageReactionEntity } from './message.entity.js';

export const MAX_BODY_LENGTH = 5_000;
export const MESSAGE_SENT_EVENT = 'message.sent';
const EMOJI = /^[^\s]{1,32}$/u;

function cleanBody(value: string): string {
  const body = value.trim();
  if (body.length < 1 || [...body].length > MAX_BODY_LENGTH) {
    throw new BadUserInputError(
      `A message has 1–${MAX_BODY_LENGTH.toLocaleString('en')} characters.`,
      'body',
    );
  }
  return body;
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

/** Messages: post, reply, edit, delete, moderation, reactions, history pages; publishes realtime events after commit. */
export class MessageService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly conversations: ConversationService,
    private readonly publisher: RealtimePublisher,
  ) {}

  private get messages() {
    return this.dataSource.getRepository(MessageEntity);
  }

  async send(
    viewer: Viewer,
    input: { conversationId: string; body: string; parentId?: string | null },
  ): Promise<MessageEntity> {
    const body = cleanBody(input.body);
    const parentId = input.parentId ? assertUuid(input.parentId, 'parentId') : null;
    const { message, memberIds } = await this.dataSource.transaction(async (manager) => {
      const { conversation, member } = await this.conversations.requireMember(
        input.conversationId,
        viewer,
        manager,
      );
      if (member.mutedUntil && member.mutedUntil.getTime() > Date.now())
        throw new MemberMutedError(member.mutedUntil);
      if (conversation.channelType === 'ANNOUNCEMENT' && !canModerate(member.role, viewer)) {
        throw new ForbiddenError('Only owners and moderators post in an announcement channel.');
      }
      if (parentId) {
        const parent = await manager.findOneBy(MessageEntity, {
          id: parentId,
          conversationId: conversation.id,
        });
        if (!parent)
          throw new BadUserInputError('The message replied to is not in this conversation.', 'parentId');
      }
      const id = randomUUID();
      await manager.insert(MessageEntity, {
        id,
        conversationId: conversation.id,
        authorId: viewer.userId,
        body,
        parentId,
      });
      const saved = await manager.findOneByOrFail(MessageEntity, { id });
      await manager.query(
        `UPDATE "messaging".conversations SET last_message_at = $2, last_activity_at = GREATEST(last_activity_at, $2) WHERE id = $1`,
        [conversation.id, saved.createdAt],
      );
      await recordEvent(manager, 'messaging', {
        type: MESSAGE_SENT_EVENT,
        aggregateId: id,
        payload: {
          conversationId: conversation.id,
          authorId: viewer.userId,
          parentId,
          kind: conversation.kind,
        },
      });
      return { message: saved, memberIds: await this.conversations.memberIds(manager, conversation.id) };
    });
    this.publisher.messageAdded(this.snapshot(message, []));
    this.publisher.unread(
      memberIds.filter((id) => id !== viewer.userId),
      message.conversationId,
    );
    return message;
  }

  /** The author edits the text of a message that is not deleted. */
  async edit(viewer: Viewer, input: { messageId: string; body: string }): Promise<MessageEntity> {
    const body = cleanBody(input.body);
    const message = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockMessage(manager, input.messageId);
      await this.conversations.requireMember(current.conversationId, viewer, manager);
      if (current.authorId !== viewer.userId) throw new ForbiddenError('Only the author can edit a message.');
      if (current.deletedAt) throw new MessageDeletedError();
      await manager.update(MessageEntity, { id: current.id }, { body, editedAt: new Date() });
      return manager.findOneByOrFail(MessageEntity, { id: current.id });
    });
    await this.publishUpdate(message, false);
    return message;
  }

  /** The author or a moderator deletes: the text is removed, the message stays as a tombstone. */
  async delete(viewer: Viewer, input: { messageId: string }): Promise<MessageEntity> {
    const message = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockMessage(manager, input.messageId);
      if (current.authorId === viewer.userId)
        await this.conversations.requireMember(current.conversationId, viewer, manager);
      else await this.conversations.requireModerator(current.conversationId, viewer, manager);
      if (current.deletedAt) return current;
      await manager.update(
        MessageEntity,
        { id: current.id },
        { body: null, deletedAt: new Date(), deletedBy: viewer.userId },
      );
      await manager.delete(MessageReactionEntity, { messageId: current.id });
      return manager.findOneByOrFail(MessageEntity, { id: current.id });
    });
    await this.publishUpdate(message, true);
    return message;
  }

  /** Moderators hide a message (its text is withheld from members) or restore it. */
  async setHidden(viewer: Viewer, input: { messageId: string }, hidden: boolean): Promise<MessageEntity> {
    const message = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockMessage(manager, input.messageId);
      await this.conversations.requireModerator(current.conversationId, viewer, manager);
      if (current.deletedAt) throw new MessageDeletedError();
      if (Boolean(current.hiddenAt) === hidden) return current;
      await manager.update(
        MessageEntity,
        { id: current.id },
        hidden ? { hiddenAt: new Date(), hiddenBy: viewer.userId } : { hiddenAt: null, hiddenBy: null },
      );
      return manager.findOneByOrFail(MessageEntity, { id: current.id });
    });
    await this.publishUpdate(message, true);
    return message;
  }

  /** One reaction per user per emoji (adding twice is a no-op). */
  async react(
    viewer: Viewer,
    input: { messageId: string; emoji: string },
    add: boolean,
  ): Promise<MessageEntity> {
    const emoji = input.emoji.trim();
    if (!EMOJI.test(emoji))
      throw new BadUserInputError('An emoji has 1–32 characters and no spaces.', 'emoji');
    const message = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockMessage(manager, input.messageId);
      const { member } = await this.conversations.requireMember(current.conversationId, viewer, manager);
      if (current.deletedAt) throw new MessageDeletedError();
      if (add) {
        if (member.mutedUntil && member.mutedUntil.getTime() > Date.now())
          throw new MemberMutedError(member.mutedUntil);
        await manager
          .createQueryBuilder()
          .insert()
          .into(MessageReactionEntity)
          .values({ messageId: current.id, userId: viewer.userId, emoji })
          .orIgnore()
          .execute();
      } else {
        await manager.delete(MessageReactionEntity, { messageId: current.id, userId: viewer.userId, emoji });
      }
      return current;
    });
    await this.publishUpdate(message, false);
    return message;
  }

  /** Ephemeral typing indicator: members only, published and not stored. */
  async typing(viewer: Viewer, input: { conversationId: string; isTyping: boolean }): Promise<void> {
    const { conversation } = await this.conversations.requireMember(input.conversationId, viewer);
    this.publisher.typing({
      conversationId: conversation.id,
      userId: viewer.userId,
      isTyping: input.isTyping,
      at: new Date().toISOString(),
    });
  }

  private async lockMessage(manager: EntityManager, messageId: string): Promise<MessageEntity> {
    assertUuid(messageId, 'messageId');
    const message = await manager
      .createQueryBuilder(MessageEntity, 'm')
      .setLock('pessimistic_write')
      .where('m.id = :id', { id: messageId })
      .getOne();
    if (!message) throw new NotFoundError('Message');
    return message;
  }

  private async publishUpdate(message: MessageEntity, unreadMayChange: boolean): Promise<void> {
    const [reactions = []] = await this.reactionsOf([message.id]);
    this.publisher.messageUpdated(this.snapshot(message, reactions));
    if (unreadMayChange) {
      const memberIds = await this.conversations.memberIds(this.dataSource.manager, message.conversationId);
      this.publisher.unread(
        memberIds.filter((id) => id !== message.authorId),
        message.conversationId,
      );
    }
  }

  snapshot(message: MessageEntity, reactions: MessageReactionEntity[]): MessageSnapshot {
    const grouped = new Map<string, string[]>();
    for (const r of reactions) grouped.set(r.emoji, [...(grouped.get(r.emoji) ?? []), r.userId]);
    return {
      id: message.id,
      conversationId: message.conversationId,
      authorId: message.authorId,
      body: message.body,
      parentId: message.parentId,
      createdAt: message.createdAt.toISOString(),
      editedAt: iso(message.editedAt),
      deletedAt: iso(message.deletedAt),
      hiddenAt: iso(message.hiddenAt),
      reactions: [...grouped].map(([emoji, userIds]) => ({ emoji, userIds })),
    };
  }

  /** History, newest first (keyset over created_at, id). One query per page. Caller checks membership. */
  history(conversationId: string, args: ConnectionArgs): Promise<Connection<MessageEntity>> {
    const qb = this.messages
      .createQueryBuilder('m')
      .where('m.conversation_id = :conversationId', { conversationId });
    return paginate(qb, args, { alias: 'm', sortBy: 'createdAt', direction: 'DESC' });
  }

  /** Catch-up after a reconnect: messages strictly after a cursor, oldest first. */
  since(
    conversationId: string,
    args: { since: string; first?: number | null },
  ): Promise<Connection<MessageEntity>> {
    decodeCursor(args.since, 2);
    const qb = this.messages
      .createQueryBuilder('m')
      .where('m.conversation_id = :conversationId', { conversationId });
    return paginate(
      qb,
      { first: args.first ?? null, after: args.since },
      { alias: 'm', sortBy: 'createdAt', direction: 'ASC' },
    );
  }

  // ---- batch reads for DataLoaders ----

  async byIds(ids: readonly string[]): Promise<(MessageEntity | null)[]> {
    const valid = ids.filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const rows = valid.length
      ? await this.messages.createQueryBuilder('m').where('m.id IN (:...ids)', { ids: valid }).getMany()
      : [];
    return byKey(ids, rows, (r) => r.id);
  }

  async reactionsOf(messageIds: readonly string[]): Promise<MessageReactionEntity[][]> {
    const rows = await this.dataSource
      .getRepository(MessageReactionEntity)
      .createQueryBuilder('r')
      .where('r.message_id IN (:...ids)', { ids: [...messageIds] })
      .orderBy('r.created_at', 'ASC')
      .getMany();
    return groupByKey(messageIds, rows, (r) => r.messageId);
  }

  async replyCounts(messageIds: readonly string[]): Promise<number[]> {
    const rows = (await this.dataSource.query(
      `SELECT parent_id, count(*)::int AS n FROM "messaging".messages WHERE parent_id = ANY($1::uuid[]) AND deleted_at IS NULL GROUP BY parent_id`,
      [messageIds],
    )) as { parent_id: string; n: number }[];
    const counts = new Map(rows.map((r) => [r.parent_id, r.n]));
    return messageIds.map((id) => counts.get(id) ?? 0);
  }

  /** Is the member allowed to see hidden text? (membership row of the viewer, may be null). */
  static canSeeHidden(member: ConversationMemberEntity | null, viewer: Viewer | null): boolean {
    return canModerate(member?.role, viewer);
  }
}
