import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import {
  CREATE_POST,
  createPost,
  DELETE_POST,
  feedState,
  feedTitles,
  PIN_POST,
  POST,
  UPDATE_POST,
  type PostData,
} from './feed.test-kit.js';

const NOW = new Date('2025-05-01T10:00:00Z');
const HOUR = 3_600_000;

describe('posts', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let admin: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let muted: TestUser;
  let outsider: TestUser;
  let banned: TestUser;
  let publicId: string;
  let privateId: string;
  let moderatedId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('feed_posts', { now: NOW });
    [owner, admin, moderator, member, muted, outsider, banned] = (await Promise.all(
      Array.from({ length: 7 }, () => h.user()),
    )) as [TestUser, TestUser, TestUser, TestUser, TestUser, TestUser, TestUser];
    publicId = (await h.community(owner)).id;
    privateId = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    moderatedId = (await h.community(owner, { postingPolicy: 'MODERATORS_ONLY' })).id;
    for (const id of [publicId, privateId, moderatedId]) {
      await h.member(id, admin, 'ADMIN');
      await h.member(id, moderator, 'MODERATOR');
      await h.member(id, member, 'MEMBER');
      await h.member(id, muted, 'MEMBER', { mutedUntil: new Date(NOW.getTime() + 24 * HOUR) });
      await h.member(id, banned, 'MEMBER');
    }
    await h.dataSource.query(`UPDATE "community".memberships SET status = 'BANNED' WHERE user_id = $1`, [
      banned.id,
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a post: sanitised body, normalised tags, mentions, attachments, and community.post.created', async () => {
    const mentioned = randomUUID();
    const asset = randomUUID();
    const post = await createPost(h, member, {
      communityId: publicId,
      title: '  Hello   world ',
      body: '<p onclick="x()">Hi <strong>@Ada.Lovelace</strong> and @bob_1, mail me at me@example.com</p><script>alert(1)</script><a href="javascript:evil()">x</a>',
      tags: ['#GraphQL', 'graph ql', 'graphql', 'Ünïcode'],
      mentionUserIds: [mentioned, mentioned],
      attachmentAssetIds: [asset],
    });
    expect(post).toMatchObject({
      title: 'Hello world',
      body: '<p>Hi <strong>@Ada.Lovelace</strong> and @bob_1, mail me at me@example.com</p><a rel="noopener noreferrer nofollow">x</a>',
      excerpt: 'Hi @Ada.Lovelace and @bob_1, mail me at me@example.com x',
      locked: false,
      tags: ['graphql', 'graph-ql', 'ünïcode'],
      mentionHandles: ['ada.lovelace', 'bob_1'],
      mentionedUsers: [{ id: mentioned }],
      attachments: [{ id: asset }],
      announcement: false,
      pinned: false,
      status: 'PUBLISHED',
      publishAt: NOW.toISOString(),
      moderationState: 'VISIBLE',
      commentCount: 0,
      reactionCount: 0,
      author: { id: member.id },
      viewerCanEdit: true,
      viewerCanDelete: true,
      editedAt: null,
    });
    const events = (await h.outbox(['community.post.created'])).filter(
      (e) => e.payload['postId'] === post.id,
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({
      communityId: publicId,
      authorId: member.id,
      title: 'Hello world',
      tags: ['graphql', 'graph-ql', 'ünïcode'],
      mentionUserIds: [mentioned],
      mentionHandles: ['ada.lovelace', 'bob_1'],
      announcement: false,
      scheduled: false,
      requiredTierId: null,
    });
    expect(events[0]?.payload['body']).toBe(post.body);
  });

  it('refuses bad input with typed errors and changes nothing', async () => {
    const before = await feedState(h);
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ body: '   ' }, 'BAD_USER_INPUT', 'body'],
      [{ body: '<script>only a script</script>' }, 'BAD_USER_INPUT', 'body'],
      [{ body: 'x'.repeat(8_001) }, 'BAD_USER_INPUT', 'body'],
      [{ body: `<p>${'<strong>x</strong>'.repeat(1_000)}</p>` }, 'BAD_USER_INPUT', 'body'],
      [{ body: 'ok', title: 't'.repeat(201) }, 'BAD_USER_INPUT', 'title'],
      [{ body: 'ok', tags: Array.from({ length: 13 }, (_, i) => `t${i}`) }, 'BAD_USER_INPUT', 'tags'],
      [{ body: 'ok', tags: ['no spaces?'] }, 'BAD_USER_INPUT', 'tags'],
      [{ body: 'ok', tags: ['x'.repeat(33)] }, 'BAD_USER_INPUT', 'tags'],
      [{ body: 'ok', mentionUserIds: ['not-a-uuid'] }, 'BAD_USER_INPUT', 'mentionUserIds'],
      [
        { body: 'ok', attachmentAssetIds: Array.from({ length: 11 }, () => randomUUID()) },
        'BAD_USER_INPUT',
        'attachmentAssetIds',
      ],
      [
        { body: 'ok', publishAt: new Date(NOW.getTime() - 1000).toISOString() },
        'INVALID_PUBLISH_TIME',
        'publishAt',
      ],
      [
        { body: 'ok', publishAt: new Date(NOW.getTime() + 400 * 24 * HOUR).toISOString() },
        'INVALID_PUBLISH_TIME',
        'publishAt',
      ],
      [{ body: 'ok', poll: { options: ['only one'] } }, 'BAD_USER_INPUT', 'poll.options'],
      [
        { body: 'ok', poll: { options: Array.from({ length: 11 }, (_, i) => `o${i}`) } },
        'BAD_USER_INPUT',
        'poll.options',
      ],
      [{ body: 'ok', poll: { options: ['Yes', 'yes'] } }, 'BAD_USER_INPUT', 'poll.options'],
      [{ body: 'ok', poll: { options: ['Yes', ''] } }, 'BAD_USER_INPUT', 'poll.options'],
      [
        { body: 'ok', poll: { options: ['a', 'b'], closesAt: new Date(NOW.getTime() - 1).toISOString() } },
        'BAD_USER_INPUT',
        'poll.closesAt',
      ],
    ];
    for (const [input, code, field] of cases) {
      const result = await h.gql(CREATE_POST, { input: { communityId: publicId, ...input } }, member);
      expect(codes(result), JSON.stringify(input).slice(0, 80)).toEqual([code]);
      if (field) expect(result.errors?.[0]?.extensions?.['field']).toBe(field);
    }
    // A tier of another community (or none at all) is not a gate here.
    const tierless = await h.gql(
      CREATE_POST,
      { input: { communityId: publicId, body: 'ok', requiredTierId: randomUUID() } },
      owner,
    );
    expect(codes(tierless)).toEqual(['BAD_USER_INPUT']);
    expect(await feedState(h)).toEqual(before);
  });

  it('denies posting to anonymous callers, outsiders, the banned, the muted, and plain members of MODERATORS_ONLY communities', async () => {
    const before = await feedState(h);
    const attempt = (as: TestUser | null, communityId: string, extra: Record<string, unknown> = {}) =>
      h.gql(CREATE_POST, { input: { communityId, body: 'Hello', ...extra } }, as);
    const reason = (result: Awaited<ReturnType<typeof attempt>>) => [
      codes(result)[0],
      result.errors?.[0]?.extensions?.['reason'],
      result.errors?.[0]?.extensions?.['permission'],
    ];
    expect(codes(await attempt(null, publicId))).toEqual(['UNAUTHENTICATED']);
    expect(reason(await attempt(outsider, publicId))).toEqual(['FORBIDDEN', 'NOT_MEMBER', 'POST_CREATE']);
    expect(codes(await attempt(outsider, privateId))).toEqual(['NOT_FOUND']);
    expect(codes(await attempt(member, randomUUID()))).toEqual(['NOT_FOUND']);
    expect(reason(await attempt(banned, publicId))).toEqual(['FORBIDDEN', 'BANNED', 'POST_CREATE']);
    expect(reason(await attempt(muted, publicId))).toEqual(['FORBIDDEN', 'MUTED', 'POST_CREATE']);
    expect(reason(await attempt(member, moderatedId))).toEqual([
      'FORBIDDEN',
      'MISSING_PERMISSION',
      'POST_CREATE',
    ]);
    expect(reason(await attempt(member, publicId, { pinned: true }))).toEqual([
      'FORBIDDEN',
      'MISSING_PERMISSION',
      'POST_PIN',
    ]);
    expect(reason(await attempt(moderator, publicId, { announcement: true }))).toEqual([
      'FORBIDDEN',
      'MISSING_PERMISSION',
      'POST_ANNOUNCE',
    ]);
    expect(reason(await attempt(moderator, publicId, { requiredTierId: randomUUID() }))).toEqual([
      'FORBIDDEN',
      'MISSING_PERMISSION',
      'TIER_MANAGE',
    ]);
    expect(await feedState(h)).toEqual(before);

    // Moderators post in MODERATORS_ONLY communities; admins announce.
    const announcement = await createPost(h, admin, {
      communityId: moderatedId,
      body: 'Welcome all',
      announcement: true,
    });
    expect(announcement.announcement).toBe(true);
    const [event] = (await h.outbox(['community.post.created'])).filter(
      (e) => e.payload['postId'] === announcement.id,
    );
    expect(event?.payload['announcement']).toBe(true);
    await createPost(h, moderator, { communityId: moderatedId, body: 'Moderated post' });
  });

  it('lets the author edit (an active, unmuted member) and nobody else', async () => {
    const post = await createPost(h, member, {
      communityId: privateId,
      title: 'Draft',
      body: 'First',
      tags: ['a'],
    });
    h.clock.set(new Date(NOW.getTime() + 60_000));
    try {
      const edited = await h.ok<{ updatePost: { post: PostData } }>(
        UPDATE_POST,
        {
          input: {
            postId: post.id,
            title: null,
            body: '<p>Second @carol</p><iframe src="x"></iframe>',
            tags: ['B'],
          },
        },
        member,
      );
      expect(edited.updatePost.post).toMatchObject({
        title: null,
        body: '<p>Second @carol</p>',
        tags: ['b'],
        mentionHandles: ['carol'],
        editedAt: new Date(NOW.getTime() + 60_000).toISOString(),
      });
      const before = await feedState(h);
      const update = (as: TestUser | null, input: Record<string, unknown> = {}) =>
        h.gql(UPDATE_POST, { input: { postId: post.id, body: 'Hijacked', ...input } }, as);
      expect(codes(await update(null))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await update(outsider))).toEqual(['NOT_FOUND']);
      const other = await update(moderator);
      expect([codes(other)[0], other.errors?.[0]?.extensions?.['reason']]).toEqual([
        'FORBIDDEN',
        'NOT_AUTHOR',
      ]);
      expect(codes(await update(owner))).toEqual(['FORBIDDEN']);
      expect(codes(await update(member, { body: '' }))).toEqual(['BAD_USER_INPUT']);
      expect(
        codes(await update(member, { publishAt: new Date(NOW.getTime() + HOUR).toISOString() })),
      ).toEqual(['INVALID_PUBLISH_TIME']);
      expect(codes(await update(member, { requiredTierId: randomUUID() }))).toEqual(['FORBIDDEN']);
      expect(codes(await h.gql(UPDATE_POST, { input: { postId: randomUUID(), body: 'x' } }, member))).toEqual(
        ['NOT_FOUND'],
      );
      // A muted author keeps their posts but cannot edit them.
      const mutedPost = await createPost(h, muted, { communityId: publicId, body: 'before' }).catch(
        () => null,
      );
      expect(mutedPost).toBeNull();
      expect(await feedState(h)).toEqual(before);
    } finally {
      h.clock.set(NOW);
    }
  });

  it('lets the author or a moderator delete; the post leaves the feed; community.post.deleted', async () => {
    const mine = await createPost(h, member, { communityId: publicId, title: 'Mine to delete', body: 'x' });
    const theirs = await createPost(h, member, { communityId: publicId, title: 'Moderated away', body: 'y' });
    const before = await feedState(h);
    const del = (as: TestUser | null, postId: string) => h.gql(DELETE_POST, { input: { postId } }, as);
    expect(codes(await del(null, mine.id))).toEqual(['UNAUTHENTICATED']);
    const denied = await del(outsider, mine.id);
    expect([codes(denied)[0], denied.errors?.[0]?.extensions?.['reason']]).toEqual([
      'FORBIDDEN',
      'NOT_AUTHOR',
    ]);
    expect(codes(await del(admin, randomUUID()))).toEqual(['NOT_FOUND']);
    expect(await feedState(h)).toEqual(before);

    expect(await h.ok(DELETE_POST, { input: { postId: mine.id } }, member)).toEqual({
      deletePost: { postId: mine.id },
    });
    expect(await h.ok(DELETE_POST, { input: { postId: theirs.id } }, moderator)).toEqual({
      deletePost: { postId: theirs.id },
    });
    expect(codes(await del(member, mine.id))).toEqual(['NOT_FOUND']);
    expect((await h.ok<{ post: unknown }>(POST, { id: mine.id }, member)).post).toBeNull();
    const titles = await feedTitles(h, member, { id: publicId, first: 50 });
    expect(titles).not.toContain('Mine to delete');
    expect(titles).not.toContain('Moderated away');
    const deleted = await h.outbox(['community.post.deleted']);
    expect(deleted.map((e) => [e.payload['postId'], e.payload['deletedById']])).toEqual(
      expect.arrayContaining([
        [mine.id, member.id],
        [theirs.id, moderator.id],
      ]),
    );
  });

  it('pins posts (POST_PIN, at most 5): pinned first, on the first page only', async () => {
    const { id } = await h.community(owner);
    await h.member(id, moderator, 'MODERATOR');
    await h.member(id, member, 'MEMBER');
    const posts: PostData[] = [];
    for (let i = 0; i < 8; i += 1) {
      h.clock.set(new Date(NOW.getTime() + i * 1000));
      posts.push(await createPost(h, member, { communityId: id, title: `p${i}`, body: 'x' }));
    }
    h.clock.set(new Date(NOW.getTime() + 10_000));
    try {
      const before = await feedState(h);
      const pin = (as: TestUser | null, postId: string, pinned = true) =>
        h.gql(PIN_POST, { input: { postId, pinned } }, as);
      expect(codes(await pin(null, posts[0]!.id))).toEqual(['UNAUTHENTICATED']);
      const denied = await pin(member, posts[0]!.id);
      expect(denied.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'MISSING_PERMISSION',
        permission: 'POST_PIN',
      });
      expect(codes(await pin(outsider, posts[0]!.id))).toEqual(['FORBIDDEN']);
      expect(await feedState(h)).toEqual(before);

      await h.ok(PIN_POST, { input: { postId: posts[1]!.id, pinned: true } }, moderator);
      // The newest pin comes first.
      h.clock.set(new Date(NOW.getTime() + 11_000));
      await h.ok(PIN_POST, { input: { postId: posts[3]!.id, pinned: true } }, moderator);
      expect(await feedTitles(h, member, { id, first: 3 })).toEqual(['p3', 'p1', 'p7', 'p6', 'p5']);
      const first = await h.ok<{
        community: { feed: { pageInfo: { endCursor: string } } };
      }>(
        `query($id: ID!) { community(id: $id) { feed(first: 3) { pageInfo { endCursor } } } }`,
        { id },
        member,
      );
      expect(
        await feedTitles(h, member, { id, first: 3, after: first.community.feed.pageInfo.endCursor }),
      ).toEqual(['p4', 'p2', 'p0']);
      for (const i of [0, 2, 4])
        await h.ok(PIN_POST, { input: { postId: posts[i]!.id, pinned: true } }, moderator);
      const full = await pin(moderator, posts[5]!.id);
      expect(codes(full)).toEqual(['PIN_LIMIT']);
      // Unpinning is idempotent and frees a place.
      await h.ok(PIN_POST, { input: { postId: posts[0]!.id, pinned: false } }, moderator);
      await h.ok(PIN_POST, { input: { postId: posts[0]!.id, pinned: false } }, moderator);
      await h.ok(PIN_POST, { input: { postId: posts[5]!.id, pinned: true } }, moderator);
    } finally {
      h.clock.set(NOW);
    }
  });
});
