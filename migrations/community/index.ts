import { CommunityInit1764900000000 } from './1764900000000-community-init.js';
import { CommunityMembershipInvites1764900100000 } from './1764900100000-community-membership-invites.js';
import { CommunityEvents1764900300000 } from './1764900300000-community-events.js';
import { CommunityFeed1764900200000 } from './1764900200000-community-feed.js';
import { CommunityEngagement1764900400000 } from './1764900400000-community-engagement.js';
import { CommunityPaywall1764900500000 } from './1764900500000-community-paywall.js';
import { CommunityModeration1764900600000 } from './1764900600000-community-moderation.js';

/**
 * Community migrations, oldest first. Modules name theirs `<timestamp>-community-<module>-<what>.ts`
 * with the timestamp in their own block (README of subgraphs/community): membership 17649001…, feed
 * 17649002…, events 17649003…, engagement 17649004…, paywall 17649005…, moderation 17649006….
 */
export const communityMigrations = [
  CommunityInit1764900000000,
  CommunityMembershipInvites1764900100000,
  CommunityEvents1764900300000,
  CommunityEngagement1764900400000,
  CommunityFeed1764900200000,
  CommunityPaywall1764900500000,
  CommunityModeration1764900600000,
];
