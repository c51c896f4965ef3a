import { GraphQLError } from 'graphql';

/** Codes every subgraph may use; domains add their own SCREAMING_SNAKE codes. */
export type CommonErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'INTERNAL_SERVER_ERROR';

/**
 * A typed, safe-to-show error. The message is for people, `code` is for programs
 * (it becomes `extensions.code`). Anything that is not a DomainError is masked in production.
 */
export class DomainError<Code extends string = string> extends GraphQLError {
  readonly code: Code;

  constructor(code: Code, message: string, details?: Record<string, unknown>) {
    super(message, { extensions: { code, ...details } });
    this.code = code;
    this.name = 'DomainError';
  }
}

export class UnauthenticatedError extends DomainError<'UNAUTHENTICATED'> {
  constructor(message = 'You must be signed in to do this.') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends DomainError<'FORBIDDEN'> {
  constructor(message = 'You are not allowed to do this.') {
    super('FORBIDDEN', message);
  }
}

export class BadUserInputError extends DomainError<'BAD_USER_INPUT'> {
  constructor(message: string, field?: string) {
    super('BAD_USER_INPUT', message, field ? { field } : undefined);
  }
}

export class NotFoundError extends DomainError<'NOT_FOUND'> {
  constructor(what: string) {
    super('NOT_FOUND', `${what} was not found.`);
  }
}

export class RateLimitedError extends DomainError<'RATE_LIMITED'> {
  constructor(retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many requests. Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
