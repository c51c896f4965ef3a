import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, withRoles, type Actor } from '../src/harness/actors.js';
import { subscribe, wsClient, type Stream } from '../src/harness/subscriptions.js';
import { bearer, startTestPlatform, type TestPlatform } from '../src/harness/test-platform.js';

/**
 * The community feed through the gateway: community owns posts and the `communityFeedUpdated` stream,
 * identity resolves the author per event, and the access model is checked on subscribe and per event.
 */

type FeedEvent = {
  communityFeedUpdated: {
    kind: string;
    postId: string;
    post: {
      id: string;
      title: string | null;
      body: string | null;
      author: { id: string; displayName: string };
    } | null;
  };
};

const FEED_UPDATED = `subscription($id: ID!) { communityFeedUpdated(communityId: $id) {
  kind postId post { id title body author { id displayName } } } }`;
const CREATE_POST = `mutation($input: CreatePostInput!) { createPost(input: $input) { post { id title } } }`;

let platform: TestPlatform;
let owner: Actor;
let learner: Actor;
let outsider: Actor;
let communityId: string;
const clients: Client[] = [];

function client(who: Actor | null): Client {
  const created = wsClient(platform.gatewayUrl, who?.token ?? null);
  clients.push(created);
  return created;
}

async function post(who: Actor, title: string, body = `<p>${title}</p>`): Promise<string> {
  const data = await ok<{ createPost: { post: { id: string } } }>(
    platform,
    CREATE_POST,
    { input: { communityId, title, body } },
    who.token,
  );
  return data.createPost.post.id;
}

/**
 * Subscribing is asynchronous end to end (gateway → community → Redis): a post published before the
 * subscription is live is not delivered (the feed query covers it). Posts probes until every stream saw one.
 */
async function live(streams: Stream<FeedEvent>[]): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await post(owner, `probe ${attempt}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (
      streams.every((s) =>
        s.results.some((r) => r.data?.communityFeedUpdated.post?.title?.startsWith('probe')),
      )
    )
      return;
  }
  throw new Error('feed subscriptions never became live');
}

const titles = (stream: Stream<FeedEvent>) =>
  stream.results
    .map((r) => r.data?.communityFeedUpdated.post?.title)
    .filter((t): t is string => Boolean(t) && !t!.startsWith('probe'));

beforeAll(async () => {
  platform = await startTestPlatform({ SUBSCRIPTIONS_INIT_TIMEOUT_MS: '400' });
  owner = await withRoles(platform, 'olga@example.com', 'Olga Owner', ['LEARNER', 'INSTRUCTOR']);
  learner = await withRoles(platform, 'lee@example.com', 'Lee Learner', ['LEARNER']);
  outsider = await withRoles(platform, 'otto@example.com', 'Otto Outsider', ['LEARNER']);
  const created = await ok<{ createCommunity: { community: { id: string } } }>(
    platform,
    `mutation($input: CreateCommunityInput!) { createCommunity(input: $input) { community { id } } }`,
    { input: { name: 'Feed Guild', visibility: 'PRIVATE' } },
    owner.token,
  );
  communityId = created.createCommunity.community.id;
  // Lee is invited and accepts (a private community); Otto stays outside.
  await ok(
    platform,
    `mutation($input: CommunityMemberInput!) { inviteCommunityMember(input: $input) { membership { status } } }`,
    { input: { communityId, userId: learner.id } },
    owner.token,
  );
  await ok(
    platform,
    `mutation($id: ID!) { joinCommunity(input: { communityId: $id }) { membership { status } } }`,
    { id: communityId },
    learner.token,
  );
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await platform?.close();
});

describe('community feed through the gateway', () => {
  it('streams new posts with the author’s displayName from identity, and stops a banned member at the next event', async () => {
    const forLearner = subscribe<FeedEvent>(client(learner), FEED_UPDATED, { id: communityId });
    const forOwner = subscribe<FeedEvent>(client(owner), FEED_UPDATED, { id: communityId });
    await live([forLearner, forOwner]);

    const welcome = await post(owner, 'Welcome to the guild', '<p>Say <strong>hi</strong></p>');
    for (const stream of [forLearner, forOwner])
      await expect
        .poll(() => stream.results.at(-1)?.data?.communityFeedUpdated)
        .toEqual({
          kind: 'CREATED',
          postId: welcome,
          post: {
            id: welcome,
            title: 'Welcome to the guild',
            body: '<p>Say <strong>hi</strong></p>',
            author: { id: owner.id, displayName: 'Olga Owner' },
          },
        });

    // The learner posts too: the owner sees Lee's name.
    await post(learner, 'Hello from Lee');
    await expect
      .poll(() => forOwner.results.at(-1)?.data?.communityFeedUpdated.post?.author)
      .toEqual({ id: learner.id, displayName: 'Lee Learner' });

    // Banned: the next event ends Lee's stream with FORBIDDEN; the owner keeps receiving.
    const banned = await platform.graphql(
      `mutation($input: BanCommunityMemberInput!) { banCommunityMember(input: $input) { membership { status } } }`,
      { input: { communityId, userId: learner.id, reason: 'spam' } },
      bearer(owner.token),
    );
    expect(banned.errors).toBeUndefined();
    await post(owner, 'After the ban');
    await post(owner, 'And another');
    await expect
      .poll(() => titles(forOwner))
      .toEqual(['Welcome to the guild', 'Hello from Lee', 'After the ban', 'And another']);
    await expect.poll(() => forLearner.completed).toBe(true);
    expect(titles(forLearner)).toEqual(['Welcome to the guild', 'Hello from Lee']);
    expect(forLearner.results.at(-1)?.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    // Outsiders, the banned and anonymous sockets cannot subscribe at all.
    const refused = (who: Actor | null) =>
      subscribe<FeedEvent>(client(who), FEED_UPDATED, { id: communityId });
    const asOutsider = refused(outsider);
    const asBanned = refused(learner);
    const asAnonymous = refused(null);
    await expect.poll(() => asOutsider.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await expect.poll(() => asBanned.results[0]?.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await expect.poll(() => asAnonymous.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const stream of [forLearner, forOwner]) stream.unsubscribe();
  });

  it('serves the feed page through the gateway with identity’s authors', async () => {
    const data = await ok<{
      community: {
        feed: { edges: { node: { title: string; author: { displayName: string }; commentCount: number } }[] };
      };
    }>(
      platform,
      `query($id: ID!) { community(id: $id) { feed(first: 3) { edges { node { title commentCount author { displayName } } } } } }`,
      { id: communityId },
      owner.token,
    );
    expect(data.community.feed.edges.map((e) => [e.node.title, e.node.author.displayName])).toEqual([
      ['And another', 'Olga Owner'],
      ['After the ban', 'Olga Owner'],
      ['Hello from Lee', 'Lee Learner'],
    ]);
  });
});
