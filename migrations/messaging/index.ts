import { MessagingInit1764500000000 } from './1764500000000-messaging-init.js';
import { ConversationActivity1764500001000 } from './1764500001000-conversation-activity.js';
import { CommunityChannelSync1764500002000 } from './1764500002000-community-channel-sync.js';

export const messagingMigrations = [
  MessagingInit1764500000000,
  ConversationActivity1764500001000,
  CommunityChannelSync1764500002000,
];
