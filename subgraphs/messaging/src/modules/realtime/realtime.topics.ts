import type { PubSub } from '@edugraph/kit';

/** Redis pub/sub topics (the PubSub adds the deployment prefix). One topic per event kind, id = conversation. */
export const TOPICS = {
  messageAdded: 'messaging.message-added',
  messageUpdated: 'messaging.message-updated',
  typing: 'messaging.typing',
  presence: 'messaging.presence',
  unread: 'messaging.unread',
} as const;

/** Everything a subscriber needs to render a message, so an event costs no per-subscriber message query. */
export type MessageSnapshot = {
  id: string;
  conversationId: string;
  authorId: string;
  body: string | null;
  parentId: string | null;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  hiddenAt: string | null;
  reactions: { emoji: string; userIds: string[] }[];
};

export type TypingPayload = { conversationId: string; userId: string; isTyping: boolean; at: string };
export type PresencePayload = { userId: string; status: PresenceStatusValue; lastSeenAt: string | null };
export type PresenceStatusValue = 'ONLINE' | 'AWAY' | 'OFFLINE';
export type UnreadPayload = { conversationId: string };

/** Publishes messaging events; every subgraph instance sharing Redis delivers them to its subscribers. */
export class RealtimePublisher {
  constructor(private readonly pubSub: PubSub) {}

  messageAdded(message: MessageSnapshot): void {
    this.pubSub.publish(TOPICS.messageAdded, message.conversationId, message);
  }

  messageUpdated(message: MessageSnapshot): void {
    this.pubSub.publish(TOPICS.messageUpdated, message.conversationId, message);
  }

  typing(payload: TypingPayload): void {
    this.pubSub.publish(TOPICS.typing, payload.conversationId, payload);
  }

  presence(payload: PresencePayload): void {
    this.pubSub.publish(TOPICS.presence, payload);
  }

  /** Tells each user that their unread count of the conversation may have changed. */
  unread(userIds: readonly string[], conversationId: string): void {
    for (const userId of userIds)
      this.pubSub.publish(TOPICS.unread, userId, { conversationId } satisfies UnreadPayload);
  }
}
