import { DomainError } from '@edugraph/kit';
import type { CommunityPermission } from '../modules/access/permissions.js';

/**
 * The foundation's own codes (besides the kit's UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND,
 * CONFLICT). Modules declare theirs in `<module>.errors.ts` the same way.
 */
export type CommunityErrorCode =
  | 'SLUG_TAKEN'
  | 'COMMUNITY_ARCHIVED'
  | 'ALREADY_MEMBER'
  | 'MEMBER_BANNED'
  | 'JOIN_REQUIRES_INVITE'
  | 'OWNER_CANNOT_LEAVE'
  | 'NOT_A_MEMBER'
  | 'LIMIT_REACHED';

export class CommunityError extends DomainError<CommunityErrorCode> {}

/** Why `CommunityAccess.require` refused (`extensions.reason` of a FORBIDDEN error). */
export type AccessDeniedReason =
  'NOT_MEMBER' | 'PENDING' | 'INVITED' | 'BANNED' | 'MUTED' | 'ARCHIVED' | 'MISSING_PERMISSION' | 'RANK';

/** FORBIDDEN with the permission that was missing and why (`extensions.permission`, `extensions.reason`). */
export class CommunityForbiddenError extends DomainError<'FORBIDDEN'> {
  constructor(message: string, reason: AccessDeniedReason, permission: CommunityPermission | null) {
    super('FORBIDDEN', message, { reason, ...(permission ? { permission } : {}) });
  }
}

export class SlugTakenError extends CommunityError {
  constructor(slug: string) {
    super('SLUG_TAKEN', `The slug "${slug}" is already used by another community.`, { field: 'slug' });
  }
}

export class CommunityArchivedError extends CommunityError {
  constructor() {
    super('COMMUNITY_ARCHIVED', 'This community is archived; it can be read but not changed.');
  }
}

export class AlreadyMemberError extends CommunityError {
  constructor() {
    super('ALREADY_MEMBER', 'You are already a member of this community.');
  }
}

export class MemberBannedError extends CommunityError {
  constructor() {
    super('MEMBER_BANNED', 'You are banned from this community.');
  }
}

export class JoinRequiresInviteError extends CommunityError {
  constructor() {
    super('JOIN_REQUIRES_INVITE', 'This community takes new members by invitation only.');
  }
}

export class OwnerCannotLeaveError extends CommunityError {
  constructor() {
    super('OWNER_CANNOT_LEAVE', 'The owner cannot leave; transfer the ownership to another member first.');
  }
}

export class NotAMemberError extends CommunityError {
  constructor() {
    super('NOT_A_MEMBER', 'You are not a member of this community.');
  }
}

export class LimitReachedError extends CommunityError {
  constructor(message: string, max: number) {
    super('LIMIT_REACHED', message, { max });
  }
}
