import { DomainError } from '@edugraph/kit';

/** Messaging's own codes (besides the kit's UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND). */
export type MessagingErrorCode = 'MEMBER_MUTED' | 'GROUP_FULL' | 'MESSAGE_DELETED';

export class MessagingError extends DomainError<MessagingErrorCode> {}

export class MemberMutedError extends MessagingError {
  constructor(until: Date) {
    super('MEMBER_MUTED', `You are muted in this conversation until ${until.toISOString()}.`, {
      mutedUntil: until.toISOString(),
    });
  }
}

export class GroupFullError extends MessagingError {
  constructor(max: number) {
    super('GROUP_FULL', `A group conversation has at most ${max} members.`, { max });
  }
}

export class MessageDeletedError extends MessagingError {
  constructor() {
    super('MESSAGE_DELETED', 'This message was deleted.');
  }
}
