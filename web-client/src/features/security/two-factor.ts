import type { PlatformRole } from '../../generated/graphql.js';

/** Roles identity withholds from sessions without a second factor (identity's `TWO_FACTOR_ROLES`). */
export const TWO_FACTOR_ROLES: readonly PlatformRole[] = ['ADMIN', 'FINANCE'];

const ROLE_NAMES: Partial<Record<PlatformRole, string>> = { ADMIN: 'Admin', FINANCE: 'Finance' };

/** The viewer's roles that require two-factor, as names to show ("Admin", "Finance"). */
export function twoFactorRoleNames(roles: readonly PlatformRole[]): string[] {
  return TWO_FACTOR_ROLES.filter((role) => roles.includes(role)).map((role) => ROLE_NAMES[role] ?? role);
}

/**
 * True when identity would answer `twoFactorEnrollmentRequired` at sign-in: an ADMIN/FINANCE user without
 * two-factor, whose sessions lack those roles until they enrol.
 */
export function needsTwoFactorEnrollment(
  user: { roles: readonly PlatformRole[]; twoFactorEnabled: boolean | null } | null,
): boolean {
  return user !== null && user.twoFactorEnabled === false && twoFactorRoleNames(user.roles).length > 0;
}

/** The base32 secret in groups of four, easier to type into an authenticator app. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, '').match(/.{1,4}/g) ?? []).join(' ');
}

/** A typed code without spaces (apps show "123 456"); null unless it is six digits. */
export function normaliseCode(input: string): string | null {
  const code = input.replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/** The text of the recovery-codes download. */
export function recoveryCodesText(codes: readonly string[], account: string, at: Date): string {
  return [
    `Edugraph recovery codes for ${account}`,
    `Created ${at.toISOString().slice(0, 10)}. Each code works once, instead of an authenticator code.`,
    '',
    ...codes,
    '',
  ].join('\n');
}
