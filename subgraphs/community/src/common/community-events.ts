import { recordEvent } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import { COMMUNITY_SCHEMA } from '../environment.js';
import type { CommunityMemberRole } from '../modules/access/permissions.js';

/**
 * Domain events the community subgraph publishes (kit outbox → relay → BullMQ). Record them with
 * `recordCommunityEvent(manager, …)` inside the transaction that makes the change.
 */
export const COMMUNITY_CREATED = 'community.created';
export const COMMUNITY_UPDATED = 'community.updated';
export const COMMUNITY_MEMBER_JOINED = 'community.member.joined';
export const COMMUNITY_MEMBER_LEFT = 'community.member.left';
export const COMMUNITY_MEMBER_ROLE_CHANGED = 'community.member.role_changed';

export type CommunityCreatedPayload = {
  communityId: string;
  ownerId: string;
  name: string;
  slug: string;
  visibility: string;
  createdAt: string;
};

export type CommunityUpdatedPayload = {
  communityId: string;
  name: string;
  slug: string;
  visibility: string;
  archived: boolean;
  updatedAt: string;
};

/** A user became an ACTIVE member (joined, approved, accepted an invite, or created the community). */
export type CommunityMemberJoinedPayload = {
  communityId: string;
  userId: string;
  membershipId: string;
  role: CommunityMemberRole;
  joinedAt: string;
};

/** An ACTIVE member stopped being one. */
export type CommunityMemberLeftPayload = {
  communityId: string;
  userId: string;
  membershipId: string;
  reason: 'LEFT' | 'REMOVED' | 'BANNED';
  leftAt: string;
};

export type CommunityMemberRoleChangedPayload = {
  communityId: string;
  userId: string;
  membershipId: string;
  previousRole: CommunityMemberRole;
  role: CommunityMemberRole;
  customRoleId: string | null;
  changedAt: string;
};

// --- events module (src/modules/events) ---
export const COMMUNITY_EVENT_CREATED = 'community.event.created';
export const COMMUNITY_EVENT_UPDATED = 'community.event.updated';
export const COMMUNITY_EVENT_CANCELLED = 'community.event.cancelled';
export const COMMUNITY_EVENT_RSVP_PROMOTED = 'community.event.rsvp_promoted';
export const COMMUNITY_EVENT_REMINDER_DUE = 'community.event.reminder_due';
export const COMMUNITY_EVENT_ATTENDED = 'community.event.attended';

/** A new event (one-off or a series); `occurrenceCount` occurrences from `startsAt`. */
export type CommunityEventCreatedPayload = {
  communityId: string;
  eventId: string;
  createdBy: string;
  title: string;
  visibility: 'PUBLIC' | 'MEMBERS';
  startsAt: string;
  endsAt: string;
  timeZone: string;
  recurrence: string | null;
  occurrenceCount: number;
  createdAt: string;
};

/** An event changed; `timingChanged` when its times, zone or recurrence did (occurrences were moved). */
export type CommunityEventUpdatedPayload = {
  communityId: string;
  eventId: string;
  title: string;
  timingChanged: boolean;
  startsAt: string;
  occurrenceCount: number;
  updatedAt: string;
};

/**
 * The whole event (`occurrenceId` null) or one occurrence was cancelled. `userIds`: who had said
 * GOING, INTERESTED or was waitlisted for an affected upcoming occurrence (at most 10,000; `truncated`).
 */
export type CommunityEventCancelledPayload = {
  communityId: string;
  eventId: string;
  occurrenceId: string | null;
  reason: string | null;
  userIds: string[];
  truncated: boolean;
  cancelledAt: string;
};

/** A waitlisted member got a place (someone dropped out or the capacity grew). */
export type CommunityEventRsvpPromotedPayload = {
  communityId: string;
  eventId: string;
  occurrenceId: string;
  occurrenceStart: string;
  userId: string;
  promotedAt: string;
};

/**
 * An occurrence starts in `offsetMinutes` (a configured reminder offset; once per occurrence, offset
 * and start time). `userIds`: GOING then INTERESTED members, request order, at most 10,000.
 */
export type CommunityEventReminderDuePayload = {
  communityId: string;
  eventId: string;
  occurrenceId: string;
  occurrenceStart: string;
  occurrenceEnd: string;
  timeZone: string;
  title: string;
  offsetMinutes: number;
  userIds: string[];
  going: number;
  interested: number;
  truncated: boolean;
};

/** A member attended an occurrence (checked in, or marked by a manager); once per user and occurrence. */
export type CommunityEventAttendedPayload = {
  communityId: string;
  eventId: string;
  occurrenceId: string;
  occurrenceStart: string;
  userId: string;
  method: 'CHECK_IN' | 'MARKED';
  markedBy: string | null;
  attendedAt: string;
};

// --- engagement module (src/modules/engagement) ---
export const COMMUNITY_MEMBER_LEVEL_UP = 'community.member.level_up';

/** A member's lifetime points crossed one or more level thresholds (one event, even for several levels). */
export type CommunityMemberLevelUpPayload = {
  communityId: string;
  userId: string;
  previousLevel: number;
  level: number;
  lifetimePoints: number;
  reachedAt: string;
};

// --- feed module (src/modules/feed) ---
export const COMMUNITY_POST_CREATED = 'community.post.created';
export const COMMUNITY_POST_DELETED = 'community.post.deleted';
export const COMMUNITY_COMMENT_CREATED = 'community.comment.created';
export const COMMUNITY_REACTION_ADDED = 'community.reaction.added';
export const COMMUNITY_REACTION_REMOVED = 'community.reaction.removed';

/**
 * A post became visible: at creation, or at its `publishAt` for a scheduled post (recorded by the
 * scheduled-post job). `body` is the sanitised HTML (moderation's automatic flags read it), `excerpt`
 * plain text for notifications; `mentionUserIds` and `mentionHandles` (`@handle` as written, lowercased)
 * for mention notifications; `announcement` for "notify every member".
 */
export type CommunityPostCreatedPayload = {
  communityId: string;
  postId: string;
  authorId: string;
  createdAt: string;
  publishedAt: string;
  title: string | null;
  body: string;
  excerpt: string;
  tags: string[];
  mentionUserIds: string[];
  mentionHandles: string[];
  announcement: boolean;
  requiredTierId: string | null;
  scheduled: boolean;
};

/** A post was deleted by its author or a moderator (`deletedById`). */
export type CommunityPostDeletedPayload = {
  communityId: string;
  postId: string;
  authorId: string;
  deletedById: string;
  deletedAt: string;
};

/** `parentId` null: a top-level comment; `parentAuthorId` for reply notifications. */
export type CommunityCommentCreatedPayload = {
  communityId: string;
  postId: string;
  commentId: string;
  authorId: string;
  parentId: string | null;
  postAuthorId: string;
  parentAuthorId: string | null;
  body: string;
  mentionUserIds: string[];
  mentionHandles: string[];
  createdAt: string;
};

/** `targetAuthorId`: who received the reaction (engagement awards them points). */
export type CommunityReactionPayload = {
  communityId: string;
  postId: string;
  targetType: 'POST' | 'COMMENT';
  targetId: string;
  targetAuthorId: string;
  userId: string;
  emoji: string;
  createdAt: string;
};

// --- paywall module (src/modules/paywall) ---
export const COMMUNITY_TIER_GRANTED = 'community.tier.granted';
export const COMMUNITY_TIER_REVOKED = 'community.tier.revoked';

/** A member gained access to a paid tier (`subscriptionId` null for a manual grant). */
export type CommunityTierGrantedPayload = {
  communityId: string;
  tierId: string;
  userId: string;
  grantId: string;
  subscriptionId: string | null;
  grantedAt: string;
};

/** A member lost access to a paid tier: the subscription was canceled at once or expired. */
export type CommunityTierRevokedPayload = {
  communityId: string;
  tierId: string;
  userId: string;
  grantId: string;
  subscriptionId: string | null;
  reason: 'CANCELED' | 'EXPIRED' | 'MANUAL';
  revokedAt: string;
};

// --- moderation module (src/modules/moderation) ---
export const COMMUNITY_MODERATION_ACTION = 'community.moderation.action';

/**
 * A moderator acted on a case (or undid an action; `undoneActionId`). `targetType` POST | COMMENT |
 * MEMBER, `targetUserId` the author or member concerned (notifications).
 */
export type CommunityModerationActionPayload = {
  communityId: string;
  caseId: string;
  actionId: string;
  action: string;
  targetType: 'POST' | 'COMMENT' | 'MEMBER';
  targetId: string;
  targetUserId: string | null;
  actorId: string | null;
  undoneActionId: string | null;
  occurredAt: string;
};

type Payloads = {
  [COMMUNITY_CREATED]: CommunityCreatedPayload;
  [COMMUNITY_UPDATED]: CommunityUpdatedPayload;
  [COMMUNITY_MEMBER_JOINED]: CommunityMemberJoinedPayload;
  [COMMUNITY_MEMBER_LEFT]: CommunityMemberLeftPayload;
  [COMMUNITY_MEMBER_ROLE_CHANGED]: CommunityMemberRoleChangedPayload;
  [COMMUNITY_EVENT_CREATED]: CommunityEventCreatedPayload;
  [COMMUNITY_EVENT_UPDATED]: CommunityEventUpdatedPayload;
  [COMMUNITY_EVENT_CANCELLED]: CommunityEventCancelledPayload;
  [COMMUNITY_EVENT_RSVP_PROMOTED]: CommunityEventRsvpPromotedPayload;
  [COMMUNITY_EVENT_REMINDER_DUE]: CommunityEventReminderDuePayload;
  [COMMUNITY_EVENT_ATTENDED]: CommunityEventAttendedPayload;
  [COMMUNITY_MEMBER_LEVEL_UP]: CommunityMemberLevelUpPayload;
  [COMMUNITY_POST_CREATED]: CommunityPostCreatedPayload;
  [COMMUNITY_POST_DELETED]: CommunityPostDeletedPayload;
  [COMMUNITY_COMMENT_CREATED]: CommunityCommentCreatedPayload;
  [COMMUNITY_REACTION_ADDED]: CommunityReactionPayload;
  [COMMUNITY_REACTION_REMOVED]: CommunityReactionPayload;
  [COMMUNITY_TIER_GRANTED]: CommunityTierGrantedPayload;
  [COMMUNITY_TIER_REVOKED]: CommunityTierRevokedPayload;
  [COMMUNITY_MODERATION_ACTION]: CommunityModerationActionPayload;
};

/** Records one of the foundation's events in `community.outbox` (aggregate: the community id). */
export async function recordCommunityEvent<T extends keyof Payloads>(
  manager: EntityManager,
  type: T,
  payload: Payloads[T],
): Promise<string> {
  return recordEvent(manager, COMMUNITY_SCHEMA, { type, aggregateId: payload.communityId, payload });
}
