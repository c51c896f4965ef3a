import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ok, withRoles, type Actor } from '../src/harness/actors.js';
import { bearer, startTestPlatform, type TestPlatform } from '../src/harness/test-platform.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});

afterAll(async () => {
  await platform?.close();
});

const CHANNELS = `query($id: ID!) { communityChannels(communityId: $id, first: 20) { edges { node { id name communityWide } } } }`;

async function channelIds(communityId: string, as: Actor): Promise<string[]> {
  const data = await ok<{ communityChannels: { edges: { node: { id: string } }[] } }>(
    platform,
    CHANNELS,
    { id: communityId },
    as.token,
  );
  return data.communityChannels.edges.map((e) => e.node.id);
}

describe('community through the gateway', () => {
  it('owner, members and a banned member; community-wide chat channels follow the membership', async () => {
    const owner = await withRoles(platform, 'olga@example.com', 'Olga Owner', ['LEARNER', 'INSTRUCTOR']);
    const learner = await withRoles(platform, 'lee@example.com', 'Lee Learner', ['LEARNER']);
    const outsider = await withRoles(platform, 'otto@example.com', 'Otto Outsider', ['LEARNER']);

    const created = await ok<{
      createCommunity: { community: { id: string; slug: string; owner: { displayName: string } } };
    }>(
      platform,
      `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id slug owner { displayName } } } }`,
      { input: { name: 'GraphQL Guild', categories: ['programming'] } },
      owner.token,
    );
    const { id: communityId, slug } = created.createCommunity.community;
    // The owner (identity's User) resolves across subgraphs.
    expect(created.createCommunity.community.owner.displayName).toBe('Olga Owner');
    expect(slug).toBe('graphql-guild');

    // Messaging hears of the owner through community.member.joined; then she opens a community-wide channel.
    const channel = await eventually(
      () =>
        platform.graphql<{ createChannel: { conversation: { id: string; communityWide: boolean } } }>(
          `mutation($input: CreateChannelInput!) { createChannel(input: $input) { conversation { id communityWide } } }`,
          { input: { communityId, name: 'general', communityWide: true } },
          bearer(owner.token),
        ),
      (result) => result.errors === undefined,
    );
    const channelId = channel.data!.createChannel.conversation.id;

    // A learner joins the community: the channel follows.
    const joined = await ok<{
      joinCommunity: { membership: { status: string }; community: { memberCount: number } };
    }>(
      platform,
      `mutation($id: ID!) { joinCommunity(input: { communityId: $id }) { membership { status } community { memberCount } } }`,
      { id: communityId },
      learner.token,
    );
    expect(joined.joinCommunity).toEqual({ membership: { status: 'ACTIVE' }, community: { memberCount: 2 } });
    await eventually(
      () => channelIds(communityId, learner),
      (ids) => ids.includes(channelId),
    );

    // The viewer's memberships (community's field on identity's User).
    const viewer = await ok<{
      viewer: {
        displayName: string;
        memberships: { edges: { node: { role: string; community: { slug: string } } }[] };
      };
    }>(
      platform,
      `{ viewer { displayName memberships(first: 10) { edges { node { role community { slug } } } } } }`,
      {},
      learner.token,
    );
    expect(viewer.viewer.memberships.edges).toEqual([{ node: { role: 'MEMBER', community: { slug } } }]);

    // Banned: out of the channel, and no way back in.
    await ok(
      platform,
      `mutation($input: BanCommunityMemberInput!) { banCommunityMember(input: $input) { membership { status } } }`,
      { input: { communityId, userId: learner.id, reason: 'Spam' } },
      owner.token,
    );
    await eventually(
      () => channelIds(communityId, learner),
      (ids) => !ids.includes(channelId),
    );
    const rejoin = await platform.graphql(
      `mutation($id: ID!) { joinCommunity(input: { communityId: $id }) { membership { status } } }`,
      { id: communityId },
      bearer(learner.token),
    );
    expect(rejoin.errors?.[0]?.extensions?.['code']).toBe('MEMBER_BANNED');

    // A private community is invisible to outsiders, and anonymous callers change nothing.
    const hidden = await ok<{ createCommunity: { community: { id: string } } }>(
      platform,
      `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }`,
      { input: { name: 'Inner Circle', visibility: 'PRIVATE' } },
      owner.token,
    );
    const seen = await ok<{ community: null }>(
      platform,
      `query($id: ID!) { community(id: $id) { id } }`,
      { id: hidden.createCommunity.community.id },
      outsider.token,
    );
    expect(seen.community).toBeNull();
    const anonymous = await platform.graphql(
      `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }`,
      { input: { name: 'Nobody' } },
    );
    expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });
});
