import type { Viewer } from '@edugraph/kit';
import { describe, expect, it } from 'vitest';
import { ViewRuleRegistry } from './view-rules.js';

function viewer(userId: string, roles: Viewer['roles'] = ['LEARNER']): Viewer {
  return { userId, sessionId: 's', roles, scopes: [], apiKeyId: null, expiresAt: 0 };
}

const base = { id: 'a1', ownerId: 'owner', ownerDomain: null, subjectRef: null };

describe('ViewRuleRegistry', () => {
  it('owner and admins see everything; PUBLIC is for anyone; PRIVATE for nobody else', async () => {
    const views = new ViewRuleRegistry();
    const priv = { ...base, visibility: 'PRIVATE' as const };
    expect(await views.mayView(viewer('owner'), priv)).toBe(true);
    expect(await views.mayView(viewer('x', ['ADMIN']), priv)).toBe(true);
    expect(await views.mayView(viewer('x', ['MODERATOR', 'SUPPORT']), priv)).toBe(false);
    expect(await views.mayView(null, priv)).toBe(false);
    expect(await views.mayView(null, { ...base, visibility: 'PUBLIC' })).toBe(true);
  });

  it('RESTRICTED asks the owning domain’s rule; missing, throwing or non-true answers deny', async () => {
    const views = new ViewRuleRegistry()
      .register(
        'learning',
        async ({ viewer: v, asset }) => v.userId === 'enrolled' && asset.subjectRef === 'Lesson:1',
      )
      .register('odd', async () => 'yes' as unknown as boolean)
      .register('crash', async () => {
        throw new Error('boom');
      });
    const restricted = (ownerDomain: string) =>
      ({ ...base, visibility: 'RESTRICTED', ownerDomain, subjectRef: 'Lesson:1' }) as const;
    expect(await views.mayView(viewer('enrolled'), restricted('learning'))).toBe(true);
    expect(await views.mayView(viewer('other'), restricted('learning'))).toBe(false);
    expect(await views.mayView(null, restricted('learning'))).toBe(false);
    expect(await views.mayView(viewer('enrolled'), restricted('odd'))).toBe(false);
    expect(await views.mayView(viewer('enrolled'), restricted('crash'))).toBe(false);
    expect(await views.mayView(viewer('enrolled'), restricted('unregistered'))).toBe(false);
    expect(views.domains()).toEqual(['crash', 'learning', 'odd']);
  });

  it('refuses odd domain names', () => {
    expect(() => new ViewRuleRegistry().register('Bad Domain', async () => true)).toThrow(
      /Invalid owner domain/,
    );
  });
});
