import { CommunityEntity } from './modules/community/community.entity.js';
import {
  CommunityInviteEntity,
  CommunityRoleEntity,
  MembershipEntity,
} from './modules/membership/membership.entity.js';
import { eventEntities } from './modules/events/event.entity.js';
import { engagementEntities } from './modules/engagement/engagement.entity.js';
import { paywallEntities } from './modules/paywall/paywall.entity.js';
import { feedEntities } from './modules/feed/feed.entity.js';
import { moderationEntities } from './modules/moderation/moderation.entity.js';

/**
 * Every TypeORM entity of the community subgraph. Modules append theirs (one import line and one
 * array entry each; keep the existing lines as they are).
 */
export const communityEntities = [
  CommunityEntity,
  MembershipEntity,
  CommunityRoleEntity,
  CommunityInviteEntity,
  ...eventEntities,
  ...engagementEntities,
  ...paywallEntities,
  ...moderationEntities,
  ...feedEntities,
];
