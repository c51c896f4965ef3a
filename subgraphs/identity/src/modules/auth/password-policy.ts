import commonPasswords from './common-passwords.data.json' with { type: 'json' };
import { IdentityError } from './identity.errors.js';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

const COMMON = new Set<string>(commonPasswords as string[]);

export type PasswordProblem = 'TOO_SHORT' | 'TOO_LONG' | 'COMMON';

/** NIST-style policy: 8–128 characters (code points), no composition rules, not a common password. */
export function passwordProblem(password: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return 'TOO_SHORT';
  if (length > PASSWORD_MAX_LENGTH) return 'TOO_LONG';
  if (COMMON.has(password.toLowerCase())) return 'COMMON';
  return null;
}

export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}

export const COMMON_PASSWORD_COUNT = COMMON.size;

/** Throws BAD_USER_INPUT with `reason` TOO_SHORT | TOO_LONG | COMMON and a clear message. */
export function assertAcceptablePassword(password: string, field = 'password'): void {
  const problem = passwordProblem(password);
  if (!problem) return;
  const messages: Record<PasswordProblem, string> = {
    TOO_SHORT: `The password must have at least ${PASSWORD_MIN_LENGTH} characters.`,
    TOO_LONG: `The password must have at most ${PASSWORD_MAX_LENGTH} characters.`,
    COMMON: 'This password is too common. Choose one that is harder to guess.',
  };
  throw new IdentityError('BAD_USER_INPUT', messages[problem], { field, reason: problem });
}
