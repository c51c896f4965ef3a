import 'reflect-metadata';
import type { PubSub } from '@edugraph/kit';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { FeedModeration } from './feed-moderation.js';
import { FEED_TOPIC } from './feed-realtime.js';
import {
  CREATE_COMMENT,
  createPost,
  DELETE_COMMENT,
  DELETE_POST,
  PIN_POST,
  REACT,
  UNREACT,
  UPDATE_POST,
} from './feed.test-kit.js';

const NOW = new Date('2025-11-01T09:00:00Z');

const FEED_UPDATED = `subscription($id: ID!) { communityFeedUpdated(communityId: $id) {
  kind communityId postId post { id title body locked moderationState author { id } } } }`;

type Event = {
  kind: string;
  communityId: string;
  postId: string;
  post: { id: string; title: string | null; moderationState: string; author: { id: string } } | null;
};
type Result = {
  data?: { communityFeedUpdated: Event } | null;
  errors?: { extensions?: Record<string, unknown> }[];
};

type Stream = { results: Result[]; completed: boolean; next(n: number): Promise<void> };

describe('communityFeedUpdated (graphql-ws on the subgraph)', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let leaver: TestUser;
  let outsider: TestUser;
  let communityId: string;
  const clients: Client[] = [];
  /** Subscriptions iterating the feed topic, per community (publishing before that would be lost). */
  const listening = new Map<string, number>();

  function client(as: TestUser | null): Client {
    const created = createClient({
      url: h.server.wsUrl!,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: as ? { authorization: `Bearer ${as.token}` } : {},
    });
    clients.push(created);
    return created;
  }

  function subscribe(as: TestUser | null, id = communityId, query = FEED_UPDATED): Stream {
    const results: Result[] = [];
    const waiters: { n: number; resolve: () => void }[] = [];
    const stream: Stream = {
      results,
      completed: false,
      next: (n) =>
        results.length >= n || stream.completed
          ? Promise.resolve()
          : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    };
    const settle = () => {
      for (const waiter of waiters.filter((w) => results.length >= w.n || stream.completed)) waiter.resolve();
    };
    client(as).subscribe<Event>(
      { query, variables: { id } },
      {
        next: (value) => {
          results.push(value as Result);
          settle();
        },
        error: (error) => {
          results.push({
            errors: Array.isArray(error) ? (error as Result['errors']) : [{ extensions: { code: 'SOCKET' } }],
          });
          stream.completed = true;
          settle();
        },
        complete: () => {
          stream.completed = true;
          settle();
        },
      },
    );
    return stream;
  }

  async function listeners(count: number, id = communityId): Promise<void> {
    while ((listening.get(id) ?? 0) < count) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  beforeAll(async () => {
    h = await createCommunityHarness('feed_realtime', { now: NOW });
    [owner, moderator, member, leaver, outsider] = (await Promise.all(
      Array.from({ length: 5 }, () => h.user()),
    )) as [TestUser, TestUser, TestUser, TestUser, TestUser];
    communityId = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    await h.member(communityId, moderator, 'MODERATOR');
    await h.member(communityId, member, 'MEMBER');
    await h.member(communityId, leaver, 'MEMBER');
    // Count the subscriptions iterating the feed topic (the in-process PubSub registers on the first next()).
    const pubSub = h.services.feed.realtime.pubSub as { subscribe: PubSub['subscribe'] };
    const original = pubSub.subscribe.bind(pubSub);
    pubSub.subscribe = (topic: string, id?: unknown) => {
      const inner = original(topic, id);
      const key = String(id);
      if (topic !== FEED_TOPIC) return inner;
      return {
        [Symbol.asyncIterator]() {
          const iterator = inner[Symbol.asyncIterator]();
          let counted = false;
          return {
            next() {
              const pending = iterator.next();
              if (!counted) {
                counted = true;
                listening.set(key, (listening.get(key) ?? 0) + 1);
              }
              return pending;
            },
            async return(value?: unknown) {
              if (counted) listening.set(key, (listening.get(key) ?? 1) - 1);
              counted = false;
              return (await iterator.return?.(value)) ?? { done: true as const, value: undefined };
            },
          };
        },
      };
    };
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await h?.close();
  });

  it('refuses anonymous callers, outsiders and the banned on subscribe', async () => {
    const error = async (as: TestUser | null, id = communityId) => {
      const stream = subscribe(as, id);
      await stream.next(1);
      const extensions = stream.results[0]?.errors?.[0]?.extensions ?? {};
      return [extensions['code'], extensions['reason'] ?? null];
    };
    expect(await error(null)).toEqual(['UNAUTHENTICATED', null]);
    expect(await error(outsider)).toEqual(['NOT_FOUND', null]);
    const banned = await h.user();
    const publicId = (await h.community(owner)).id;
    await h.member(communityId, banned, 'MEMBER');
    await h.member(publicId, banned, 'MEMBER');
    await h.dataSource.query(`UPDATE "community".memberships SET status = 'BANNED' WHERE user_id = $1`, [
      banned.id,
    ]);
    // Banned: a private community is hidden from them, a public one refuses them.
    expect(await error(banned)).toEqual(['NOT_FOUND', null]);
    expect(await error(banned, publicId)).toEqual(['FORBIDDEN', 'BANNED']);
    expect(await error(outsider, 'not-a-uuid')).toEqual(['BAD_USER_INPUT', null]);
  });

  it('delivers created, updated, pinned and deleted posts; scheduled posts when published; moderation per viewer; and ends a banned member’s stream', async () => {
    const base = listening.get(communityId) ?? 0;
    const forMember = subscribe(member);
    const forModerator = subscribe(moderator);
    const forLeaver = subscribe(leaver);
    await listeners(base + 3);

    const post = await createPost(h, owner, { communityId, title: 'Live', body: '<p>hello</p>' });
    for (const stream of [forMember, forModerator, forLeaver]) await stream.next(1);
    expect(forMember.results[0]).toEqual({
      data: {
        communityFeedUpdated: {
          kind: 'CREATED',
          communityId,
          postId: post.id,
          post: {
            id: post.id,
            title: 'Live',
            body: '<p>hello</p>',
            locked: false,
            moderationState: 'VISIBLE',
            author: { id: owner.id },
          },
        },
      },
    });

    await h.ok(UPDATE_POST, { input: { postId: post.id, title: 'Live (edited)' } }, owner);
    await h.ok(PIN_POST, { input: { postId: post.id, pinned: true } }, moderator);
    // The leaver is banned: at the next event their stream ends with FORBIDDEN.
    await h.ok(
      `mutation($input: BanCommunityMemberInput!) { banCommunityMember(input: $input) { membership { status } } }`,
      { input: { communityId, userId: leaver.id } },
      owner,
    );

    // A scheduled post: nothing until the job publishes it.
    const publishAt = new Date(NOW.getTime() + 3_600_000);
    const scheduled = await createPost(h, member, {
      communityId,
      title: 'Later',
      body: 'soon',
      publishAt: publishAt.toISOString(),
    });
    h.clock.set(publishAt);
    try {
      expect(await h.services.feed.posts.publishDue()).toBe(1);
    } finally {
      h.clock.set(NOW);
    }
    // Moderation: suppressed for members (DELETED for them), UPDATED for moderators and the author.
    const change = await h.dataSource.transaction((manager) =>
      FeedModeration.setState(manager, { targetType: 'POST', targetId: post.id }, 'SUPPRESSED'),
    );
    await h.services.feed.moderation.notify(h.dataSource.manager, change);
    const other = await createPost(h, moderator, { communityId, title: 'Last', body: 'x' });
    await h.ok(DELETE_POST, { input: { postId: other.id } }, moderator);

    const kinds = (stream: Stream) =>
      stream.results.map((r) => [
        r.data?.communityFeedUpdated.kind,
        r.data?.communityFeedUpdated.post?.title ?? null,
      ]);
    await forMember.next(7);
    await forModerator.next(7);
    expect(kinds(forMember)).toEqual([
      ['CREATED', 'Live'],
      ['UPDATED', 'Live (edited)'],
      ['PINNED', 'Live (edited)'],
      ['CREATED', 'Later'],
      ['DELETED', null],
      ['CREATED', 'Last'],
      ['DELETED', null],
    ]);
    expect(forMember.results[4]?.data?.communityFeedUpdated.postId).toBe(post.id);
    expect(forMember.results[3]?.data?.communityFeedUpdated.postId).toBe(scheduled.id);
    expect(kinds(forModerator)).toEqual([
      ['CREATED', 'Live'],
      ['UPDATED', 'Live (edited)'],
      ['PINNED', 'Live (edited)'],
      ['CREATED', 'Later'],
      ['UPDATED', 'Live (edited)'],
      ['CREATED', 'Last'],
      ['DELETED', null],
    ]);
    expect(forModerator.results[4]?.data?.communityFeedUpdated.post?.moderationState).toBe('SUPPRESSED');

    await forLeaver.next(4);
    expect(forLeaver.completed).toBe(true);
    expect(kinds(forLeaver).slice(0, 3)).toEqual([
      ['CREATED', 'Live'],
      ['UPDATED', 'Live (edited)'],
      ['PINNED', 'Live (edited)'],
    ]);
    expect(forLeaver.results).toHaveLength(4);
    expect(forLeaver.results[3]?.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('sends a post’s new reaction and comment counts to others as UPDATED (each viewer sees their own reactions), only when they change', async () => {
    const COUNTS = `subscription($id: ID!) { communityFeedUpdated(communityId: $id) {
      kind postId post { title reactionCount reactions { emoji count } viewerReactions commentCount } } }`;
    const base = listening.get(communityId) ?? 0;
    const forMember = subscribe(member, communityId, COUNTS);
    await listeners(base + 1);

    const post = await createPost(h, owner, { communityId, title: 'Counts', body: 'react to me' });
    const react = { targetType: 'POST', targetId: post.id, emoji: '👍' };
    await h.ok(REACT, { input: react }, moderator);
    await h.ok(REACT, { input: react }, moderator); // already there: nothing changes, no event
    const { createComment } = await h.ok<{ createComment: { comment: { id: string } } }>(
      CREATE_COMMENT,
      { input: { postId: post.id, body: 'first' } },
      moderator,
    );
    // reactions on comments are not part of the feed
    await h.ok(
      REACT,
      { input: { targetType: 'COMMENT', targetId: createComment.comment.id, emoji: '🎉' } },
      owner,
    );
    await h.ok(DELETE_COMMENT, { input: { commentId: createComment.comment.id } }, moderator);
    await h.ok(UNREACT, { input: react }, moderator);
    await createPost(h, owner, { communityId, title: 'Sentinel', body: 'last' });

    await forMember.next(6);
    const seen = forMember.results.map((r) => {
      const event = r.data?.communityFeedUpdated;
      return [event?.kind, event?.post];
    });
    const counts = (reactions: number, comments: number) => ({
      title: 'Counts',
      reactionCount: reactions,
      reactions: reactions ? [{ emoji: '👍', count: reactions }] : [],
      viewerReactions: [],
      commentCount: comments,
    });
    expect(seen).toEqual([
      ['CREATED', counts(0, 0)],
      ['UPDATED', counts(1, 0)],
      ['UPDATED', counts(1, 1)],
      ['UPDATED', counts(1, 0)],
      ['UPDATED', counts(0, 0)],
      [
        'CREATED',
        { title: 'Sentinel', reactionCount: 0, reactions: [], viewerReactions: [], commentCount: 0 },
      ],
    ]);
  });
});
