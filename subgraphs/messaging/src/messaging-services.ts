import { byKey, type LoaderFactory, type PubSub, type Redis } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type {
  ConversationEntity,
  ConversationMemberEntity,
} from './modules/conversation/conversation.entity.js';
import { ConversationService } from './modules/conversation/conversation.service.js';
import { MessageEntity, type MessageReactionEntity } from './modules/message/message.entity.js';
import { MessageService } from './modules/message/message.service.js';
import { PresenceService } from './modules/presence/presence.service.js';
import { MembershipGate } from './modules/realtime/membership-gate.js';
import { RealtimePublisher, type PresencePayload } from './modules/realtime/realtime.topics.js';

/** Per-request DataLoaders (factories are per services instance, so `ctx.loaders.get(factory)` keys them). */
export type MessagingLoaders = {
  conversation: LoaderFactory<string, ConversationEntity | null>;
  /** Key `conversationId|userId`. */
  membership: LoaderFactory<string, ConversationMemberEntity | null>;
  memberCount: LoaderFactory<string, number>;
  /** Key `userId|conversationId`. */
  unreadCount: LoaderFactory<string, number>;
  lastMessage: LoaderFactory<string, MessageEntity | null>;
  message: LoaderFactory<string, MessageEntity | null>;
  reactions: LoaderFactory<string, MessageReactionEntity[]>;
  replyCount: LoaderFactory<string, number>;
  presence: LoaderFactory<string, PresencePayload>;
};

export type MessagingServices = {
  conversations: ConversationService;
  messages: MessageService;
  presence: PresenceService;
  gate: MembershipGate;
  publisher: RealtimePublisher;
  pubSub: PubSub;
  loaders: MessagingLoaders;
};

export type MessagingServicesOptions = {
  dataSource: DataSource;
  redis: Redis;
  pubSub: PubSub;
  /** Prefix of Redis keys (presence), e.g. `edugraph:`. */
  keyPrefix: string;
  presenceTtlSeconds: number;
  groupMaxMembers: number;
};

export function createMessagingServices(options: MessagingServicesOptions): MessagingServices {
  const { dataSource } = options;
  const publisher = new RealtimePublisher(options.pubSub);
  const conversations = new ConversationService(dataSource, publisher, {
    groupMaxMembers: options.groupMaxMembers,
  });
  const messages = new MessageService(dataSource, conversations, publisher);
  const presence = new PresenceService(options.redis, publisher, {
    keyPrefix: options.keyPrefix,
    ttlSeconds: options.presenceTtlSeconds,
  });
  const loaders: MessagingLoaders = {
    conversation: () => new DataLoader((ids) => conversations.byIds(ids)),
    membership: () => new DataLoader((keys) => conversations.memberships(keys)),
    memberCount: () => new DataLoader((ids) => conversations.memberCounts(ids)),
    unreadCount: () =>
      new DataLoader(async (keys) => {
        const byUser = new Map<string, string[]>();
        for (const key of keys) {
          const [userId = '', conversationId = ''] = key.split('|');
          byUser.set(userId, [...(byUser.get(userId) ?? []), conversationId]);
        }
        const counts = new Map<string, number>();
        for (const [userId, ids] of byUser) {
          const values = await conversations.unreadCounts(userId, ids);
          ids.forEach((id, i) => counts.set(`${userId}|${id}`, values[i] ?? 0));
        }
        return keys.map((key) => counts.get(key) ?? 0);
      }),
    lastMessage: () =>
      new DataLoader(async (conversationIds) => {
        const rows = await dataSource
          .getRepository(MessageEntity)
          .createQueryBuilder('m')
          .distinctOn(['m.conversation_id'])
          .where('m.conversation_id IN (:...ids)', { ids: [...conversationIds] })
          .orderBy('m.conversation_id')
          .addOrderBy('m.created_at', 'DESC')
          .addOrderBy('m.id', 'DESC')
          .getMany();
        return byKey(conversationIds, rows, (r) => r.conversationId);
      }),
    message: () => new DataLoader((ids) => messages.byIds(ids)),
    reactions: () => new DataLoader((ids) => messages.reactionsOf(ids)),
    replyCount: () => new DataLoader((ids) => messages.replyCounts(ids)),
    presence: () => new DataLoader((ids) => presence.of(ids), { maxBatchSize: 100 }),
  };
  return {
    conversations,
    messages,
    presence,
    gate: new MembershipGate(conversations),
    publisher,
    pubSub: options.pubSub,
    loaders,
  };
}
