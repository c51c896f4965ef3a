import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../seed.js';
import {
  assertAcceptablePassword,
  COMMON_PASSWORD_COUNT,
  isCommonPassword,
  passwordProblem,
} from './password-policy.js';

describe('password policy', () => {
  it('bundles the 10,000 most common passwords', () => {
    expect(COMMON_PASSWORD_COUNT).toBe(10_000);
    for (const common of ['123456', 'password', 'qwerty', 'iloveyou', 'dragon', 'PASSWORD'])
      expect(isCommonPassword(common)).toBe(true);
  });

  it('accepts 8 to 128 characters without composition rules', () => {
    expect(passwordProblem('abcdefgh'.replace('a', 'z'))).toBeNull();
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('x'.repeat(127) + 'y')).toBeNull();
    expect(passwordProblem('ñandú-çà-日本語')).toBeNull();
  });

  it('counts characters, not bytes', () => {
    expect(passwordProblem('日本語日本語日本')).toBeNull();
    expect(passwordProblem('😀😀😀😀😀😀😀')).toBe('TOO_SHORT');
  });

  it('refuses short, long and common passwords', () => {
    expect(passwordProblem('short')).toBe('TOO_SHORT');
    expect(passwordProblem('x'.repeat(129))).toBe('TOO_LONG');
    expect(passwordProblem('password1')).toBe('COMMON');
    expect(passwordProblem('Password1')).toBe('COMMON');
    expect(() => assertAcceptablePassword('12345678')).toThrow(/too common/);
  });

  it('the demo password passes the policy', () => {
    expect(passwordProblem(DEMO_PASSWORD)).toBeNull();
  });
});
