import { describe, expect, it } from 'vitest';
import { effectiveRoles, needsTwoFactorEnrollment } from './session.service.js';

const enrolled = new Date();

describe('roles in tokens', () => {
  it('withholds ADMIN and FINANCE from sessions without a proven second factor', () => {
    expect(
      effectiveRoles({ roles: ['LEARNER', 'ADMIN', 'FINANCE'], totpEnabledAt: null }, { mfaVerified: false }),
    ).toEqual(['LEARNER']);
    expect(
      effectiveRoles({ roles: ['LEARNER', 'ADMIN'], totpEnabledAt: enrolled }, { mfaVerified: false }),
    ).toEqual(['LEARNER']);
    expect(
      effectiveRoles({ roles: ['LEARNER', 'ADMIN'], totpEnabledAt: enrolled }, { mfaVerified: true }),
    ).toEqual(['LEARNER', 'ADMIN']);
  });

  it('leaves other roles alone', () => {
    expect(
      effectiveRoles(
        { roles: ['LEARNER', 'INSTRUCTOR', 'SUPPORT'], totpEnabledAt: null },
        { mfaVerified: false },
      ),
    ).toEqual(['LEARNER', 'INSTRUCTOR', 'SUPPORT']);
  });

  it('asks ADMIN/FINANCE without 2FA to enrol', () => {
    expect(needsTwoFactorEnrollment({ roles: ['FINANCE'], totpEnabledAt: null })).toBe(true);
    expect(needsTwoFactorEnrollment({ roles: ['FINANCE'], totpEnabledAt: enrolled })).toBe(false);
    expect(needsTwoFactorEnrollment({ roles: ['MODERATOR'], totpEnabledAt: null })).toBe(false);
  });
});
