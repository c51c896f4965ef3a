import { DomainError } from '@edugraph/kit';

/** The engagement module's codes (besides the kit's and the foundation's). */
export type EngagementErrorCode = 'SELF_AWARD' | 'RECIPIENT_NOT_MEMBER' | 'IDEMPOTENCY_KEY_REUSED';

export class EngagementError extends DomainError<EngagementErrorCode> {}

export class SelfAwardError extends EngagementError {
  constructor() {
    super('SELF_AWARD', 'You cannot award points to yourself.', { field: 'userId' });
  }
}

export class RecipientNotMemberError extends EngagementError {
  constructor() {
    super('RECIPIENT_NOT_MEMBER', 'Points go to active members of the community only.', { field: 'userId' });
  }
}

/** The same idempotency key was used before for another member or amount. */
export class IdempotencyKeyReusedError extends EngagementError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used for a different award.', {
      field: 'idempotencyKey',
    });
  }
}
