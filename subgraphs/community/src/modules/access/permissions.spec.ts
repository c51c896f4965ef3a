import { describe, expect, it } from 'vitest';
import { CommunityPermissionEnum } from './access.type.js';
import {
  actingRank,
  memberRank,
  canReadContent,
  canSeeCommunity,
  COMMUNITY_PERMISSIONS,
  effectivePermissions,
  GRANTABLE_PERMISSIONS,
  ROLE_PERMISSIONS,
  type CommunityMemberRole,
  type MembershipStatus,
  type PermissionInput,
} from './permissions.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function input(overrides: {
  role?: CommunityMemberRole;
  status?: MembershipStatus | null;
  mutedUntil?: Date | null;
  custom?: string[];
  visibility?: 'PUBLIC' | 'PRIVATE';
  postingPolicy?: 'ALL_MEMBERS' | 'MODERATORS_ONLY';
  archived?: boolean;
  platformAdmin?: boolean;
}): PermissionInput {
  const status = overrides.status === undefined ? 'ACTIVE' : overrides.status;
  return {
    community: {
      visibility: overrides.visibility ?? 'PUBLIC',
      postingPolicy: overrides.postingPolicy ?? 'ALL_MEMBERS',
      archivedAt: overrides.archived ? NOW : null,
    },
    membership:
      status === null
        ? null
        : { role: overrides.role ?? 'MEMBER', status, mutedUntil: overrides.mutedUntil ?? null },
    customPermissions: overrides.custom ?? [],
    platformAdmin: overrides.platformAdmin ?? false,
    now: NOW,
  };
}

const sorted = (set: Set<string>) => [...set].sort();

describe('community permissions', () => {
  it('mirrors the permission list in the GraphQL enum', () => {
    expect(Object.values(CommunityPermissionEnum).sort()).toEqual([...COMMUNITY_PERMISSIONS].sort());
  });

  it('gives each built-in role its table, each rank a superset of the one below', () => {
    for (const role of ['OWNER', 'ADMIN', 'MODERATOR', 'MEMBER'] as const)
      expect(sorted(effectivePermissions(input({ role })))).toEqual([...ROLE_PERMISSIONS[role]].sort());
    expect(ROLE_PERMISSIONS.MEMBER).not.toContain('MEMBER_APPROVE');
    expect(ROLE_PERMISSIONS.MEMBER).not.toContain('MEMBER_BAN');
    expect(ROLE_PERMISSIONS.MEMBER).not.toContain('MEMBER_ROLE_SET');
    expect(ROLE_PERMISSIONS.MODERATOR).toContain('MEMBER_BAN');
    expect(ROLE_PERMISSIONS.MODERATOR).not.toContain('MEMBER_ROLE_SET');
    expect(ROLE_PERMISSIONS.ADMIN).toContain('MEMBER_ROLE_SET');
    expect(ROLE_PERMISSIONS.ADMIN).not.toContain('OWNERSHIP_TRANSFER');
    expect(ROLE_PERMISSIONS.OWNER).toContain('OWNERSHIP_TRANSFER');
    const order = ['MEMBER', 'MODERATOR', 'ADMIN', 'OWNER'] as const;
    for (let i = 1; i < order.length; i += 1)
      expect(ROLE_PERMISSIONS[order[i]!]).toEqual(
        expect.arrayContaining([...ROLE_PERMISSIONS[order[i - 1]!]]),
      );
  });

  it('adds exactly the custom role’s grantable permissions to a member', () => {
    const granted = effectivePermissions(
      input({
        custom: ['EVENT_MANAGE', 'POINTS_AWARD', 'OWNERSHIP_TRANSFER', 'MEMBER_ROLE_SET', 'NOT_A_PERMISSION'],
      }),
    );
    expect(sorted(granted)).toEqual([...ROLE_PERMISSIONS.MEMBER, 'EVENT_MANAGE', 'POINTS_AWARD'].sort());
    expect(GRANTABLE_PERMISSIONS).not.toContain('COMMUNITY_ARCHIVE');
    expect(GRANTABLE_PERMISSIONS).not.toContain('ROLE_MANAGE');
  });

  it('keeps posting from plain members under MODERATORS_ONLY, unless a custom role grants it', () => {
    expect(effectivePermissions(input({ postingPolicy: 'MODERATORS_ONLY' })).has('POST_CREATE')).toBe(false);
    expect(effectivePermissions(input({ postingPolicy: 'MODERATORS_ONLY' })).has('COMMENT_CREATE')).toBe(
      true,
    );
    expect(
      effectivePermissions(input({ postingPolicy: 'MODERATORS_ONLY', custom: ['POST_CREATE'] })).has(
        'POST_CREATE',
      ),
    ).toBe(true);
    expect(
      effectivePermissions(input({ postingPolicy: 'MODERATORS_ONLY', role: 'MODERATOR' })).has('POST_CREATE'),
    ).toBe(true);
  });

  it('takes content creation from muted members until the mute ends', () => {
    const muted = effectivePermissions(
      input({ role: 'MODERATOR', mutedUntil: new Date(NOW.getTime() + 1000) }),
    );
    expect(muted.has('POST_CREATE')).toBe(false);
    expect(muted.has('COMMENT_CREATE')).toBe(false);
    expect(muted.has('REACTION_CREATE')).toBe(true);
    expect(muted.has('MEMBER_BAN')).toBe(true);
    expect(
      effectivePermissions(input({ mutedUntil: new Date(NOW.getTime() - 1000) })).has('POST_CREATE'),
    ).toBe(true);
  });

  it('gives nothing but public reading to non-active memberships, and nothing at all to banned users', () => {
    for (const status of ['PENDING', 'INVITED', 'LEFT', null] as const) {
      expect(sorted(effectivePermissions(input({ status, role: 'ADMIN' })))).toEqual(['CONTENT_READ']);
      expect(sorted(effectivePermissions(input({ status, visibility: 'PRIVATE' })))).toEqual([]);
    }
    expect(sorted(effectivePermissions(input({ status: 'BANNED' })))).toEqual([]);
  });

  it('decides who reads and who sees a private community', () => {
    const privateFor = (status: MembershipStatus | null, platformAdmin = false) =>
      input({ status, visibility: 'PRIVATE', platformAdmin });
    expect(canReadContent(privateFor('ACTIVE'))).toBe(true);
    expect(canReadContent(privateFor(null, true))).toBe(true);
    for (const status of ['PENDING', 'INVITED', 'LEFT', 'BANNED', null] as const)
      expect(canReadContent(privateFor(status))).toBe(false);
    expect(canSeeCommunity(privateFor('PENDING'))).toBe(true);
    expect(canSeeCommunity(privateFor('INVITED'))).toBe(true);
    expect(canSeeCommunity(privateFor('LEFT'))).toBe(false);
    expect(canSeeCommunity(privateFor(null))).toBe(false);
    expect(canReadContent(input({ status: 'BANNED' }))).toBe(false);
    expect(canSeeCommunity(input({ status: 'BANNED' }))).toBe(true);
  });

  it('lets platform admins do everything but the owner’s own acts', () => {
    const admin = effectivePermissions(input({ status: null, platformAdmin: true, visibility: 'PRIVATE' }));
    expect(admin.has('MEMBER_BAN')).toBe(true);
    expect(admin.has('COMMUNITY_UPDATE')).toBe(true);
    expect(admin.has('OWNERSHIP_TRANSFER')).toBe(false);
    expect(actingRank(null, true)).toBeGreaterThan(actingRank({ role: 'ADMIN', status: 'ACTIVE' }, false));
    expect(actingRank(null, true)).toBeLessThan(actingRank({ role: 'OWNER', status: 'ACTIVE' }, false));
    expect(actingRank({ role: 'ADMIN', status: 'LEFT' }, false)).toBe(0);
  });

  it('ranks members with a custom role between plain members and moderators, and non-members at 0', () => {
    const plain = memberRank({ role: 'MEMBER', status: 'ACTIVE' });
    const custom = memberRank({ role: 'MEMBER', status: 'ACTIVE', customRoleId: 'r' });
    expect(custom).toBeGreaterThan(plain);
    expect(custom).toBeLessThan(memberRank({ role: 'MODERATOR', status: 'ACTIVE', customRoleId: 'r' }));
    for (const status of ['PENDING', 'INVITED', 'LEFT', 'BANNED'] as const)
      expect(memberRank({ role: 'MEMBER', status })).toBe(0);
    expect(memberRank(null)).toBe(0);
  });

  it('leaves only reading (and the owner’s archive switch) in an archived community', () => {
    expect(sorted(effectivePermissions(input({ role: 'OWNER', archived: true })))).toEqual([
      'COMMUNITY_ARCHIVE',
      'CONTENT_READ',
    ]);
    expect(sorted(effectivePermissions(input({ role: 'ADMIN', archived: true })))).toEqual(['CONTENT_READ']);
  });
});
