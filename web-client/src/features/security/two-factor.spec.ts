import { describe, expect, it } from 'vitest';
import {
  groupSecret,
  needsTwoFactorEnrollment,
  normaliseCode,
  recoveryCodesText,
  twoFactorRoleNames,
} from './two-factor.js';

describe('two-factor helpers', () => {
  it('groups the secret in fours for manual entry', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXPJBSWY3DP')).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
  });

  it('accepts six digits, with or without spaces, and nothing else', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(normaliseCode('12345')).toBeNull();
    expect(normaliseCode('12345a')).toBeNull();
    expect(normaliseCode('abcde-fghij')).toBeNull();
  });

  it('knows who must enrol: ADMIN/FINANCE without two-factor', () => {
    expect(needsTwoFactorEnrollment({ roles: ['LEARNER', 'ADMIN'], twoFactorEnabled: false })).toBe(true);
    expect(needsTwoFactorEnrollment({ roles: ['FINANCE'], twoFactorEnabled: false })).toBe(true);
    expect(needsTwoFactorEnrollment({ roles: ['ADMIN'], twoFactorEnabled: true })).toBe(false);
    expect(needsTwoFactorEnrollment({ roles: ['LEARNER', 'INSTRUCTOR'], twoFactorEnabled: false })).toBe(
      false,
    );
    expect(needsTwoFactorEnrollment(null)).toBe(false);
    expect(twoFactorRoleNames(['FINANCE', 'ADMIN'])).toEqual(['Admin', 'Finance']);
  });

  it('writes the recovery codes file', () => {
    const text = recoveryCodesText(['abcde-fghjk', 'mnpqr-stuvw'], 'lea@example.com', new Date('2026-12-05'));
    expect(text.split('\n')).toEqual([
      'Edugraph recovery codes for lea@example.com',
      'Created 2026-12-05. Each code works once, instead of an authenticator code.',
      '',
      'abcde-fghjk',
      'mnpqr-stuvw',
      '',
    ]);
  });
});
