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

type Payloads = {
  [COMMUNITY_CREATED]: CommunityCreatedPayload;
  [COMMUNITY_UPDATED]: CommunityUpdatedPayload;
  [COMMUNITY_MEMBER_JOINED]: CommunityMemberJoinedPayload;
  [COMMUNITY_MEMBER_LEFT]: CommunityMemberLeftPayload;
  [COMMUNITY_MEMBER_ROLE_CHANGED]: CommunityMemberRoleChangedPayload;
};

/** Records one of the foundation's events in `community.outbox` (aggregate: the community id). */
export async function recordCommunityEvent<T extends keyof Payloads>(
  manager: EntityManager,
  type: T,
  payload: Payloads[T],
): Promise<string> {
  return recordEvent(manager, COMMUNITY_SCHEMA, { type, aggregateId: payload.communityId, payload });
}
