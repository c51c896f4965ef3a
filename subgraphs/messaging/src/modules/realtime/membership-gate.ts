import DataLoader from 'dataloader';
import type { ConversationService } from '../conversation/conversation.service.js';

/**
 * Per-event membership checks for subscriptions. Process-wide and uncached (always the database's current
 * answer, so a removed member stops receiving at the next event), but batched: all subscribers of this
 * instance checking the same event in the same tick cost one query, which reads ids only.
 */
export class MembershipGate {
  private readonly loader: DataLoader<string, boolean>;

  constructor(conversations: ConversationService) {
    this.loader = new DataLoader((keys) => conversations.areMembers(keys), {
      cache: false,
      maxBatchSize: 5_000,
    });
  }

  isMember(conversationId: string, userId: string): Promise<boolean> {
    return this.loader.load(`${conversationId}|${userId}`);
  }
}
