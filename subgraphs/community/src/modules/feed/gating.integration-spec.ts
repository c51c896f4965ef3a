import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { CREATE_COMMENT, createPost, feedState, POST, REACT, UPDATE_POST, VOTE } from './feed.test-kit.js';

const NOW = new Date('2025-09-01T09:00:00Z');

type Gated = {
  post: {
    id: string;
    title: string | null;
    excerpt: string;
    body: string | null;
    locked: boolean;
    requiredTierId: string | null;
    attachments: { id: string }[];
    poll: { options: { label: string }[] } | null;
    comments: { edges: { node: { body: string } }[] } | null;
  } | null;
};

const GATED = `query($id: ID!) { post(id: $id) { id title excerpt body locked requiredTierId attachments { id }
  poll { options { label } } comments { edges { node { body } } } } }`;

const RESOURCES = `query($id: ID!) { community(id: $id) { resources { edges { node { title locked url asset { id } } } } } }`;

/** Paid tiers (paywall's tables) gate posts and resources: a locked preview for members without the tier. */
describe('tier-gated posts and resources', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let moderator: TestUser;
  let silver: TestUser;
  let gold: TestUser;
  let plain: TestUser;
  let communityId: string;
  let silverTier: string;
  let goldTier: string;

  async function tier(name: string, rank: number): Promise<string> {
    const id = randomUUID();
    await h.dataSource.query(
      `INSERT INTO "community".paywall_tiers (id, community_id, name, rank, created_by_id) VALUES ($1, $2, $3, $4, $5)`,
      [id, communityId, name, rank, owner.id],
    );
    return id;
  }

  async function grant(user: TestUser, tierId: string): Promise<void> {
    await h.dataSource.query(
      `INSERT INTO "community".tier_grants (id, community_id, tier_id, user_id, source, status, granted_at)
       VALUES ($1, $2, $3, $4, 'MANUAL', 'ACTIVE', now())`,
      [randomUUID(), communityId, tierId, user.id],
    );
  }

  beforeAll(async () => {
    h = await createCommunityHarness('feed_gating', { now: NOW });
    [owner, moderator, silver, gold, plain] = (await Promise.all(
      Array.from({ length: 5 }, () => h.user()),
    )) as [TestUser, TestUser, TestUser, TestUser, TestUser];
    communityId = (await h.community(owner)).id;
    await h.member(communityId, moderator, 'MODERATOR');
    for (const user of [silver, gold, plain]) await h.member(communityId, user, 'MEMBER');
    silverTier = await tier('Silver', 1);
    goldTier = await tier('Gold', 2);
    await grant(silver, silverTier);
    await grant(gold, goldTier);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows a locked preview (title, excerpt; no body, attachments, poll or comments) without the tier', async () => {
    const asset = randomUUID();
    const post = await createPost(h, owner, {
      communityId,
      title: 'Silver lesson',
      body: '<p>The secret sauce is patience.</p>',
      attachmentAssetIds: [asset],
      requiredTierId: silverTier,
      poll: { options: ['yes', 'no'] },
    });
    await h.ok(CREATE_COMMENT, { input: { postId: post.id, body: 'only for payers' } }, moderator);
    const as = async (user: TestUser | null) => (await h.ok<Gated>(GATED, { id: post.id }, user)).post!;
    const locked = await as(plain);
    expect(locked).toEqual({
      id: post.id,
      title: 'Silver lesson',
      excerpt: 'The secret sauce is patience.',
      body: null,
      locked: true,
      requiredTierId: silverTier,
      attachments: [],
      poll: null,
      comments: null,
    });
    expect((await as(null)).locked).toBe(true);
    // The tier, a higher-ranked tier, moderators and the author open it.
    for (const user of [silver, gold, moderator, owner]) {
      const open = await as(user);
      expect(open).toMatchObject({
        locked: false,
        body: '<p>The secret sauce is patience.</p>',
        attachments: [{ id: asset }],
      });
      expect(open.poll?.options.map((o) => o.label)).toEqual(['yes', 'no']);
      expect(open.comments?.edges.map((e) => e.node.body)).toEqual(['only for payers']);
    }

    // Commenting, reacting and voting need what reading needs.
    const before = await feedState(h);
    expect(
      codes(await h.gql(CREATE_COMMENT, { input: { postId: post.id, body: 'let me in' } }, plain)),
    ).toEqual(['TIER_REQUIRED']);
    expect(
      codes(await h.gql(REACT, { input: { targetType: 'POST', targetId: post.id, emoji: '👍' } }, plain)),
    ).toEqual(['TIER_REQUIRED']);
    const options = (
      await h.ok<{ post: { poll: { options: { id: string }[] } } }>(
        `query($id: ID!) { post(id: $id) { poll { options { id } } } }`,
        { id: post.id },
        silver,
      )
    ).post.poll.options;
    expect(
      codes(await h.gql(VOTE, { input: { postId: post.id, optionIds: [options[0]!.id] } }, plain)),
    ).toEqual(['TIER_REQUIRED']);
    expect(await feedState(h)).toEqual(before);
    expect(
      codes(await h.gql(VOTE, { input: { postId: post.id, optionIds: [options[0]!.id] } }, gold)),
    ).toEqual([]);
  });

  it('only TIER_MANAGE holders gate posts, on tiers of this community that are not archived', async () => {
    const post = await createPost(h, moderator, { communityId, body: 'Moderator post' });
    const other = await h.community(owner);
    const foreignTier = randomUUID();
    await h.dataSource.query(
      `INSERT INTO "community".paywall_tiers (id, community_id, name, rank, created_by_id) VALUES ($1, $2, 'X', 1, $3)`,
      [foreignTier, other.id, owner.id],
    );
    const before = await feedState(h);
    const gate = (as: TestUser, requiredTierId: string | null, postId = post.id) =>
      h.gql(UPDATE_POST, { input: { postId, requiredTierId } }, as);
    expect((await gate(moderator, silverTier)).errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      permission: 'TIER_MANAGE',
    });
    const own = await createPost(h, owner, { communityId, body: 'Owner post' });
    const withOwn = await feedState(h);
    expect(codes(await gate(owner, foreignTier, own.id))).toEqual(['BAD_USER_INPUT']);
    await h.dataSource.query(`UPDATE "community".paywall_tiers SET archived_at = now() WHERE id = $1`, [
      goldTier,
    ]);
    try {
      expect(codes(await gate(owner, goldTier, own.id))).toEqual(['BAD_USER_INPUT']);
    } finally {
      await h.dataSource.query(`UPDATE "community".paywall_tiers SET archived_at = NULL WHERE id = $1`, [
        goldTier,
      ]);
    }
    expect(await feedState(h)).toEqual(withOwn);
    expect(withOwn['posts']).toBe((before['posts'] ?? 0) + 1);
    expect(codes(await gate(owner, silverTier, own.id))).toEqual([]);
    expect((await h.ok<Gated>(GATED, { id: own.id }, plain)).post!.locked).toBe(true);
    expect(codes(await gate(owner, null, own.id))).toEqual([]);
    expect((await h.ok<Gated>(GATED, { id: own.id }, plain)).post!.locked).toBe(false);
    expect((await h.ok<{ post: { locked: boolean } }>(POST, { id: own.id }, plain)).post.locked).toBe(false);
  });

  it('locks gated resources (no link or asset) for members without the tier', async () => {
    await h.ok(
      `mutation($input: CreateResourceInput!) { createResource(input: $input) { resource { id } } }`,
      {
        input: {
          communityId,
          title: 'Gold playbook',
          url: 'https://example.com/gold',
          requiredTierId: goldTier,
        },
      },
      owner,
    );
    const view = async (user: TestUser) =>
      (
        await h.ok<{
          community: {
            resources: { edges: { node: { title: string; locked: boolean; url: string | null } }[] };
          };
        }>(RESOURCES, { id: communityId }, user)
      ).community.resources.edges.map((e) => e.node);
    expect(await view(silver)).toEqual([{ title: 'Gold playbook', locked: true, url: null, asset: null }]);
    expect(await view(gold)).toEqual([
      { title: 'Gold playbook', locked: false, url: 'https://example.com/gold', asset: null },
    ]);
    expect((await view(moderator))[0]?.locked).toBe(false);
  });
});
