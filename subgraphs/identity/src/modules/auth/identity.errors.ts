import { DomainError, type CommonErrorCode } from '@edugraph/kit';

/** Stable `extensions.code` values of the identity subgraph. */
export type IdentityErrorCode =
  | CommonErrorCode
  | 'EMAIL_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_LOCKED'
  | 'ACCOUNT_DISABLED'
  | 'TWO_FACTOR_REQUIRED'
  | 'TWO_FACTOR_NOT_ENABLED'
  | 'TWO_FACTOR_ALREADY_ENABLED'
  | 'INVALID_REFRESH_TOKEN'
  | 'REFRESH_TOKEN_REUSED'
  | 'INVALID_CODE'
  | 'CODE_EXPIRED'
  | 'COOLDOWN'
  | 'EMAIL_ALREADY_VERIFIED'
  | 'TOO_MANY_API_KEYS';

export class IdentityError extends DomainError<IdentityErrorCode> {}

export const invalidCredentials = () =>
  new IdentityError('INVALID_CREDENTIALS', 'The email or password is incorrect.');

export const accountLocked = (until: Date) =>
  new IdentityError(
    'ACCOUNT_LOCKED',
    'Too many failed sign-in attempts. The account is locked for a while.',
    {
      lockedUntil: until.toISOString(),
    },
  );
