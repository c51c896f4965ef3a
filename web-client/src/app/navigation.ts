import type { PlatformRole } from '../generated/graphql.js';

export type NavItem = {
  to: string;
  label: string;
  /** Who sees it: everyone, signed-out visitors, any signed-in user, or holders of one of the roles. */
  audience: 'everyone' | 'signedOut' | 'signedIn' | { anyRole: PlatformRole[] };
};

/**
 * The main navigation. Feature areas add their entries here (checkout, learning, community, chat, admin…);
 * the shell shows each one only to its audience. Route guards enforce the same rules (and the API decides).
 */
export const NAV_ITEMS: readonly NavItem[] = [
  { to: '/', label: 'Catalogue', audience: 'everyone' },
  { to: '/my-learning', label: 'My learning', audience: { anyRole: ['LEARNER'] } },
  { to: '/library', label: 'Library', audience: { anyRole: ['LEARNER'] } },
  { to: '/teaching', label: 'Teaching', audience: { anyRole: ['INSTRUCTOR', 'ADMIN'] } },
  { to: '/admin/review', label: 'Course review', audience: { anyRole: ['ADMIN'] } },
  { to: '/admin', label: 'Admin', audience: { anyRole: ['ADMIN'] } },
  { to: '/chat', label: 'Chat', audience: 'signedIn' },
  { to: '/communities', label: 'Communities', audience: 'everyone' },
  { to: '/account/sessions', label: 'Sessions', audience: 'signedIn' },
  { to: '/account/security', label: 'Security', audience: 'signedIn' },
  { to: '/sign-in', label: 'Sign in', audience: 'signedOut' },
  { to: '/sign-up', label: 'Sign up', audience: 'signedOut' },
];

export function visibleNavItems(
  items: readonly NavItem[],
  viewer: { signedIn: boolean; roles: readonly PlatformRole[] },
): NavItem[] {
  return items.filter(({ audience }) => {
    if (audience === 'everyone') return true;
    if (audience === 'signedOut') return !viewer.signedIn;
    if (audience === 'signedIn') return viewer.signedIn;
    return viewer.signedIn && audience.anyRole.some((role) => viewer.roles.includes(role));
  });
}
