import DataLoader from 'dataloader';
import type { ConversationMemberEntity } from '../conversation/conversation.entity.js';
import type { ConversationService } from '../conversation/conversation.service.js';

/**
 * Per-event membership checks for subscriptions. Process-wide and uncached (always the database's current
 * answer, so a removed member stops receiving at the next event), but batched: all subscribers of this
 * instance checking the same event in the same tick cost one query.
 */
export class MembershipGate {
  private readonly loader: DataLoader<string, ConversationMemberEntity | null>;

  constructor(conversations: ConversationService) {
    this.loader = new DataLoader((keys) => conversations.memberships(keys), {
      cache: false,
      maxBatchSize: 1_000,
    });
  }

  member(conversationId: string, userId: string): Promise<ConversationMemberEntity | null> {
    return this.loader.load(`${conversationId}|${userId}`);
  }
}
