import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { CREATE_COMMENT, createPost, feedState, POST, REACT, UNREACT, VOTE } from './feed.test-kit.js';

const NOW = new Date('2025-08-01T09:00:00Z');
const HOUR = 3_600_000;

type Reacted = {
  post: {
    id: string;
    reactionCount: number;
    reactions: { emoji: string; count: number }[];
    viewerReactions: string[];
  };
  comment: {
    id: string;
    reactionCount: number;
    reactions: { emoji: string; count: number }[];
    viewerReactions: string[];
  } | null;
};

type PollView = {
  mode: string;
  closed: boolean;
  resultsVisible: boolean;
  voterCount: number | null;
  viewerVoteOptionIds: string[];
  options: { id: string; label: string; voteCount: number | null }[];
};

const POLL = `query($id: ID!) { post(id: $id) { poll { mode closed resultsVisible voterCount viewerVoteOptionIds
  options { id label voteCount } } } }`;

describe('reactions and polls', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let voters: TestUser[];
  let muted: TestUser;
  let outsider: TestUser;
  let communityId: string;
  let privateId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('feed_reactions', { now: NOW });
    [owner, moderator, member, muted, outsider] = (await Promise.all(
      Array.from({ length: 5 }, () => h.user()),
    )) as [TestUser, TestUser, TestUser, TestUser, TestUser];
    voters = await Promise.all(Array.from({ length: 12 }, () => h.user()));
    communityId = (await h.community(owner)).id;
    privateId = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    for (const id of [communityId, privateId]) {
      await h.member(id, moderator, 'MODERATOR');
      await h.member(id, member, 'MEMBER');
      await h.member(id, muted, 'MEMBER', { mutedUntil: new Date(NOW.getTime() + HOUR) });
      for (const voter of voters) await h.member(id, voter, 'MEMBER');
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  const react = (as: TestUser | null, targetType: string, targetId: string, emoji: string, remove = false) =>
    h.gql<{ addCommunityReaction?: Reacted; removeCommunityReaction?: Reacted }>(
      remove ? UNREACT : REACT,
      { input: { targetType, targetId, emoji } },
      as,
    );

  it('adds one reaction per user, target and emoji — idempotently — with counts per emoji and events', async () => {
    const post = await createPost(h, member, { communityId, body: 'React to me' });
    const first = await react(voters[0]!, 'POST', post.id, '👍');
    expect(first.data?.addCommunityReaction?.post).toEqual({
      id: post.id,
      reactionCount: 1,
      reactions: [{ emoji: '👍', count: 1 }],
      viewerReactions: ['👍'],
    });
    const again = await react(voters[0]!, 'POST', post.id, ' 👍 ');
    expect(again.data?.addCommunityReaction?.post.reactionCount).toBe(1);
    // Equal counts list the emoji used first first.
    h.clock.set(new Date(NOW.getTime() + 1_000));
    await react(voters[0]!, 'POST', post.id, '👍🏽');
    h.clock.set(new Date(NOW.getTime() + 2_000));
    await react(voters[1]!, 'POST', post.id, '👍');
    await react(voters[2]!, 'POST', post.id, '🇵🇹');
    h.clock.set(NOW);
    const view = (
      await h.ok<{ post: { reactions: unknown; reactionCount: number; viewerReactions: string[] } }>(
        POST,
        { id: post.id },
        voters[0]!,
      )
    ).post;
    expect(view.reactionCount).toBe(4);
    expect(view.reactions).toEqual([
      { emoji: '👍', count: 2 },
      { emoji: '👍🏽', count: 1 },
      { emoji: '🇵🇹', count: 1 },
    ]);
    expect(view.viewerReactions).toEqual(['👍', '👍🏽']);

    const removed = await react(voters[0]!, 'POST', post.id, '👍', true);
    expect(removed.data?.removeCommunityReaction?.post).toMatchObject({
      reactionCount: 3,
      viewerReactions: ['👍🏽'],
    });
    const twice = await react(voters[0]!, 'POST', post.id, '👍', true);
    expect(twice.data?.removeCommunityReaction?.post.reactionCount).toBe(3);

    const events = (await h.outbox(['community.reaction.added', 'community.reaction.removed'])).filter(
      (e) => e.payload['targetId'] === post.id,
    );
    expect(events.map((e) => [e.type, e.payload['userId'], e.payload['emoji']])).toEqual([
      ['community.reaction.added', voters[0]!.id, '👍'],
      ['community.reaction.added', voters[0]!.id, '👍🏽'],
      ['community.reaction.added', voters[1]!.id, '👍'],
      ['community.reaction.added', voters[2]!.id, '🇵🇹'],
      ['community.reaction.removed', voters[0]!.id, '👍'],
    ]);
    expect(events[0]?.payload).toMatchObject({
      targetType: 'POST',
      targetAuthorId: member.id,
      communityId,
      postId: post.id,
    });

    // Comments too: the comment's author receives it.
    const { createComment } = await h.ok<{ createComment: { comment: { id: string } } }>(
      CREATE_COMMENT,
      { input: { postId: post.id, body: 'a comment' } },
      voters[3]!,
    );
    const onComment = await react(voters[4]!, 'COMMENT', createComment.comment.id, '❤️');
    expect(onComment.data?.addCommunityReaction?.comment).toMatchObject({
      reactionCount: 1,
      reactions: [{ emoji: '❤️', count: 1 }],
      viewerReactions: ['❤️'],
    });
    expect(onComment.data?.addCommunityReaction?.post.reactionCount).toBe(3);
    const [commentEvent] = (await h.outbox(['community.reaction.added'])).filter(
      (e) => e.payload['targetId'] === createComment.comment.id,
    );
    expect(commentEvent?.payload).toMatchObject({
      targetType: 'COMMENT',
      targetAuthorId: voters[3]!.id,
      postId: post.id,
    });
  });

  it('validates the emoji, limits reactions per person and target, and denies outsiders — changing nothing', async () => {
    const post = await createPost(h, member, { communityId: privateId, body: 'Private post' });
    const publicPost = await createPost(h, member, { communityId, body: 'Public post' });
    const before = await feedState(h);
    for (const emoji of ['', 'a', '1', '👍👍', 'ok👍', '<b>', '👍'.repeat(20)])
      expect(codes(await react(member, 'POST', post.id, emoji)), emoji).toEqual(['INVALID_EMOJI']);
    expect(codes(await react(null, 'POST', post.id, '👍'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await react(outsider, 'POST', post.id, '👍'))).toEqual(['NOT_FOUND']);
    expect(codes(await react(outsider, 'POST', post.id, '👍', true))).toEqual(['NOT_FOUND']);
    expect(codes(await react(member, 'POST', randomUUID(), '👍'))).toEqual(['NOT_FOUND']);
    expect(codes(await react(member, 'COMMENT', post.id, '👍'))).toEqual(['NOT_FOUND']);
    const nonMember = await react(outsider, 'POST', publicPost.id, '👍');
    expect(nonMember.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_MEMBER',
      permission: 'REACTION_CREATE',
    });
    expect((await react(outsider, 'POST', publicPost.id, '👍', true)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_MEMBER',
    });
    expect(await feedState(h)).toEqual(before);

    // Muted members keep reacting (muting stops writing, not reacting).
    await react(muted, 'POST', publicPost.id, '👍');
    const emojis = ['😀', '😃', '😄', '😁', '😆', '😅', '🤣', '😂', '🙂', '🙃'];
    for (const emoji of emojis) expect(codes(await react(member, 'POST', publicPost.id, emoji))).toEqual([]);
    const limit = await react(member, 'POST', publicPost.id, '😉');
    expect(limit.errors?.[0]?.extensions).toMatchObject({ code: 'REACTION_LIMIT', max: 10 });
    const row = (await h.ok<{ post: { reactionCount: number } }>(POST, { id: publicPost.id }, member)).post;
    expect(row.reactionCount).toBe(11);
  });

  it('keeps per-emoji counts exact under concurrent adds and removes', async () => {
    const post = await createPost(h, member, { communityId, body: 'Concurrency' });
    const added = await Promise.all(voters.map((v) => react(v, 'POST', post.id, '🔥')));
    const mixed = await Promise.all([
      ...voters.slice(0, 6).map((v) => react(v, 'POST', post.id, '🔥', true)),
      ...voters.map((v) => react(v, 'POST', post.id, '🎯')),
      ...voters.slice(6).map((v) => react(v, 'POST', post.id, '🔥')),
    ]);
    expect([...added, ...mixed].flatMap((r) => codes(r))).toEqual([]);
    const [counts] = (await h.dataSource.query(
      `SELECT p.reaction_count AS total, rc.count AS fire,
              (SELECT count(*)::int FROM "community".reactions r WHERE r.target_id = p.id) AS real
         FROM "community".posts p JOIN "community".reaction_counts rc ON rc.target_id = p.id AND rc.emoji = '🔥'
        WHERE p.id = $1`,
      [post.id],
    )) as { total: number; fire: number; real: number }[];
    // 12 🔥, 6 taken back, 6 added again (no change), 12 🎯.
    expect(counts).toEqual({ total: 18, fire: 6, real: 18 });
  });

  it('votes and changes votes until the poll closes; results hidden until the viewer votes', async () => {
    const closesAt = new Date(NOW.getTime() + 2 * HOUR);
    const post = await createPost(h, member, {
      communityId,
      body: 'Which day?',
      poll: {
        options: ['Monday', 'Tuesday', 'Wednesday'],
        mode: 'SINGLE',
        closesAt: closesAt.toISOString(),
        resultsHiddenUntilVoted: true,
      },
    });
    const poll = async (as: TestUser | null) =>
      (await h.ok<{ post: { poll: PollView } }>(POLL, { id: post.id }, as)).post.poll;
    const [mon, tue, wed] = (await poll(member)).options.map((o) => o.id) as [string, string, string];
    expect(await poll(voters[0]!)).toMatchObject({
      mode: 'SINGLE',
      closed: false,
      resultsVisible: false,
      voterCount: null,
      viewerVoteOptionIds: [],
      options: [
        { label: 'Monday', voteCount: null },
        { label: 'Tuesday', voteCount: null },
        { label: 'Wednesday', voteCount: null },
      ],
    });
    // The author and moderators always see the results.
    expect((await poll(member)).resultsVisible).toBe(true);
    expect((await poll(moderator)).resultsVisible).toBe(true);

    const vote = (as: TestUser | null, optionIds: string[], postId = post.id) =>
      h.gql<{ votePoll: { post: { poll: PollView } } }>(VOTE, { input: { postId, optionIds } }, as);
    const voted = await vote(voters[0]!, [mon]);
    expect(voted.data?.votePoll.post.poll).toMatchObject({
      resultsVisible: true,
      voterCount: 1,
      viewerVoteOptionIds: [mon],
      options: [{ voteCount: 1 }, { voteCount: 0 }, { voteCount: 0 }],
    });
    const changed = await vote(voters[0]!, [tue]);
    expect(changed.data?.votePoll.post.poll).toMatchObject({
      voterCount: 1,
      viewerVoteOptionIds: [tue],
      options: [{ voteCount: 0 }, { voteCount: 1 }, { voteCount: 0 }],
    });

    const before = await feedState(h);
    expect(codes(await vote(voters[1]!, [mon, tue]))).toEqual(['INVALID_POLL_VOTE']);
    expect(codes(await vote(voters[1]!, []))).toEqual(['INVALID_POLL_VOTE']);
    expect(codes(await vote(voters[1]!, [mon, mon]))).toEqual(['INVALID_POLL_VOTE']);
    expect(codes(await vote(voters[1]!, [randomUUID()]))).toEqual(['INVALID_POLL_VOTE']);
    expect(codes(await vote(null, [mon]))).toEqual(['UNAUTHENTICATED']);
    expect((await vote(outsider, [mon])).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_MEMBER',
      permission: 'POLL_VOTE',
    });
    const noPoll = await createPost(h, member, { communityId, body: 'no poll here' });
    const withNoPoll = await feedState(h);
    expect(codes(await vote(voters[1]!, [mon], noPoll.id))).toEqual(['NOT_FOUND']);
    expect(await feedState(h)).toEqual(withNoPoll);
    expect(withNoPoll.poll_votes).toBe(before.poll_votes);

    // Many voters at once: every count equals the votes stored.
    await Promise.all(voters.slice(1).map((v, i) => vote(v, [[mon, tue, wed][i % 3]!])));
    await Promise.all([vote(voters[0]!, [wed]), vote(voters[0]!, [mon]), vote(voters[0]!, [wed])]);
    const [check] = (await h.dataSource.query(
      `SELECT (SELECT voter_count FROM "community".polls WHERE post_id = $1) AS voters,
              (SELECT count(DISTINCT user_id)::int FROM "community".poll_votes WHERE post_id = $1) AS real_voters,
              (SELECT sum(vote_count)::int FROM "community".poll_options WHERE post_id = $1) AS votes,
              (SELECT count(*)::int FROM "community".poll_votes WHERE post_id = $1) AS real_votes,
              (SELECT count(*)::int FROM "community".poll_options o WHERE o.post_id = $1 AND o.vote_count <>
                 (SELECT count(*) FROM "community".poll_votes v WHERE v.option_id = o.id)) AS drifted`,
      [post.id],
    )) as { voters: number; real_voters: number; votes: number; real_votes: number; drifted: number }[];
    expect(check).toEqual({ voters: 12, real_voters: 12, votes: 12, real_votes: 12, drifted: 0 });

    // Closed: results for everyone, no more votes.
    h.clock.set(closesAt);
    try {
      expect(codes(await vote(voters[0]!, [tue]))).toEqual(['POLL_CLOSED']);
      const closed = await poll(outsider);
      expect(closed).toMatchObject({ closed: true, resultsVisible: true, voterCount: 12 });
    } finally {
      h.clock.set(NOW);
    }
  });

  it('refuses reactions, votes and comments to requesters whose membership is still PENDING', async () => {
    const { id } = await h.community(owner, { joinPolicy: 'APPROVAL' });
    const post = await createPost(h, owner, {
      communityId: id,
      body: 'Approval needed',
      poll: { options: ['a', 'b'] },
    });
    const requester = await h.user();
    expect(await h.join(requester, id)).toBe('PENDING');
    const options = (await h.ok<{ post: { poll: PollView } }>(POLL, { id: post.id }, requester)).post.poll
      .options;
    const before = await feedState(h);
    const reason = (result: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => [
      result.errors?.[0]?.extensions?.['code'],
      result.errors?.[0]?.extensions?.['reason'],
      result.errors?.[0]?.extensions?.['permission'],
    ];
    expect(reason(await react(requester, 'POST', post.id, '👍'))).toEqual([
      'FORBIDDEN',
      'PENDING',
      'REACTION_CREATE',
    ]);
    expect(
      reason(await h.gql(VOTE, { input: { postId: post.id, optionIds: [options[0]!.id] } }, requester)),
    ).toEqual(['FORBIDDEN', 'PENDING', 'POLL_VOTE']);
    expect(
      reason(await h.gql(CREATE_COMMENT, { input: { postId: post.id, body: 'hi' } }, requester)),
    ).toEqual(['FORBIDDEN', 'PENDING', 'COMMENT_CREATE']);
    expect(await feedState(h)).toEqual(before);
  });

  it('MULTIPLE polls take one or more options', async () => {
    const post = await createPost(h, member, {
      communityId,
      body: 'Pick any',
      poll: { options: ['a', 'b', 'c'], mode: 'MULTIPLE' },
    });
    const options = (await h.ok<{ post: { poll: PollView } }>(POLL, { id: post.id }, member)).post.poll
      .options;
    const ids = options.map((o) => o.id);
    const voted = await h.ok<{ votePoll: { post: { poll: PollView } } }>(
      VOTE,
      { input: { postId: post.id, optionIds: [ids[0], ids[2]] } },
      voters[0]!,
    );
    expect(voted.votePoll.post.poll).toMatchObject({
      mode: 'MULTIPLE',
      voterCount: 1,
      viewerVoteOptionIds: [ids[0], ids[2]],
      options: [{ voteCount: 1 }, { voteCount: 0 }, { voteCount: 1 }],
    });
    const narrowed = await h.ok<{ votePoll: { post: { poll: PollView } } }>(
      VOTE,
      { input: { postId: post.id, optionIds: [ids[1]] } },
      voters[0]!,
    );
    expect(narrowed.votePoll.post.poll).toMatchObject({
      voterCount: 1,
      options: [{ voteCount: 0 }, { voteCount: 1 }, { voteCount: 0 }],
    });
  });
});
