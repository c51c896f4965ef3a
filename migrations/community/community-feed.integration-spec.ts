import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityMigrations } from './index.js';

describe('community migrations (feed: posts, comments, reactions, polls, resources, classroom)', () => {
  let m: MigratedTestDatabase;
  let communityId: string;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({
      schema: 'community',
      migrations: communityMigrations,
      prefix: 'community_feed_migrations',
    });
    communityId = randomUUID();
    await m.dataSource.query(
      `INSERT INTO "community".communities (id, owner_id, name, slug) VALUES ($1, $2, 'Feed', 'feed')`,
      [communityId, randomUUID()],
    );
  });
  afterAll(async () => {
    await m?.close();
  });

  async function insert(table: string, row: Record<string, unknown>): Promise<void> {
    const names = Object.keys(row);
    await m.dataSource.query(
      `INSERT INTO "community".${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(row),
    );
  }

  async function post(columns: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await insert('posts', {
      id,
      community_id: communityId,
      author_id: randomUUID(),
      body: '<p>hello</p>',
      publish_at: new Date(),
      ...columns,
    });
    return id;
  }

  it('creates the feed tables', async () => {
    expect(await m.tables()).toEqual(
      expect.arrayContaining([
        'posts',
        'comments',
        'reactions',
        'reaction_counts',
        'polls',
        'poll_options',
        'poll_votes',
        'resources',
        'community_courses',
      ]),
    );
  });

  it('keeps posts within their limits and derives the TOP score from the counts', async () => {
    await expect(post({ body: '' })).rejects.toThrow(/ck_posts_body/);
    await expect(post({ title: 'x'.repeat(201) })).rejects.toThrow(/ck_posts_title/);
    await expect(post({ tags: Array.from({ length: 13 }, (_, i) => `t${i}`) })).rejects.toThrow(
      /ck_posts_tags/,
    );
    await expect(post({ moderation_state: 'HIDDEN' })).rejects.toThrow(/ck_posts_moderation_state/);
    await expect(post({ comment_count: -1 })).rejects.toThrow(/ck_posts_counts/);
    await expect(post({ pinned_at: new Date() })).rejects.toThrow(/ck_posts_pinned/);
    const id = await post({ comment_count: 3, reaction_count: 4 });
    const [row] = (await m.dataSource.query(`SELECT score FROM "community".posts WHERE id = $1`, [id])) as {
      score: number;
    }[];
    expect(row?.score).toBe(10);
  });

  it('bounds comment depth to three levels and keeps the ancestors consistent', async () => {
    const postId = await post();
    const root = randomUUID();
    const base = { post_id: postId, community_id: communityId, author_id: randomUUID(), body: 'c' };
    await insert('comments', { id: root, ...base });
    const child = randomUUID();
    await insert('comments', { id: child, ...base, parent_id: root, ancestor_ids: [root], depth: 1 });
    const grandchild = randomUUID();
    await insert('comments', {
      id: grandchild,
      ...base,
      parent_id: child,
      ancestor_ids: [root, child],
      depth: 2,
    });
    await expect(
      insert('comments', {
        id: randomUUID(),
        ...base,
        parent_id: grandchild,
        ancestor_ids: [root, child, grandchild],
        depth: 3,
      }),
    ).rejects.toThrow(/ck_comments_depth/);
    await expect(insert('comments', { id: randomUUID(), ...base, parent_id: root })).rejects.toThrow(
      /ck_comments_depth/,
    );
  });

  it('allows one reaction per user, target and emoji', async () => {
    const postId = await post();
    const row = { community_id: communityId, post_id: postId, target_type: 'POST', target_id: postId };
    const userId = randomUUID();
    await insert('reactions', { id: randomUUID(), ...row, user_id: userId, emoji: '👍' });
    await insert('reactions', { id: randomUUID(), ...row, user_id: userId, emoji: '🎉' });
    await expect(
      insert('reactions', { id: randomUUID(), ...row, user_id: userId, emoji: '👍' }),
    ).rejects.toThrow(/uq_reactions_user_target_emoji/);
    await expect(
      insert('reactions', { id: randomUUID(), ...row, user_id: userId, emoji: '' }),
    ).rejects.toThrow(/ck_reactions_emoji/);
  });

  it('keeps poll options and votes consistent', async () => {
    const postId = await post();
    await insert('polls', { post_id: postId, mode: 'SINGLE' });
    await expect(insert('polls', { post_id: await post(), mode: 'ANY' })).rejects.toThrow(/ck_polls_mode/);
    const optionId = randomUUID();
    await insert('poll_options', { id: optionId, post_id: postId, position: 0, label: 'Yes' });
    await expect(
      insert('poll_options', { id: randomUUID(), post_id: postId, position: 0, label: 'Again' }),
    ).rejects.toThrow(/uq_poll_options_position/);
    const userId = randomUUID();
    await insert('poll_votes', { post_id: postId, option_id: optionId, user_id: userId });
    await expect(
      insert('poll_votes', { post_id: postId, option_id: optionId, user_id: userId }),
    ).rejects.toThrow(/pk_poll_votes/);
  });

  it('requires a resource to be exactly one of an asset and an https link', async () => {
    const base = { community_id: communityId, title: 'Slides', created_by_id: randomUUID() };
    await insert('resources', { id: randomUUID(), ...base, url: 'https://example.com/slides' });
    await insert('resources', { id: randomUUID(), ...base, asset_id: randomUUID() });
    await expect(insert('resources', { id: randomUUID(), ...base })).rejects.toThrow(/ck_resources_target/);
    await expect(
      insert('resources', { id: randomUUID(), ...base, url: 'https://x.test', asset_id: randomUUID() }),
    ).rejects.toThrow(/ck_resources_target/);
    await expect(insert('resources', { id: randomUUID(), ...base, url: 'http://x.test' })).rejects.toThrow(
      /ck_resources_url/,
    );
  });

  it('links a course to a community once', async () => {
    const courseId = randomUUID();
    const row = { community_id: communityId, course_id: courseId, position: 0, added_by_id: randomUUID() };
    await insert('community_courses', row);
    await expect(insert('community_courses', row)).rejects.toThrow(/pk_community_courses/);
  });
});
