/**
 * The community permission model (pure: no I/O). `CommunityAccess` (community-access.service.ts) loads
 * the community, the viewer's membership and custom role, and asks `effectivePermissions` what they
 * may do. Every module checks its actions against this one table.
 */

/** Built-in roles inside a community (DOMAIN.md), highest first. */
export const COMMUNITY_MEMBER_ROLES = ['OWNER', 'ADMIN', 'MODERATOR', 'MEMBER'] as const;
export type CommunityMemberRole = (typeof COMMUNITY_MEMBER_ROLES)[number];

export const MEMBERSHIP_STATUSES = ['ACTIVE', 'PENDING', 'BANNED', 'LEFT', 'INVITED'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export type CommunityVisibility = 'PUBLIC' | 'PRIVATE';
/** OPEN: joining makes an active member. APPROVAL: a request an approver accepts. INVITE_ONLY: invites only. */
export type JoinPolicy = 'OPEN' | 'APPROVAL' | 'INVITE_ONLY';
/** Who may start posts: every active member, or moderators and above (plus custom roles granting it). */
export type PostingPolicy = 'ALL_MEMBERS' | 'MODERATORS_ONLY';

/**
 * Everything a member may be allowed to do. Modules check one of these; add a value here (and to the
 * tables below) rather than inventing a role check of your own.
 */
export const COMMUNITY_PERMISSIONS = [
  /** See the community's content: posts, comments, events, resources, members, leaderboards. */
  'CONTENT_READ',
  /** Start posts (and polls); MODERATORS_ONLY posting communities keep it from plain members. */
  'POST_CREATE',
  'COMMENT_CREATE',
  'REACTION_CREATE',
  'POLL_VOTE',
  'EVENT_RSVP',
  /** Report a post, comment or member to the moderators. */
  'CONTENT_REPORT',
  /** Pin and unpin posts. */
  'POST_PIN',
  /** Post announcements (notify every member). */
  'POST_ANNOUNCE',
  /** Hide, restore and delete other members' posts and comments. */
  'POST_MODERATE',
  /** Handle reports and moderation cases. */
  'REPORTS_HANDLE',
  /** Create invite links. */
  'MEMBER_INVITE',
  /** Approve or reject join requests. */
  'MEMBER_APPROVE',
  /** Mute members (they keep reading but cannot post, comment or announce). */
  'MEMBER_MUTE',
  /** Remove members (they may join again). */
  'MEMBER_REMOVE',
  /** Ban and unban members (a banned user cannot join again, by request or invite). */
  'MEMBER_BAN',
  /** Give members the ADMIN, MODERATOR or MEMBER role and custom roles (below the actor's own rank). */
  'MEMBER_ROLE_SET',
  /** Create, edit and delete custom roles. */
  'ROLE_MANAGE',
  /** Create, edit and delete events. */
  'EVENT_MANAGE',
  /** Manage the resource library and classroom links. */
  'RESOURCE_MANAGE',
  /** Award or deduct points by hand. */
  'POINTS_AWARD',
  /** Create and edit paid tiers and what they gate. */
  'TIER_MANAGE',
  /** Edit the community's profile and policies. */
  'COMMUNITY_UPDATE',
  /** Archive or restore the community (owner only). */
  'COMMUNITY_ARCHIVE',
  /** Hand the community to another member (owner only). */
  'OWNERSHIP_TRANSFER',
] as const;
export type CommunityPermission = (typeof COMMUNITY_PERMISSIONS)[number];

const MEMBER_DEFAULTS: readonly CommunityPermission[] = [
  'CONTENT_READ',
  'POST_CREATE',
  'COMMENT_CREATE',
  'REACTION_CREATE',
  'POLL_VOTE',
  'EVENT_RSVP',
  'CONTENT_REPORT',
];

const MODERATOR_DEFAULTS: readonly CommunityPermission[] = [
  ...MEMBER_DEFAULTS,
  'POST_PIN',
  'POST_MODERATE',
  'REPORTS_HANDLE',
  'MEMBER_INVITE',
  'MEMBER_APPROVE',
  'MEMBER_MUTE',
  'MEMBER_REMOVE',
  'MEMBER_BAN',
  'EVENT_MANAGE',
  'RESOURCE_MANAGE',
  'POINTS_AWARD',
];

const ADMIN_DEFAULTS: readonly CommunityPermission[] = [
  ...MODERATOR_DEFAULTS,
  'POST_ANNOUNCE',
  'MEMBER_ROLE_SET',
  'ROLE_MANAGE',
  'TIER_MANAGE',
  'COMMUNITY_UPDATE',
];

/** The default permissions of each built-in role (an ACTIVE, unmuted member of a live community). */
export const ROLE_PERMISSIONS: Readonly<Record<CommunityMemberRole, readonly CommunityPermission[]>> = {
  OWNER: COMMUNITY_PERMISSIONS,
  ADMIN: ADMIN_DEFAULTS,
  MODERATOR: MODERATOR_DEFAULTS,
  MEMBER: MEMBER_DEFAULTS,
};

/** Permissions only the owner holds; a custom role cannot grant them. */
export const OWNER_ONLY_PERMISSIONS: readonly CommunityPermission[] = [
  'COMMUNITY_ARCHIVE',
  'OWNERSHIP_TRANSFER',
];

/**
 * What a custom role may add to its holder's built-in role. Role administration stays with admins
 * (a custom role never lets someone change roles), and owner-only permissions stay with the owner.
 */
export const GRANTABLE_PERMISSIONS: readonly CommunityPermission[] = COMMUNITY_PERMISSIONS.filter(
  (p) => !OWNER_ONLY_PERMISSIONS.includes(p) && p !== 'MEMBER_ROLE_SET' && p !== 'ROLE_MANAGE',
);

/** Content creation a muted member loses until `mutedUntil` (reading, reacting, voting and RSVPs stay). */
export const MUTED_PERMISSIONS: readonly CommunityPermission[] = [
  'POST_CREATE',
  'COMMENT_CREATE',
  'POST_ANNOUNCE',
];

/** What remains in an archived community: reading, and the owner's archive switch. */
export const ARCHIVED_PERMISSIONS: readonly CommunityPermission[] = ['CONTENT_READ', 'COMMUNITY_ARCHIVE'];

/** Rank for "above whom may I act": the owner 4, admins 3, moderators 2, members 1. */
export const ROLE_RANK: Readonly<Record<CommunityMemberRole, number>> = {
  OWNER: 4,
  ADMIN: 3,
  MODERATOR: 2,
  MEMBER: 1,
};
/** A platform ADMIN acting in a community outranks its admins but not its owner. */
export const PLATFORM_ADMIN_RANK = 3.5;

export type PermissionInput = {
  community: {
    visibility: CommunityVisibility;
    postingPolicy: PostingPolicy;
    archivedAt: Date | null;
  };
  /** The viewer's membership row, if any (null for anonymous viewers and non-members). */
  membership: {
    role: CommunityMemberRole;
    status: MembershipStatus;
    mutedUntil: Date | null;
  } | null;
  /** Permissions of the membership's custom role (none when it has no custom role). */
  customPermissions: readonly string[];
  /** Whether the viewer holds the platform ADMIN role. */
  platformAdmin: boolean;
  now: Date;
};

/** Whether a membership is ACTIVE and muted at `now`. */
export function isMuted(
  membership: { status: MembershipStatus; mutedUntil: Date | null },
  now: Date,
): boolean {
  return membership.status === 'ACTIVE' && membership.mutedUntil !== null && membership.mutedUntil > now;
}

/**
 * Whether the viewer may read the community's content: in a PUBLIC community anyone who is not banned
 * (signed in or not); in a PRIVATE one only ACTIVE members; a platform ADMIN always.
 */
export function canReadContent(
  input: Pick<PermissionInput, 'community' | 'membership' | 'platformAdmin'>,
): boolean {
  if (input.platformAdmin) return true;
  const status = input.membership?.status ?? null;
  if (status === 'BANNED') return false;
  if (input.community.visibility === 'PUBLIC') return true;
  return status === 'ACTIVE';
}

/**
 * Whether the community itself (its profile: name, description, cover …) is visible: every PUBLIC
 * community; a PRIVATE one to its active members, to people it invited or who asked to join, and to
 * platform admins. Others get NOT_FOUND / null, as if it did not exist.
 */
export function canSeeCommunity(
  input: Pick<PermissionInput, 'community' | 'membership' | 'platformAdmin'>,
): boolean {
  if (input.community.visibility === 'PUBLIC' || input.platformAdmin) return true;
  const status = input.membership?.status ?? null;
  return status === 'ACTIVE' || status === 'PENDING' || status === 'INVITED';
}

/**
 * The viewer's permissions in one community:
 * - an ACTIVE membership grants its role's table (`ROLE_PERMISSIONS`) plus its custom role's
 *   grantable permissions; MEMBERs lose POST_CREATE when the posting policy is MODERATORS_ONLY
 *   (a custom role may give it back);
 * - a muted member loses `MUTED_PERMISSIONS` until `mutedUntil`;
 * - PENDING, INVITED, LEFT, BANNED members and non-members have none, except CONTENT_READ where
 *   `canReadContent` allows it (public communities, not banned);
 * - a platform ADMIN holds every permission but the owner-only ones;
 * - an archived community keeps only `ARCHIVED_PERMISSIONS`.
 */
export function effectivePermissions(input: PermissionInput): Set<CommunityPermission> {
  const granted = new Set<CommunityPermission>();
  const { membership, community } = input;
  if (membership?.status === 'ACTIVE') {
    for (const p of ROLE_PERMISSIONS[membership.role]) granted.add(p);
    if (membership.role === 'MEMBER' && community.postingPolicy === 'MODERATORS_ONLY')
      granted.delete('POST_CREATE');
    for (const p of input.customPermissions)
      if ((GRANTABLE_PERMISSIONS as readonly string[]).includes(p)) granted.add(p as CommunityPermission);
    if (isMuted(membership, input.now)) for (const p of MUTED_PERMISSIONS) granted.delete(p);
  }
  if (input.platformAdmin)
    for (const p of COMMUNITY_PERMISSIONS) if (!OWNER_ONLY_PERMISSIONS.includes(p)) granted.add(p);
  if (canReadContent(input)) granted.add('CONTENT_READ');
  if (community.archivedAt !== null)
    for (const p of [...granted]) if (!ARCHIVED_PERMISSIONS.includes(p)) granted.delete(p);
  return granted;
}

/**
 * A membership's rank for "who may act on whom": its role's `ROLE_RANK` while ACTIVE (a MEMBER with a
 * custom role ranks 1.5 — above plain members, below moderators), 0 otherwise (requesters, invitees,
 * former and banned members).
 */
export function memberRank(
  membership: { role: CommunityMemberRole; status: MembershipStatus; customRoleId?: string | null } | null,
): number {
  if (!membership || membership.status !== 'ACTIVE') return 0;
  const base = ROLE_RANK[membership.role];
  return membership.role === 'MEMBER' && membership.customRoleId ? base + 0.5 : base;
}

/** The rank the viewer acts with (`memberRank`; platform admins at least `PLATFORM_ADMIN_RANK`). */
export function actingRank(
  membership: { role: CommunityMemberRole; status: MembershipStatus; customRoleId?: string | null } | null,
  platformAdmin: boolean,
): number {
  const own = memberRank(membership);
  return platformAdmin ? Math.max(own, PLATFORM_ADMIN_RANK) : own;
}
