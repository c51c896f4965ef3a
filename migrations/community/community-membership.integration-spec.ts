import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityMigrations } from './index.js';

describe('community migrations (membership: invite links)', () => {
  let m: MigratedTestDatabase;
  let communityId: string;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({
      schema: 'community',
      migrations: communityMigrations,
      prefix: 'community_membership_migrations',
    });
    communityId = randomUUID();
    await m.dataSource.query(
      `INSERT INTO "community".communities (id, owner_id, name, slug) VALUES ($1, $2, 'Invites', 'invites')`,
      [communityId, randomUUID()],
    );
  });
  afterAll(async () => {
    await m?.close();
  });

  const invite = (columns: Record<string, unknown> = {}) => {
    const row: Record<string, unknown> = {
      id: randomUUID(),
      community_id: communityId,
      token_hash: randomUUID(),
      token_hint: 'abcdef',
      created_by_id: randomUUID(),
      expires_at: new Date(Date.now() + 3_600_000),
      ...columns,
    };
    const names = Object.keys(row);
    return m.dataSource.query(
      `INSERT INTO "community".community_invites (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(row),
    );
  };

  it('never counts more uses than allowed, and keeps tokens unique', async () => {
    await invite({ max_uses: 2, uses: 2 });
    await expect(invite({ max_uses: 2, uses: 3 })).rejects.toThrow(/ck_community_invites_uses/);
    await expect(invite({ max_uses: 0 })).rejects.toThrow(/ck_community_invites_max_uses/);
    await expect(invite({ expires_at: new Date(Date.now() - 1000) })).rejects.toThrow(
      /ck_community_invites_expiry/,
    );
    await invite({ token_hash: 'same' });
    await expect(invite({ token_hash: 'same' })).rejects.toThrow(/uq_community_invites_token_hash/);
  });
});
