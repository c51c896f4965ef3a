import { describe, expect, it } from 'vitest';
import { NAV_ITEMS, visibleNavItems } from './navigation.js';

const labels = (signedIn: boolean, roles: Parameters<typeof visibleNavItems>[1]['roles'] = []) =>
  visibleNavItems(NAV_ITEMS, { signedIn, roles }).map((i) => i.label);

describe('role-based navigation', () => {
  it('shows visitors the catalogue and the way in', () => {
    expect(labels(false)).toEqual(['Catalogue', 'Communities', 'Sign in', 'Sign up']);
  });

  it('shows learners their account, not teaching or admin', () => {
    expect(labels(true, ['LEARNER'])).toEqual([
      'Catalogue',
      'My learning',
      'Library',
      'Chat',
      'Communities',
      'Sessions',
      'Security',
    ]);
  });

  it('adds teaching for instructors and review for admins', () => {
    expect(labels(true, ['LEARNER', 'INSTRUCTOR'])).toEqual([
      'Catalogue',
      'My learning',
      'Library',
      'Teaching',
      'Chat',
      'Communities',
      'Sessions',
      'Security',
    ]);
    expect(labels(true, ['LEARNER', 'ADMIN'])).toEqual([
      'Catalogue',
      'My learning',
      'Library',
      'Teaching',
      'Course review',
      'Admin',
      'Chat',
      'Communities',
      'Sessions',
      'Security',
    ]);
  });

  it('never shows role items to a signed-out visitor, whatever roles are passed', () => {
    expect(labels(false, ['ADMIN'])).toEqual(['Catalogue', 'Communities', 'Sign in', 'Sign up']);
  });
});
