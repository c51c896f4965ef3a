import { DomainError } from '@edugraph/kit';

/** The feed module's codes (besides the kit's and the foundation's). */
export type FeedErrorCode =
  | 'COMMENT_TOO_DEEP'
  | 'INVALID_EMOJI'
  | 'REACTION_LIMIT'
  | 'POLL_CLOSED'
  | 'INVALID_POLL_VOTE'
  | 'INVALID_PUBLISH_TIME'
  | 'TIER_REQUIRED'
  | 'PIN_LIMIT'
  | 'CLASSROOM_FULL';

export class FeedError extends DomainError<FeedErrorCode> {}

export class CommentTooDeepError extends FeedError {
  constructor(maxDepth: number) {
    super('COMMENT_TOO_DEEP', `Replies nest at most ${maxDepth} levels deep; reply to the comment above.`, {
      field: 'parentId',
      maxDepth,
    });
  }
}

export class InvalidEmojiError extends FeedError {
  constructor() {
    super('INVALID_EMOJI', 'A reaction is one emoji (a single emoji character or sequence).', {
      field: 'emoji',
    });
  }
}

export class ReactionLimitError extends FeedError {
  constructor(max: number) {
    super('REACTION_LIMIT', `At most ${max} different reactions per person on one post or comment.`, { max });
  }
}

export class PollClosedError extends FeedError {
  constructor() {
    super('POLL_CLOSED', 'This poll is closed.');
  }
}

export class InvalidPollVoteError extends FeedError {
  constructor(message: string) {
    super('INVALID_POLL_VOTE', message, { field: 'optionIds' });
  }
}

export class InvalidPublishTimeError extends FeedError {
  constructor(message: string) {
    super('INVALID_PUBLISH_TIME', message, { field: 'publishAt' });
  }
}

/** The post or resource is for members of a paid tier the viewer does not hold. */
export class TierRequiredError extends FeedError {
  constructor(tierId: string) {
    super('TIER_REQUIRED', 'This content is for members of a paid tier.', { tierId });
  }
}

/** FORBIDDEN (`reason: NOT_AUTHOR`): only the author may edit; the author or POST_MODERATE may delete. */
export class NotAuthorError extends DomainError<'FORBIDDEN'> {
  constructor(message = 'Only the author can do this.') {
    super('FORBIDDEN', message, { reason: 'NOT_AUTHOR' });
  }
}

export class PinLimitError extends FeedError {
  constructor(max: number) {
    super('PIN_LIMIT', `At most ${max} posts can be pinned; unpin one first.`, { max });
  }
}

export class ClassroomFullError extends FeedError {
  constructor(max: number) {
    super('CLASSROOM_FULL', `A classroom links at most ${max} courses.`, { max });
  }
}
