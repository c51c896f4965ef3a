import type { CommunityMemberRole, CommunityPermission } from '../../generated/graphql.js';

const ROLE_LABELS: Record<CommunityMemberRole, string> = {
  OWNER: 'owner',
  ADMIN: 'admin',
  MODERATOR: 'moderator',
  MEMBER: 'member',
};

export const roleLabel = (role: CommunityMemberRole): string => ROLE_LABELS[role];

export const can = (
  permissions: readonly CommunityPermission[] | undefined,
  permission: CommunityPermission,
) => permissions?.includes(permission) ?? false;

const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
export const formatDateTime = (iso: string): string => dateTime.format(new Date(iso));

/** Days of a month grid (Monday first), `null` for the blanks before the first day. */
export function monthGrid(year: number, month: number): (Date | null)[] {
  const first = new Date(Date.UTC(year, month, 1));
  const blanks = (first.getUTCDay() + 6) % 7;
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return [
    ...Array.from({ length: blanks }, () => null),
    ...Array.from({ length: days }, (_, i) => new Date(Date.UTC(year, month, i + 1))),
  ];
}

/** Tags typed as "a, b c" → ["a", "b", "c"], lowercased, without duplicates, at most 12. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,]+/)
        .map((t) => t.trim().toLowerCase().replace(/^#/, ''))
        .filter(Boolean),
    ),
  ].slice(0, 12);
}

/** Poll options one a line, blanks dropped. */
export const parsePollOptions = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
