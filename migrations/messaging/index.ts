import { MessagingInit1764500000000 } from './1764500000000-messaging-init.js';

export const messagingMigrations = [MessagingInit1764500000000];
