import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityMigrations } from './index.js';

const ENGAGEMENT_TABLES = ['points_accounts', 'points_ledger', 'engagement_days'];

describe('community migrations (engagement)', () => {
  let m: MigratedTestDatabase;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({
      schema: 'community',
      migrations: communityMigrations,
      prefix: 'community_engagement_migrations',
    });
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

  async function account(columns: Record<string, unknown> = {}): Promise<{ c: string; u: string }> {
    const c = randomUUID();
    const u = randomUUID();
    await insert('communities', {
      id: c,
      owner_id: randomUUID(),
      name: 'Points place',
      slug: `p-${c.slice(0, 8)}`,
    });
    await insert('points_accounts', { community_id: c, user_id: u, ...columns });
    return { c, u };
  }

  function entry(c: string, u: string, columns: Record<string, unknown> = {}) {
    return insert('points_ledger', {
      id: randomUUID(),
      community_id: c,
      user_id: u,
      delta: 10,
      requested_delta: 10,
      reason: 'POST_CREATED',
      source_key: `post:${randomUUID()}`,
      balance_after: 10,
      occurred_at: new Date(),
      ...columns,
    });
  }

  it('creates the engagement tables', async () => {
    expect(await m.tables()).toEqual(expect.arrayContaining(ENGAGEMENT_TABLES));
  });

  it('never lets a balance go negative or above the lifetime points', async () => {
    const { c, u } = await account({ balance: 5, lifetime_points: 5 });
    await expect(
      m.dataSource.query(
        `UPDATE "community".points_accounts SET balance = -1 WHERE community_id = $1 AND user_id = $2`,
        [c, u],
      ),
    ).rejects.toThrow(/ck_points_accounts_balance/);
    await expect(account({ balance: 6, lifetime_points: 5 })).rejects.toThrow(/ck_points_accounts_balance/);
    await expect(account({ level: 0 })).rejects.toThrow(/ck_points_accounts_level/);
    await expect(account({ current_streak: 3, longest_streak: 2 })).rejects.toThrow(
      /ck_points_accounts_streak/,
    );
    await expect(insert('points_accounts', { community_id: randomUUID(), user_id: u })).rejects.toThrow(
      /fk_points_accounts_community/,
    );
  });

  it('keeps ledger entries once per source, in range, clamped only downwards, and append-only', async () => {
    const { c, u } = await account({ balance: 100, lifetime_points: 100 });
    await entry(c, u, { source_key: 'post:1' });
    await expect(entry(c, u, { source_key: 'post:1' })).rejects.toThrow(/uq_points_ledger_source/);
    await expect(entry(c, u, { delta: 10_001, requested_delta: 10_001 })).rejects.toThrow(
      /ck_points_ledger_delta/,
    );
    await expect(entry(c, u, { delta: 5, requested_delta: 10 })).rejects.toThrow(/ck_points_ledger_clamp/);
    await expect(entry(c, u, { delta: -20, requested_delta: -10 })).rejects.toThrow(/ck_points_ledger_clamp/);
    await entry(c, u, { delta: -3, requested_delta: -10, reason: 'MODERATOR_AWARD', actor_id: u, note: 'x' });
    await expect(entry(c, u, { reason: 'MODERATOR_AWARD' })).rejects.toThrow(/ck_points_ledger_award/);
    await expect(entry(c, u, { reason: 'LIKED' })).rejects.toThrow(/ck_points_ledger_reason/);
    await expect(entry(c, u, { note: '' })).rejects.toThrow(/ck_points_ledger_note/);
    await expect(entry(c, u, { balance_after: -1 })).rejects.toThrow(/ck_points_ledger_balance/);
    await expect(entry(c, randomUUID())).rejects.toThrow(/fk_points_ledger_account/);
    await expect(
      m.dataSource.query(`UPDATE "community".points_ledger SET delta = 1000 WHERE community_id = $1`, [c]),
    ).rejects.toThrow(/append-only/);
    // Deleting the community removes accounts, entries and daily totals.
    await insert('engagement_days', {
      community_id: c,
      day: '2026-01-01',
      user_id: u,
      points: 10,
      version: 1,
    });
    await m.dataSource.query(`DELETE FROM "community".communities WHERE id = $1`, [c]);
    const [left] = await m.dataSource.query(
      `SELECT (SELECT count(*) FROM "community".points_ledger WHERE community_id = $1)::int
            + (SELECT count(*) FROM "community".engagement_days WHERE community_id = $1)::int AS n`,
      [c],
    );
    expect(left.n).toBe(0);
  });

  it('reverts to an empty schema and applies again', async () => {
    await m.revertAll();
    expect(await m.tables()).toEqual(['migrations']);
    await m.reapply();
    expect(await m.tables()).toEqual(expect.arrayContaining(ENGAGEMENT_TABLES));
  });
});
