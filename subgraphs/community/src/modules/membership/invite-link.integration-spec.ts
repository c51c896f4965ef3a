import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';

const CREATE = `mutation($input: CreateCommunityInviteLinkInput!) {
  createCommunityInviteLink(input: $input) { token invite { id tokenHint maxUses uses state expiresAt createdBy { id } } }
}`;
const REVOKE = `mutation($id: ID!) { revokeCommunityInviteLink(input: { inviteId: $id }) { invite { state revokedAt } } }`;
const JOIN_WITH = `mutation($token: String!) {
  joinCommunityWithInvite(input: { token: $token }) { membership { status role } community { id memberCount } }
}`;
const JOIN = `mutation($id: ID!) { joinCommunity(input: { communityId: $id }) { membership { status } } }`;
const BAN = `mutation($input: BanCommunityMemberInput!) { banCommunityMember(input: $input) { membership { status } } }`;
const PREVIEW = `query($token: String!) { communityInvite(token: $token) { state expiresAt community { id name visibility } } }`;
const LINKS = `query($id: ID!) { community(id: $id) { inviteLinks(first: 10) { edges { node { id uses state tokenHint } } } } }`;

type Created = {
  createCommunityInviteLink: { token: string; invite: { id: string; uses: number; state: string } };
};

describe('invite links', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let communityId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('invites', { now: new Date('2026-03-01T10:00:00Z') });
    owner = await h.user();
    communityId = (await h.community(owner, { visibility: 'PRIVATE', joinPolicy: 'INVITE_ONLY' })).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const link = async (input: Record<string, unknown> = {}, as = owner) =>
    (await h.ok<Created>(CREATE, { input: { communityId, ...input } }, as)).createCommunityInviteLink;

  it('makes an ACTIVE member of a private, invite-only community, shows a preview, and counts the use', async () => {
    const { token, invite } = await link({ maxUses: 5 });
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(invite).toMatchObject({ uses: 0, state: 'ACTIVE' });
    const guest = await h.user();
    expect(codes(await h.gql(JOIN, { id: communityId }, guest))).toEqual(['JOIN_REQUIRES_INVITE']);
    const preview = await h.ok<{ communityInvite: Record<string, unknown> }>(PREVIEW, { token }, null);
    expect(preview.communityInvite).toMatchObject({
      state: 'ACTIVE',
      community: { id: communityId, visibility: 'PRIVATE' },
    });
    expect(
      (await h.ok<{ communityInvite: null }>(PREVIEW, { token: 'x'.repeat(32) }, null)).communityInvite,
    ).toBeNull();
    const joined = await h.ok<{ joinCommunityWithInvite: Record<string, unknown> }>(
      JOIN_WITH,
      { token },
      guest,
    );
    expect(joined.joinCommunityWithInvite).toMatchObject({
      membership: { status: 'ACTIVE', role: 'MEMBER' },
      community: { id: communityId, memberCount: 2 },
    });
    // A member using the link again gets ALREADY_MEMBER and uses nothing up.
    expect(codes(await h.gql(JOIN_WITH, { token }, guest))).toEqual(['ALREADY_MEMBER']);
    const links = await h.ok<{
      community: { inviteLinks: { edges: { node: { id: string; uses: number } }[] } };
    }>(LINKS, { id: communityId }, owner);
    expect(links.community.inviteLinks.edges.find((e) => e.node.id === invite.id)?.node.uses).toBe(1);
    // Only inviters list and create links.
    expect(codes(await h.gql(LINKS, { id: communityId }, guest))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(CREATE, { input: { communityId } }, guest))).toEqual(['FORBIDDEN']);
    expect((await h.outbox(['community.member.joined'])).some((e) => e.payload['userId'] === guest.id)).toBe(
      true,
    );
  });

  it('expires at its expiry time (by the clock, not the wall)', async () => {
    const { token } = await link({ expiresInHours: 2 });
    h.clock.advance(2 * 3_600_000 - 1000);
    await h.ok(JOIN_WITH, { token }, await h.user());
    h.clock.advance(1000);
    const late = await h.gql(JOIN_WITH, { token }, await h.user());
    expect(codes(late)).toEqual(['INVITE_EXPIRED']);
    expect(
      (await h.ok<{ communityInvite: { state: string } }>(PREVIEW, { token }, null)).communityInvite.state,
    ).toBe('EXPIRED');
    expect(codes(await h.gql(CREATE, { input: { communityId, expiresInHours: 721 } }, owner))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await h.gql(CREATE, { input: { communityId, maxUses: 0 } }, owner))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('lets exactly maxUses users in when many use the link at once', async () => {
    const { token, invite } = await link({ maxUses: 3 });
    const users = await Promise.all(Array.from({ length: 10 }, () => h.user()));
    const before = (await h.ok<{ communityInvite: { community: { id: string } } }>(PREVIEW, { token }, null))
      .communityInvite;
    expect(before.community.id).toBe(communityId);
    const results = await Promise.all(users.map((u) => h.gql(JOIN_WITH, { token }, u)));
    const outcome = results.map((r) => (r.errors ? codes(r)[0] : 'JOINED'));
    expect(outcome.filter((o) => o === 'JOINED')).toHaveLength(3);
    expect(outcome.filter((o) => o !== 'JOINED')).toEqual(Array(7).fill('INVITE_EXHAUSTED'));
    const [row] = await h.dataSource.query(`SELECT uses FROM "community".community_invites WHERE id = $1`, [
      invite.id,
    ]);
    expect(row.uses).toBe(3);
    const [count] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM "community".memberships WHERE invite_id = $1 AND status = 'ACTIVE'`,
      [invite.id],
    );
    expect(count.n).toBe(3);
  });

  it('stops working when revoked, and never lets a banned user in', async () => {
    const { token, invite } = await link();
    const moderator = await h.user();
    await h.member(communityId, moderator, 'MODERATOR');
    const banned = await h.user();
    await h.ok(BAN, { input: { communityId, userId: banned.id } }, moderator);
    expect(codes(await h.gql(JOIN_WITH, { token }, banned))).toEqual(['MEMBER_BANNED']);
    const outsider = await h.user();
    expect(codes(await h.gql(REVOKE, { id: invite.id }, outsider))).toEqual(['NOT_FOUND']);
    const revoked = await h.ok<{ revokeCommunityInviteLink: { invite: { state: string } } }>(
      REVOKE,
      { id: invite.id },
      moderator,
    );
    expect(revoked.revokeCommunityInviteLink.invite.state).toBe('REVOKED');
    expect(codes(await h.gql(JOIN_WITH, { token }, await h.user()))).toEqual(['INVITE_REVOKED']);
    expect(codes(await h.gql(JOIN_WITH, { token: 'not-a-real-token-at-all-0000' }, await h.user()))).toEqual([
      'INVITE_INVALID',
    ]);
    const [row] = await h.dataSource.query(`SELECT uses FROM "community".community_invites WHERE id = $1`, [
      invite.id,
    ]);
    expect(row.uses).toBe(0);
  });
});
