import 'reflect-metadata';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';

const JOIN = `mutation($id: ID!) { joinCommunity(input: { communityId: $id }) { membership { status role } } }`;
const LEAVE = `mutation($id: ID!) { leaveCommunity(input: { communityId: $id }) { membership { status } } }`;
const member = (name: string, extra = '') =>
  `mutation($input: ${name === 'ban' ? 'Ban' : name === 'mute' ? 'Mute' : ''}CommunityMemberInput!) {
    ${name}CommunityMember(input: $input) { membership { status role mutedUntil ${extra} } community { id memberCount } }
  }`;
const APPROVE = member('approve');
const REJECT = member('reject');
const INVITE = member('invite');
const BAN = member('ban', 'banReason');
const UNBAN = member('unban');
const REMOVE = member('remove');
const MUTE = member('mute');
const SET_ROLE = `mutation($input: SetCommunityMemberRoleInput!) {
  setCommunityMemberRole(input: $input) { membership { role status } }
}`;
const ASSIGN = `mutation($input: AssignCommunityCustomRoleInput!) {
  assignCommunityCustomRole(input: $input) { membership { role customRole { id name permissions } } }
}`;
const TRANSFER = `mutation($input: CommunityMemberInput!) {
  transferCommunityOwnership(input: $input) { community { id owner { id } viewerMembership { role } } }
}`;
const CREATE_ROLE = `mutation($input: CreateCommunityRoleInput!) { createCommunityRole(input: $input) { role { id name permissions } } }`;
const UPDATE_ROLE = `mutation($input: UpdateCommunityRoleInput!) { updateCommunityRole(input: $input) { role { id name permissions } } }`;
const DELETE_ROLE = `mutation($input: CommunityRoleIdInput!) { deleteCommunityRole(input: $input) { role { id } } }`;
const PERMISSIONS = `query($id: ID!) { community(id: $id) { viewerPermissions viewerMembership { role status customRole { name } } } }`;
const MEMBERS = `query($id: ID!, $status: CommunityMembershipStatus, $role: CommunityMemberRole, $first: Int, $after: String) {
  community(id: $id) {
    memberCount
    roles { name }
    members(status: $status, role: $role, first: $first, after: $after) {
      edges { cursor node { role status user { id } customRole { name } community { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

type Perms = {
  community: { viewerPermissions: string[]; viewerMembership: { role: string; status: string } | null };
};

describe('membership rules', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let admin: TestUser;
  let moderator: TestUser;
  let plain: TestUser;
  let communityId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('membership');
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    owner = await h.user();
    [admin, moderator, plain] = [await h.user(), await h.user(), await h.user()];
    communityId = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    await h.member(communityId, admin, 'ADMIN');
    await h.member(communityId, moderator, 'MODERATOR');
    await h.member(communityId, plain, 'MEMBER');
  });

  const on = (user: TestUser, extra: Record<string, unknown> = {}) => ({
    input: { communityId, userId: user.id, ...extra },
  });
  const forbidden = async (
    query: string,
    variables: Record<string, unknown>,
    as: TestUser,
    reason: string,
  ) => {
    const result = await h.gql(query, variables, as);
    expect(codes(result), JSON.stringify(result.errors)).toEqual(['FORBIDDEN']);
    expect(result.errors?.[0]?.extensions?.['reason']).toBe(reason);
  };

  it('approves and rejects requests (approvers only), counting members and recording the join', async () => {
    const [asker, other] = [await h.user(), await h.user()];
    expect(await h.join(asker, communityId)).toBe('PENDING');
    expect(await h.join(other, communityId)).toBe('PENDING');
    await forbidden(APPROVE, on(asker), plain, 'MISSING_PERMISSION');
    // Outsiders do not even see the private community.
    expect(codes(await h.gql(APPROVE, on(asker), await h.user()))).toEqual(['NOT_FOUND']);
    const requests = await h.ok<{ community: { members: { edges: { node: { user: { id: string } } }[] } } }>(
      MEMBERS,
      { id: communityId, status: 'PENDING' },
      moderator,
    );
    expect(requests.community.members.edges.map((e) => e.node.user.id)).toEqual([asker.id, other.id]);
    const approved = await h.ok<{
      approveCommunityMember: { membership: { status: string }; community: { memberCount: number } };
    }>(APPROVE, on(asker), moderator);
    expect(approved.approveCommunityMember).toMatchObject({
      membership: { status: 'ACTIVE' },
      community: { memberCount: 5 },
    });
    expect(codes(await h.gql(APPROVE, on(asker), moderator))).toEqual(['INVALID_MEMBERSHIP_STATE']);
    const joined = (await h.outbox(['community.member.joined'])).filter(
      (e) => e.payload['userId'] === asker.id,
    );
    expect(joined).toHaveLength(1);
    const rejected = await h.ok<{ rejectCommunityMember: { membership: { status: string } } }>(
      REJECT,
      on(other),
      admin,
    );
    expect(rejected.rejectCommunityMember.membership.status).toBe('LEFT');
    // The requester reads the community now; the rejected one no longer sees it.
    expect(
      (await h.ok<Perms>(PERMISSIONS, { id: communityId }, asker)).community.viewerPermissions,
    ).toContain('POST_CREATE');
    expect((await h.ok<{ community: null }>(PERMISSIONS, { id: communityId }, other)).community).toBeNull();
  });

  it('keeps non-members out of a private community’s content and member list', async () => {
    const outsider = await h.user();
    const result = await h.gql(MEMBERS, { id: communityId }, outsider);
    expect(result.data).toEqual({ community: null });
    expect(await h.services.access.canRead(null, communityId)).toBe(false);
    const pending = await h.user();
    await h.join(pending, communityId);
    const asPending = await h.gql(MEMBERS, { id: communityId }, pending);
    expect(codes(asPending)).toEqual(['FORBIDDEN']);
    expect(asPending.errors?.[0]?.extensions?.['reason']).toBe('PENDING');
    // Members list members; only those who may see requests, bans or invitations list them.
    const list = await h.ok<{ community: { members: { edges: unknown[] } } }>(
      MEMBERS,
      { id: communityId },
      plain,
    );
    expect(list.community.members.edges).toHaveLength(4);
    await forbidden(MEMBERS, { id: communityId, status: 'PENDING' }, plain, 'MISSING_PERMISSION');
    await forbidden(MEMBERS, { id: communityId, status: 'BANNED' }, plain, 'MISSING_PERMISSION');
    expect(codes(await h.gql(MEMBERS, { id: communityId, status: 'LEFT' }, owner))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const moderators = await h.ok<{
      community: { members: { edges: { node: { user: { id: string } } }[] } };
    }>(MEMBERS, { id: communityId, role: 'MODERATOR' }, plain);
    expect(moderators.community.members.edges.map((e) => e.node.user.id)).toEqual([moderator.id]);
  });

  it('lets moderators ban members but not admins; a member bans nobody; nobody bans the owner', async () => {
    await forbidden(BAN, on(moderator), plain, 'MISSING_PERMISSION');
    await forbidden(BAN, on(admin), moderator, 'RANK');
    await forbidden(BAN, on(moderator), moderator, 'RANK');
    await forbidden(BAN, on(owner), admin, 'RANK');
    await forbidden(BAN, on(owner), await h.user(['ADMIN']), 'RANK');
    const banned = await h.ok<{
      banCommunityMember: { membership: Record<string, unknown>; community: { memberCount: number } };
    }>(BAN, on(plain, { reason: 'Spam' }), moderator);
    expect(banned.banCommunityMember).toMatchObject({
      membership: { status: 'BANNED', role: 'MEMBER', banReason: 'Spam' },
      community: { memberCount: 3 },
    });
    const left = (await h.outbox(['community.member.left'])).find((e) => e.payload['userId'] === plain.id);
    expect(left?.payload).toMatchObject({ communityId, reason: 'BANNED' });
    // Banned: no rejoining, no reading, and a ban on an admin by an admin is refused too.
    expect(codes(await h.gql(JOIN, { id: communityId }, plain))).toEqual(['MEMBER_BANNED']);
    expect((await h.ok<{ community: null }>(PERMISSIONS, { id: communityId }, plain)).community).toBeNull();
    const secondAdmin = await h.user();
    await h.member(communityId, secondAdmin, 'ADMIN');
    await forbidden(BAN, on(admin), secondAdmin, 'RANK');
    // Unban → LEFT: they may ask to join again.
    expect(
      (await h.ok<{ unbanCommunityMember: { membership: { status: string } } }>(UNBAN, on(plain), admin))
        .unbanCommunityMember.membership.status,
    ).toBe('LEFT');
    expect(await h.join(plain, communityId)).toBe('PENDING');
    // A pre-emptive ban of someone who never joined.
    const stranger = await h.user();
    await h.ok(BAN, on(stranger), moderator);
    expect(codes(await h.gql(JOIN, { id: communityId }, stranger))).toEqual(['MEMBER_BANNED']);
  });

  it('removes members (they may come back) and withdraws invitations, above the target’s rank', async () => {
    await forbidden(REMOVE, on(moderator), plain, 'MISSING_PERMISSION');
    await forbidden(REMOVE, on(admin), moderator, 'RANK');
    const removed = await h.ok<{ removeCommunityMember: { membership: { status: string } } }>(
      REMOVE,
      on(plain),
      moderator,
    );
    expect(removed.removeCommunityMember.membership.status).toBe('LEFT');
    expect(
      (await h.outbox(['community.member.left'])).find((e) => e.payload['userId'] === plain.id)?.payload,
    ).toMatchObject({
      reason: 'REMOVED',
    });
    expect(codes(await h.gql(REMOVE, on(plain), moderator))).toEqual(['INVALID_MEMBERSHIP_STATE']);
    // Invitations: INVITED, then accept by joining (even in a private community).
    expect(codes(await h.gql(INVITE, on(plain), plain))).toEqual(['NOT_FOUND']);
    expect(
      (
        await h.ok<{ inviteCommunityMember: { membership: { status: string } } }>(
          INVITE,
          on(plain),
          moderator,
        )
      ).inviteCommunityMember.membership.status,
    ).toBe('INVITED');
    expect(await h.join(plain, communityId)).toBe('ACTIVE');
    expect(codes(await h.gql(INVITE, on(plain), moderator))).toEqual(['ALREADY_MEMBER']);
    const declined = await h.user();
    await h.ok(INVITE, on(declined), moderator);
    expect(
      (
        await h.ok<{ leaveCommunity: { membership: { status: string } } }>(
          LEAVE,
          { id: communityId },
          declined,
        )
      ).leaveCommunity.membership.status,
    ).toBe('LEFT');
  });

  it('mutes: a muted member reads and reacts but cannot post or comment until the mute ends', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await forbidden(MUTE, on(moderator, { until }), plain, 'MISSING_PERMISSION');
    await forbidden(MUTE, on(moderator, { until }), moderator, 'RANK');
    expect(
      codes(await h.gql(MUTE, on(plain, { until: new Date(Date.now() - 1000).toISOString() }), moderator)),
    ).toEqual(['BAD_USER_INPUT']);
    await h.ok(MUTE, on(plain, { until }), moderator);
    const muted = (await h.ok<Perms>(PERMISSIONS, { id: communityId }, plain)).community.viewerPermissions;
    expect(muted).toContain('REACTION_CREATE');
    expect(muted).not.toContain('POST_CREATE');
    expect(muted).not.toContain('COMMENT_CREATE');
    const denial = await h.services.access
      .require(
        { userId: plain.id, sessionId: null, roles: [], scopes: [], apiKeyId: null, expiresAt: 0 },
        communityId,
        'POST_CREATE',
      )
      .catch((e: unknown) => e);
    expect(denial).toMatchObject({
      extensions: { code: 'FORBIDDEN', reason: 'MUTED', permission: 'POST_CREATE' },
    });
    await h.ok(MUTE, on(plain, { until: null }), moderator);
    expect(
      (await h.ok<Perms>(PERMISSIONS, { id: communityId }, plain)).community.viewerPermissions,
    ).toContain('POST_CREATE');
  });

  it('sets roles only below the actor’s own: admins make moderators, only the owner makes admins', async () => {
    await forbidden(SET_ROLE, on(plain, { role: 'MODERATOR' }), moderator, 'MISSING_PERMISSION');
    await forbidden(SET_ROLE, on(plain, { role: 'ADMIN' }), admin, 'RANK');
    const otherAdmin = await h.user();
    await h.member(communityId, otherAdmin, 'ADMIN');
    await forbidden(SET_ROLE, on(otherAdmin, { role: 'MEMBER' }), admin, 'RANK');
    await forbidden(SET_ROLE, on(admin, { role: 'ADMIN' }), admin, 'RANK');
    expect(codes(await h.gql(SET_ROLE, on(plain, { role: 'OWNER' }), owner))).toEqual(['BAD_USER_INPUT']);
    const promoted = await h.ok<{ setCommunityMemberRole: { membership: { role: string } } }>(
      SET_ROLE,
      on(plain, { role: 'MODERATOR' }),
      admin,
    );
    expect(promoted.setCommunityMemberRole.membership.role).toBe('MODERATOR');
    const changed = (await h.outbox(['community.member.role_changed'])).find(
      (e) => e.payload['userId'] === plain.id,
    );
    expect(changed?.payload).toMatchObject({ previousRole: 'MEMBER', role: 'MODERATOR' });
    await h.ok(SET_ROLE, on(plain, { role: 'ADMIN' }), owner);
    expect(
      (await h.ok<Perms>(PERMISSIONS, { id: communityId }, plain)).community.viewerPermissions,
    ).toContain('MEMBER_ROLE_SET');
    await h.ok(SET_ROLE, on(plain, { role: 'MEMBER' }), owner);
    const outsider = await h.user();
    expect(codes(await h.gql(SET_ROLE, on(outsider, { role: 'MODERATOR' }), owner))).toEqual([
      'INVALID_MEMBERSHIP_STATE',
    ]);
  });

  it('transfers the ownership: the new owner may not leave, the old one becomes an admin and may', async () => {
    await forbidden(TRANSFER, on(plain), admin, 'MISSING_PERMISSION');
    const result = await h.ok<{ transferCommunityOwnership: { community: Record<string, unknown> } }>(
      TRANSFER,
      on(plain),
      owner,
    );
    expect(result.transferCommunityOwnership.community).toMatchObject({
      owner: { id: plain.id },
      viewerMembership: { role: 'ADMIN' },
    });
    expect(codes(await h.gql(LEAVE, { id: communityId }, plain))).toEqual(['OWNER_CANNOT_LEAVE']);
    expect(
      (await h.ok<Perms>(PERMISSIONS, { id: communityId }, plain)).community.viewerPermissions,
    ).toContain('OWNERSHIP_TRANSFER');
    // The former owner is an admin now: they cannot ban the new owner, and they can leave.
    await forbidden(BAN, on(plain), owner, 'RANK');
    expect(
      (await h.ok<{ leaveCommunity: { membership: { status: string } } }>(LEAVE, { id: communityId }, owner))
        .leaveCommunity.membership.status,
    ).toBe('LEFT');
  });

  it('custom roles grant exactly their permissions, and only admins manage and assign them', async () => {
    const input = { communityId, name: 'Gatekeeper', permissions: ['MEMBER_APPROVE', 'EVENT_MANAGE'] };
    await forbidden(CREATE_ROLE, { input }, moderator, 'MISSING_PERMISSION');
    expect(
      codes(await h.gql(CREATE_ROLE, { input: { ...input, permissions: ['ROLE_MANAGE'] } }, admin)),
    ).toEqual(['BAD_USER_INPUT']);
    const created = await h.ok<{ createCommunityRole: { role: { id: string } } }>(
      CREATE_ROLE,
      { input },
      admin,
    );
    const roleId = created.createCommunityRole.role.id;
    expect(codes(await h.gql(CREATE_ROLE, { input: { ...input, name: 'gatekeeper' } }, admin))).toEqual([
      'ROLE_NAME_TAKEN',
    ]);
    await forbidden(ASSIGN, on(plain, { customRoleId: roleId }), moderator, 'MISSING_PERMISSION');
    const assigned = await h.ok<{
      assignCommunityCustomRole: { membership: { customRole: { name: string } } };
    }>(ASSIGN, on(plain, { customRoleId: roleId }), admin);
    expect(assigned.assignCommunityCustomRole.membership.customRole.name).toBe('Gatekeeper');
    const memberDefaults = [
      'CONTENT_READ',
      'POST_CREATE',
      'COMMENT_CREATE',
      'REACTION_CREATE',
      'POLL_VOTE',
      'EVENT_RSVP',
      'CONTENT_REPORT',
    ];
    const granted = (await h.ok<Perms>(PERMISSIONS, { id: communityId }, plain)).community.viewerPermissions;
    expect([...granted].sort()).toEqual([...memberDefaults, 'MEMBER_APPROVE', 'EVENT_MANAGE'].sort());
    // MEMBER_APPROVE works, MEMBER_BAN still does not.
    const asker = await h.user();
    await h.join(asker, communityId);
    await h.ok(APPROVE, on(asker), plain);
    await forbidden(BAN, on(asker), plain, 'MISSING_PERMISSION');
    // Editing the role changes its holders at once; deleting it takes it away.
    await h.ok(UPDATE_ROLE, { input: { roleId, permissions: ['POINTS_AWARD'] } }, admin);
    expect((await h.ok<Perms>(PERMISSIONS, { id: communityId }, plain)).community.viewerPermissions).toEqual(
      expect.arrayContaining(['POINTS_AWARD']),
    );
    await forbidden(DELETE_ROLE, { input: { roleId } }, plain, 'MISSING_PERMISSION');
    expect(codes(await h.gql(DELETE_ROLE, { input: { roleId } }, await h.user()))).toEqual(['NOT_FOUND']);
    await h.ok(DELETE_ROLE, { input: { roleId } }, admin);
    expect(
      [...(await h.ok<Perms>(PERMISSIONS, { id: communityId }, plain)).community.viewerPermissions].sort(),
    ).toEqual([...memberDefaults].sort());
    const roleEvents = (await h.outbox(['community.member.role_changed'])).filter(
      (e) => e.payload['userId'] === plain.id,
    );
    expect(roleEvents.map((e) => e.payload['customRoleId'])).toContain(roleId);
  });

  it('pages members and User.memberships with a bounded number of SQL statements', async () => {
    const viewers: TestUser[] = [];
    for (let i = 0; i < 6; i += 1) {
      const user = await h.user();
      viewers.push(user);
      await h.member(communityId, user);
    }
    const count = async (first: number) => {
      h.counter.reset();
      const page = await h.ok<{ community: { members: { edges: unknown[] } } }>(
        MEMBERS,
        { id: communityId, first },
        owner,
      );
      return { statements: h.counter.count, edges: page.community.members.edges.length };
    };
    const small = await count(2);
    const large = await count(10);
    expect(large.edges).toBe(10);
    expect(large.statements).toBe(small.statements);
    // Paging through returns every member once.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: {
        community: {
          members: {
            edges: { node: { user: { id: string } } }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
          };
        };
      } = await h.ok(MEMBERS, { id: communityId, first: 3, after }, owner);
      seen.push(...page.community.members.edges.map((e) => e.node.user.id));
      if (!page.community.members.pageInfo.hasNextPage) break;
      after = page.community.members.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(10);
    // User.memberships through _entities for several users at once.
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on User { id memberships(first: 5) { edges { node { status role community { id name } } } pageInfo { hasNextPage } } }
    } }`;
    const many = async (users: TestUser[]) => {
      h.counter.reset();
      const data = await h.ok<{
        _entities: { id: string; memberships: { edges: { node: { community: { id: string } } }[] } }[];
      }>(entities, { r: users.map((u) => ({ __typename: 'User', id: u.id })) }, viewers[0]!);
      return { statements: h.counter.count, data };
    };
    const two = await many(viewers.slice(0, 2));
    const six = await many(viewers);
    expect(six.statements).toBe(two.statements);
    for (const entity of six.data._entities)
      expect(entity.memberships.edges.map((e) => e.node.community.id)).toEqual([communityId]);
  });

  it('shows a user’s memberships to others only where the viewer may read the community', async () => {
    const publicOne = await h.community(owner);
    await h.member(publicOne.id, plain);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { memberships(status: PENDING) { edges { node { status community { id } } } } } } }`;
    const ids = async (as: TestUser) => {
      const data = await h.ok<{
        _entities: { memberships: { edges: { node: { community: { id: string } } }[] } }[];
      }>(query, { r: [{ __typename: 'User', id: plain.id }] }, as);
      return data._entities[0]!.memberships.edges.map((e) => e.node.community.id).sort();
    };
    // The user themselves: the status filter applies (no pending memberships).
    expect(await ids(plain)).toEqual([]);
    // Another member of the private community sees both; an outsider only the public one.
    expect(await ids(moderator)).toEqual([communityId, publicOne.id].sort());
    expect(await ids(await h.user())).toEqual([publicOne.id]);
    expect(await ids(await h.user(['ADMIN']))).toEqual([]);
  });
});
