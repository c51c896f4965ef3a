import { ConversationEntity, ConversationMemberEntity } from './modules/conversation/conversation.entity.js';
import { MessageEntity, MessageReactionEntity } from './modules/message/message.entity.js';

export const messagingEntities = [
  ConversationEntity,
  ConversationMemberEntity,
  MessageEntity,
  MessageReactionEntity,
];
