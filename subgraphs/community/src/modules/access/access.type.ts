import { registerEnumType } from 'type-graphql';

/** GraphQL mirror of `COMMUNITY_PERMISSIONS` (permissions.ts); a spec keeps the two equal. */
export enum CommunityPermissionEnum {
  CONTENT_READ = 'CONTENT_READ',
  POST_CREATE = 'POST_CREATE',
  COMMENT_CREATE = 'COMMENT_CREATE',
  REACTION_CREATE = 'REACTION_CREATE',
  POLL_VOTE = 'POLL_VOTE',
  EVENT_RSVP = 'EVENT_RSVP',
  CONTENT_REPORT = 'CONTENT_REPORT',
  POST_PIN = 'POST_PIN',
  POST_ANNOUNCE = 'POST_ANNOUNCE',
  POST_MODERATE = 'POST_MODERATE',
  REPORTS_HANDLE = 'REPORTS_HANDLE',
  MEMBER_INVITE = 'MEMBER_INVITE',
  MEMBER_APPROVE = 'MEMBER_APPROVE',
  MEMBER_MUTE = 'MEMBER_MUTE',
  MEMBER_REMOVE = 'MEMBER_REMOVE',
  MEMBER_BAN = 'MEMBER_BAN',
  MEMBER_ROLE_SET = 'MEMBER_ROLE_SET',
  ROLE_MANAGE = 'ROLE_MANAGE',
  EVENT_MANAGE = 'EVENT_MANAGE',
  RESOURCE_MANAGE = 'RESOURCE_MANAGE',
  POINTS_AWARD = 'POINTS_AWARD',
  TIER_MANAGE = 'TIER_MANAGE',
  COMMUNITY_UPDATE = 'COMMUNITY_UPDATE',
  COMMUNITY_ARCHIVE = 'COMMUNITY_ARCHIVE',
  OWNERSHIP_TRANSFER = 'OWNERSHIP_TRANSFER',
}
registerEnumType(CommunityPermissionEnum, {
  name: 'CommunityPermission',
  description: 'What a member may do in a community (built-in role defaults plus custom roles).',
});

export enum CommunityMemberRoleEnum {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  MODERATOR = 'MODERATOR',
  MEMBER = 'MEMBER',
}
registerEnumType(CommunityMemberRoleEnum, {
  name: 'CommunityMemberRole',
  description: 'Built-in roles inside a community: OWNER > ADMIN > MODERATOR > MEMBER.',
});

export enum CommunityMembershipStatusEnum {
  ACTIVE = 'ACTIVE',
  PENDING = 'PENDING',
  BANNED = 'BANNED',
  LEFT = 'LEFT',
  INVITED = 'INVITED',
}
registerEnumType(CommunityMembershipStatusEnum, {
  name: 'CommunityMembershipStatus',
  description:
    'PENDING: asked to join (waiting for approval). INVITED: invited, not yet accepted. LEFT: left or removed.',
});
