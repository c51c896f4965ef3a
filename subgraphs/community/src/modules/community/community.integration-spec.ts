import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';

const CREATE = `mutation($input: CreateCommunityInput!) {
  createCommunity(input: $input) {
    community { id name slug description visibility joinPolicy postingPolicy categories memberCount
      location { latitude longitude placeName } owner { id } cover { id }
      viewerMembership { role status joinedAt } viewerPermissions }
  }
}`;
const UPDATE = `mutation($input: UpdateCommunityInput!) {
  updateCommunity(input: $input) { community { id name slug visibility joinPolicy location { latitude } cover { id } } }
}`;
const COMMUNITY = `query($id: ID, $slug: String) {
  community(id: $id, slug: $slug) { id slug memberCount viewerMembership { role status } viewerPermissions }
}`;
const COMMUNITIES = `query($filter: CommunitiesFilter, $first: Int, $after: String) {
  communities(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id slug visibility memberCount owner { id } viewerMembership { status role } viewerPermissions } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const JOIN = `mutation($id: ID!, $tz: String) {
  joinCommunity(input: { communityId: $id, timeZone: $tz }) { membership { role status timeZone } community { id memberCount } }
}`;
const LEAVE = `mutation($id: ID!) { leaveCommunity(input: { communityId: $id }) { membership { status } community { id } } }`;
const MINE = `query($id: ID!) { myCommunityMembership(communityId: $id) { role status community { id } user { id } } }`;

type Created = { createCommunity: { community: Record<string, unknown> & { id: string; slug: string } } };

describe('communities', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    h = await createCommunityHarness('communities', { maxOwnedCommunities: 3 });
    admin = await h.user(['ADMIN']);
  });
  beforeEach(async () => {
    owner = await h.user();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a community owned by its creator, an active OWNER member, and records the events', async () => {
    const data = await h.ok<Created>(
      CREATE,
      {
        input: {
          name: '  Rust Learners Lisbon ',
          description: 'We meet weekly.',
          categories: ['programming', 'rust', 'programming'],
          location: { latitude: 38.7223, longitude: -9.1393, placeName: 'Lisbon' },
          coverAssetId: '00000000-0000-4000-8000-0000000000aa',
        },
      },
      owner,
    );
    const c = data.createCommunity.community;
    expect(c).toMatchObject({
      name: 'Rust Learners Lisbon',
      slug: 'rust-learners-lisbon',
      visibility: 'PUBLIC',
      joinPolicy: 'OPEN',
      postingPolicy: 'ALL_MEMBERS',
      categories: ['programming', 'rust'],
      memberCount: 1,
      location: { latitude: 38.7223, longitude: -9.1393, placeName: 'Lisbon' },
      owner: { id: owner.id },
      cover: { id: '00000000-0000-4000-8000-0000000000aa' },
      viewerMembership: { role: 'OWNER', status: 'ACTIVE' },
    });
    expect(c['viewerPermissions']).toEqual(
      expect.arrayContaining(['OWNERSHIP_TRANSFER', 'COMMUNITY_UPDATE']),
    );
    const events = await h.outbox(['community.created', 'community.member.joined']);
    expect(
      events
        .filter((e) => e.aggregateId === c.id)
        .map((e) => e.type)
        .sort(),
    ).toEqual(['community.created', 'community.member.joined']);
    expect(
      events.find((e) => e.type === 'community.member.joined' && e.aggregateId === c.id)?.payload,
    ).toMatchObject({
      communityId: c.id,
      userId: owner.id,
      role: 'OWNER',
    });
  });

  it('validates input with typed errors and changes nothing', async () => {
    const before = (await h.outbox()).length;
    const bad = async (input: Record<string, unknown>, field: string) => {
      const result = await h.gql(CREATE, { input: { name: 'Valid name', ...input } }, owner);
      expect(codes(result), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.['field'], JSON.stringify(input)).toBe(field);
    };
    await bad({ name: 'ab' }, 'name');
    await bad({ name: 'x'.repeat(81) }, 'name');
    await bad({ slug: 'Bad Slug!' }, 'slug');
    await bad({ slug: 'ab' }, 'slug');
    await bad({ description: 'x'.repeat(2001) }, 'description');
    await bad({ categories: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'categories');
    await bad({ location: { latitude: 91, longitude: 0 } }, 'location.latitude');
    await bad({ coverAssetId: 'not-a-uuid' }, 'coverAssetId');
    await bad({ visibility: 'PRIVATE', joinPolicy: 'OPEN' }, 'joinPolicy');
    expect((await h.outbox()).length).toBe(before);
  });

  it('refuses a taken slug (SLUG_TAKEN) and de-duplicates a generated one', async () => {
    const other = await h.user();
    await h.community(other, { slug: 'taken-slug' });
    expect(codes(await h.gql(CREATE, { input: { name: 'Another', slug: 'taken-slug' } }, owner))).toEqual([
      'SLUG_TAKEN',
    ]);
    const first = await h.community(other, { name: 'Same Name' });
    const second = await h.community(other, { name: 'Same Name' });
    expect(first.slug).toBe('same-name');
    expect(second.slug).toMatch(/^same-name-[0-9a-f]{6}$/);
  });

  it('caps the communities one user owns (LIMIT_REACHED)', async () => {
    const founder = await h.user();
    for (let i = 0; i < 3; i += 1) await h.community(founder);
    expect(codes(await h.gql(CREATE, { input: { name: 'One too many' } }, founder))).toEqual([
      'LIMIT_REACHED',
    ]);
  });

  it('hides a private community from outsiders and shows it to members and platform admins', async () => {
    const { id, slug } = await h.community(owner, { visibility: 'PRIVATE' });
    const outsider = await h.user();
    expect((await h.ok<{ community: null }>(COMMUNITY, { id }, outsider)).community).toBeNull();
    expect((await h.ok<{ community: null }>(COMMUNITY, { slug }, null)).community).toBeNull();
    const seen = await h.ok<{ community: { viewerPermissions: string[] } }>(COMMUNITY, { id }, admin);
    expect(seen.community.viewerPermissions).toContain('CONTENT_READ');
    const member = await h.user();
    await h.member(id, member);
    const asMember = await h.ok<{ community: { memberCount: number; viewerMembership: { status: string } } }>(
      COMMUNITY,
      { id },
      member,
    );
    expect(asMember.community).toMatchObject({ memberCount: 2, viewerMembership: { status: 'ACTIVE' } });
    // Not listed for outsiders or anonymous viewers; listed for members and admins.
    const listed = async (as: TestUser | null) => {
      const page = await h.ok<{ communities: { edges: { node: { id: string } }[] } }>(
        COMMUNITIES,
        { first: 100 },
        as,
      );
      return page.communities.edges.some((e) => e.node.id === id);
    };
    expect(await listed(outsider)).toBe(false);
    expect(await listed(null)).toBe(false);
    expect(await listed(member)).toBe(true);
    expect(await listed(admin)).toBe(true);
    // A Community reference from another subgraph resolves to null for outsiders.
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Community { id } } }`;
    const rep = { r: [{ __typename: 'Community', id }] };
    expect((await h.ok<{ _entities: unknown[] }>(entities, rep, outsider))._entities).toEqual([null]);
    expect((await h.ok<{ _entities: unknown[] }>(entities, rep, member))._entities).toEqual([{ id }]);
  });

  it('lets admins and the owner update the profile, not members or moderators (FORBIDDEN with a reason)', async () => {
    const { id } = await h.community(owner);
    const [member, moderator, communityAdmin, outsider] = [
      await h.user(),
      await h.user(),
      await h.user(),
      await h.user(),
    ];
    await h.member(id, member);
    await h.member(id, moderator, 'MODERATOR');
    await h.member(id, communityAdmin, 'ADMIN');
    for (const [who, reason] of [
      [member, 'MISSING_PERMISSION'],
      [moderator, 'MISSING_PERMISSION'],
      [outsider, 'NOT_MEMBER'],
    ] as const) {
      const result = await h.gql(UPDATE, { input: { communityId: id, name: 'Renamed' } }, who);
      expect(codes(result)).toEqual(['FORBIDDEN']);
      expect(result.errors?.[0]?.extensions).toMatchObject({ reason, permission: 'COMMUNITY_UPDATE' });
    }
    const updated = await h.ok<{ updateCommunity: { community: Record<string, unknown> } }>(
      UPDATE,
      {
        input: {
          communityId: id,
          name: 'Renamed',
          visibility: 'PRIVATE',
          location: null,
          coverAssetId: null,
        },
      },
      communityAdmin,
    );
    expect(updated.updateCommunity.community).toMatchObject({
      name: 'Renamed',
      visibility: 'PRIVATE',
      joinPolicy: 'APPROVAL',
      location: null,
      cover: null,
    });
    expect(
      codes(await h.gql(UPDATE, { input: { communityId: randomUUID(), name: 'X y z' } }, owner)),
    ).toEqual(['NOT_FOUND']);
  });

  it('joins an open community at once, asks to join an approval one, refuses invite-only ones', async () => {
    const open = await h.community(owner);
    const approval = await h.community(owner, { visibility: 'PRIVATE' });
    const inviteOnly = await h.community(owner, { joinPolicy: 'INVITE_ONLY' });
    const learner = await h.user();
    const joined = await h.ok<{
      joinCommunity: { membership: Record<string, unknown>; community: Record<string, unknown> };
    }>(JOIN, { id: open.id, tz: 'Europe/Lisbon' }, learner);
    expect(joined.joinCommunity).toMatchObject({
      membership: { role: 'MEMBER', status: 'ACTIVE', timeZone: 'Europe/Lisbon' },
      community: { id: open.id, memberCount: 2 },
    });
    expect(codes(await h.gql(JOIN, { id: open.id }, learner))).toEqual(['ALREADY_MEMBER']);
    const joinedEvents = (await h.outbox(['community.member.joined'])).filter(
      (e) => e.aggregateId === open.id,
    );
    expect(joinedEvents.map((e) => e.payload['userId']).sort()).toEqual([learner.id, owner.id].sort());

    // A private community: a PENDING request (asking again changes nothing), no content, no event.
    const requested = await h.ok<{
      joinCommunity: { membership: { status: string }; community: { memberCount: number } };
    }>(JOIN, { id: approval.id }, learner);
    expect(requested.joinCommunity).toMatchObject({
      membership: { status: 'PENDING' },
      community: { memberCount: 1 },
    });
    expect(await h.join(learner, approval.id)).toBe('PENDING');
    const pendingView = await h.ok<{ community: { viewerPermissions: string[] } }>(
      COMMUNITY,
      { id: approval.id },
      learner,
    );
    expect(pendingView.community.viewerPermissions).toEqual([]);
    expect(
      (await h.outbox(['community.member.joined'])).some(
        (e) => e.aggregateId === approval.id && e.payload['userId'] === learner.id,
      ),
    ).toBe(false);

    expect(codes(await h.gql(JOIN, { id: inviteOnly.id }, learner))).toEqual(['JOIN_REQUIRES_INVITE']);
    expect(codes(await h.gql(JOIN, { id: open.id, tz: 'Mars/Olympus' }, await h.user()))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await h.gql(JOIN, { id: randomUUID() }, learner))).toEqual(['NOT_FOUND']);
  });

  it('leaves (recording community.member.left), withdraws requests, and never lets the owner leave', async () => {
    const { id } = await h.community(owner);
    const learner = await h.user();
    await h.join(learner, id);
    const left = await h.ok<{ leaveCommunity: { membership: { status: string } } }>(LEAVE, { id }, learner);
    expect(left.leaveCommunity.membership.status).toBe('LEFT');
    const leftEvent = (await h.outbox(['community.member.left'])).find((e) => e.aggregateId === id);
    expect(leftEvent?.payload).toMatchObject({ userId: learner.id, reason: 'LEFT' });
    expect(
      (await h.ok<{ community: { memberCount: number } }>(COMMUNITY, { id }, null)).community.memberCount,
    ).toBe(1);
    expect(codes(await h.gql(LEAVE, { id }, learner))).toEqual(['NOT_A_MEMBER']);
    // Rejoining after leaving works.
    expect(await h.join(learner, id)).toBe('ACTIVE');

    const ownerLeaves = await h.gql(LEAVE, { id }, owner);
    expect(codes(ownerLeaves)).toEqual(['OWNER_CANNOT_LEAVE']);
    expect(
      (await h.ok<{ community: { memberCount: number } }>(COMMUNITY, { id }, null)).community.memberCount,
    ).toBe(2);

    const privateOne = await h.community(owner, { visibility: 'PRIVATE' });
    expect(await h.join(learner, privateOne.id)).toBe('PENDING');
    const withdrawn = await h.ok<{ leaveCommunity: { membership: { status: string }; community: unknown } }>(
      LEAVE,
      { id: privateOne.id },
      learner,
    );
    expect(withdrawn.leaveCommunity).toEqual({ membership: { status: 'LEFT' }, community: null });
    expect((await h.outbox(['community.member.left'])).some((e) => e.aggregateId === privateOne.id)).toBe(
      false,
    );
  });

  it('keeps a banned user out: no rejoining, no content, a typed reason', async () => {
    const { id } = await h.community(owner);
    const banned = await h.user();
    await h.join(banned, id);
    await h.dataSource.query(
      `UPDATE "community".memberships SET status = 'BANNED', banned_at = now() WHERE community_id = $1 AND user_id = $2`,
      [id, banned.id],
    );
    expect(codes(await h.gql(JOIN, { id }, banned))).toEqual(['MEMBER_BANNED']);
    const view = await h.ok<{
      community: { viewerPermissions: string[]; viewerMembership: { status: string } };
    }>(COMMUNITY, { id }, banned);
    expect(view.community).toMatchObject({ viewerPermissions: [], viewerMembership: { status: 'BANNED' } });
    await expect(h.services.access.require(null, id, 'CONTENT_READ')).resolves.toBeTruthy();
    const bannedViewer = {
      userId: banned.id,
      sessionId: null,
      roles: [],
      scopes: [],
      apiKeyId: null,
      expiresAt: 0,
    };
    const denial = await h.services.access.require(bannedViewer, id, 'CONTENT_READ').catch((e: unknown) => e);
    expect(denial).toMatchObject({ extensions: { code: 'FORBIDDEN', reason: 'BANNED' } });
  });

  it('answers myCommunityMembership for the viewer only', async () => {
    const { id } = await h.community(owner);
    const mine = await h.ok<{ myCommunityMembership: Record<string, unknown> }>(MINE, { id }, owner);
    expect(mine.myCommunityMembership).toMatchObject({
      role: 'OWNER',
      status: 'ACTIVE',
      community: { id },
      user: { id: owner.id },
    });
    expect(
      (await h.ok<{ myCommunityMembership: null }>(MINE, { id }, await h.user())).myCommunityMembership,
    ).toBeNull();
  });

  it('denies every root mutation and the signed-in query to anonymous callers (UNAUTHENTICATED)', async () => {
    const { id } = await h.community(owner);
    const before = (await h.outbox()).length;
    for (const [query, variables] of [
      [CREATE, { input: { name: 'Anonymous' } }],
      [UPDATE, { input: { communityId: id, name: 'Anonymous' } }],
      [JOIN, { id }],
      [LEAVE, { id }],
      [MINE, { id }],
    ] as const) {
      expect(codes(await h.gql(query, variables, null)), query).toEqual(['UNAUTHENTICATED']);
    }
    expect((await h.outbox()).length).toBe(before);
  });

  it('filters discovery by mine, category, search, owner and map bounds, newest first', async () => {
    const founder = await h.user(['INSTRUCTOR']);
    const a = await h.community(founder, {
      name: 'Alpha Painters',
      categories: ['art'],
      location: { latitude: 10, longitude: 170 },
    });
    const b = await h.community(founder, {
      name: 'Beta Coders',
      categories: ['code'],
      location: { latitude: 10, longitude: -170 },
    });
    const ids = async (filter: Record<string, unknown>, as: TestUser | null = null) =>
      (
        await h.ok<{ communities: { edges: { node: { id: string } }[] } }>(
          COMMUNITIES,
          { filter, first: 100 },
          as,
        )
      ).communities.edges.map((e) => e.node.id);
    expect(await ids({ ownerId: founder.id })).toEqual([b.id, a.id]);
    expect(await ids({ ownerId: founder.id, category: 'art' })).toEqual([a.id]);
    expect(await ids({ ownerId: founder.id, search: 'coders' })).toEqual([b.id]);
    expect(await ids({ within: { south: 0, north: 20, west: 160, east: -160 } })).toEqual([b.id, a.id]);
    expect(await ids({ within: { south: 0, north: 20, west: 160, east: 180 } })).toEqual([a.id]);
    expect(await ids({ mine: true }, founder)).toEqual([b.id, a.id]);
    expect(codes(await h.gql(COMMUNITIES, { filter: { mine: true } }, null))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(COMMUNITIES, { first: 101 }, null))).toEqual(['BAD_USER_INPUT']);
  });

  it('pages communities with the viewer’s membership and permissions in a bounded number of queries', async () => {
    const founder = await h.user();
    const viewer = await h.user();
    const count = async (first: number) => {
      h.counter.reset();
      await h.ok(COMMUNITIES, { first }, viewer);
      return h.counter.count;
    };
    for (let i = 0; i < 3; i += 1) {
      const { id } = await h.community(founder);
      const roleId = randomUUID();
      await h.dataSource.query(
        `INSERT INTO "community".community_roles (id, community_id, name, permissions) VALUES ($1, $2, 'Mentor', '{EVENT_MANAGE}')`,
        [roleId, id],
      );
      await h.member(id, viewer, 'MEMBER', { customRoleId: roleId });
    }
    const small = await count(2);
    const large = await count(40);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(3);
    const page = await h.ok<{ communities: { edges: { node: { viewerPermissions: string[] } }[] } }>(
      COMMUNITIES,
      { first: 3 },
      viewer,
    );
    for (const edge of page.communities.edges) expect(edge.node.viewerPermissions).toContain('EVENT_MANAGE');
  });
});
