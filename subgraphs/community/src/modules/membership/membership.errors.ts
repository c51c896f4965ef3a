import { DomainError } from '@edugraph/kit';

/** Membership's own codes (besides the foundation's in common/community.errors.ts). */
export type MembershipErrorCode =
  | 'INVALID_MEMBERSHIP_STATE'
  | 'INVITE_INVALID'
  | 'INVITE_EXPIRED'
  | 'INVITE_REVOKED'
  | 'INVITE_EXHAUSTED'
  | 'ROLE_NAME_TAKEN';

export class MembershipError extends DomainError<MembershipErrorCode> {}

export class InvalidMembershipStateError extends MembershipError {
  constructor(status: string, action: string) {
    super('INVALID_MEMBERSHIP_STATE', `A ${status.toLowerCase()} membership cannot ${action}.`, { status });
  }
}

export class InviteInvalidError extends MembershipError {
  constructor() {
    super('INVITE_INVALID', 'This invite link is not valid.');
  }
}

export class InviteExpiredError extends MembershipError {
  constructor(expiresAt: Date) {
    super('INVITE_EXPIRED', `This invite link expired at ${expiresAt.toISOString()}.`, {
      expiresAt: expiresAt.toISOString(),
    });
  }
}

export class InviteRevokedError extends MembershipError {
  constructor() {
    super('INVITE_REVOKED', 'This invite link was revoked.');
  }
}

export class InviteExhaustedError extends MembershipError {
  constructor(maxUses: number) {
    super('INVITE_EXHAUSTED', `This invite link has been used its ${maxUses} times.`, { maxUses });
  }
}

export class RoleNameTakenError extends MembershipError {
  constructor(name: string) {
    super('ROLE_NAME_TAKEN', `This community already has a role named "${name}".`, { field: 'name' });
  }
}
