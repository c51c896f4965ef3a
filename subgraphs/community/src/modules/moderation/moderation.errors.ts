import { DomainError } from '@edugraph/kit';

/** Moderation's own codes (besides the kit's and the foundation's). */
export type ModerationErrorCode =
  'ALREADY_REPORTED' | 'INVALID_MODERATION_ACTION' | 'UNDO_NOT_ALLOWED' | 'MODERATION_STATE_CHANGED';

export class ModerationError extends DomainError<ModerationErrorCode> {}

export class AlreadyReportedError extends ModerationError {
  constructor() {
    super('ALREADY_REPORTED', 'You already have an open report about this.');
  }
}

export class InvalidModerationActionError extends ModerationError {
  constructor(message: string) {
    super('INVALID_MODERATION_ACTION', message);
  }
}

/** `reason`: ALREADY_UNDONE, NOT_LATEST (a later action must be undone first) or UNDO (an undo is final). */
export class UndoNotAllowedError extends ModerationError {
  constructor(reason: 'ALREADY_UNDONE' | 'NOT_LATEST' | 'UNDO', message: string) {
    super('UNDO_NOT_ALLOWED', message, { reason });
  }
}

/** The content or membership changed since the action (outside moderation): an undo would not be exact. */
export class ModerationStateChangedError extends ModerationError {
  constructor() {
    super('MODERATION_STATE_CHANGED', 'The target changed since this action; it cannot be undone exactly.');
  }
}
