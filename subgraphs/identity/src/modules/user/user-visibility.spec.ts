import { describe, expect, it } from 'vitest';
import type { Viewer } from '@edugraph/kit';
import { canSeePrivateFields } from './user.service.js';

const viewer = (over: Partial<Viewer>): Viewer => ({
  userId: 'u1',
  sessionId: 's1',
  roles: ['LEARNER'],
  scopes: [],
  apiKeyId: null,
  expiresAt: 0,
  ...over,
});

describe('private User fields', () => {
  it('are visible to the user themself, ADMIN and SUPPORT only', () => {
    expect(canSeePrivateFields(null, 'u1')).toBe(false);
    expect(canSeePrivateFields(viewer({}), 'u1')).toBe(true);
    expect(canSeePrivateFields(viewer({}), 'u2')).toBe(false);
    expect(canSeePrivateFields(viewer({ roles: ['LEARNER', 'ADMIN'] }), 'u2')).toBe(true);
    expect(canSeePrivateFields(viewer({ roles: ['SUPPORT'] }), 'u2')).toBe(true);
    expect(canSeePrivateFields(viewer({ roles: ['MODERATOR', 'INSTRUCTOR', 'FINANCE'] }), 'u2')).toBe(false);
  });

  it('are not visible to an API key, even the owner’s', () => {
    expect(canSeePrivateFields(viewer({ sessionId: null, apiKeyId: 'k', roles: [] }), 'u1')).toBe(false);
  });
});
