import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityMigrations } from './index.js';

const PAYWALL_TABLES = ['paywall_tiers', 'tier_grants'];

describe('community migrations (paywall)', () => {
  let m: MigratedTestDatabase;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({
      schema: 'community',
      migrations: communityMigrations,
      prefix: 'community_paywall_migrations',
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

  async function community(): Promise<string> {
    const c = randomUUID();
    await insert('communities', {
      id: c,
      owner_id: randomUUID(),
      name: 'Paid place',
      slug: `p-${c.slice(0, 8)}`,
    });
    return c;
  }

  async function tier(c: string, columns: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await insert('paywall_tiers', {
      id,
      community_id: c,
      name: `Gold ${id.slice(0, 6)}`,
      rank: 1,
      created_by_id: randomUUID(),
      ...columns,
    });
    return id;
  }

  function grant(c: string, t: string, columns: Record<string, unknown> = {}) {
    return insert('tier_grants', {
      id: randomUUID(),
      community_id: c,
      tier_id: t,
      user_id: randomUUID(),
      source: 'SUBSCRIPTION',
      subscription_id: randomUUID(),
      status: 'ACTIVE',
      granted_at: new Date(),
      ...columns,
    });
  }

  it('creates the paywall tables', async () => {
    expect(await m.tables()).toEqual(expect.arrayContaining(PAYWALL_TABLES));
  });

  it('checks tiers: name, rank, benefits, unique live names per community', async () => {
    const c = await community();
    await tier(c, { name: 'Gold' });
    await expect(tier(c, { name: 'GOLD' })).rejects.toThrow(/uq_paywall_tiers_name/);
    await tier(c, { name: 'gold', archived_at: new Date() });
    await tier(await community(), { name: 'Gold' });
    await expect(tier(c, { name: '' })).rejects.toThrow(/ck_paywall_tiers_name/);
    await expect(tier(c, { rank: 0 })).rejects.toThrow(/ck_paywall_tiers_rank/);
    await expect(tier(c, { rank: 101 })).rejects.toThrow(/ck_paywall_tiers_rank/);
    await expect(tier(c, { benefits: Array.from({ length: 21 }, (_, i) => `b${i}`) })).rejects.toThrow(
      /ck_paywall_tiers_benefits/,
    );
    await expect(tier(randomUUID())).rejects.toThrow(/fk_paywall_tiers_community/);
  });

  it('keeps one grant per subscription, consistent states, tiers of the same community', async () => {
    const c = await community();
    const t = await tier(c);
    const subscriptionId = randomUUID();
    await grant(c, t, { subscription_id: subscriptionId });
    await expect(grant(c, t, { subscription_id: subscriptionId })).rejects.toThrow(
      /uq_tier_grants_subscription/,
    );
    await expect(grant(await community(), t)).rejects.toThrow(/fk_tier_grants_tier/);
    await expect(grant(c, t, { source: 'MANUAL' })).rejects.toThrow(/ck_tier_grants_subscription/);
    await expect(grant(c, t, { subscription_id: null })).rejects.toThrow(/ck_tier_grants_subscription/);
    await expect(grant(c, t, { status: 'GONE' })).rejects.toThrow(/ck_tier_grants_status/);
    await expect(grant(c, t, { granted_at: null })).rejects.toThrow(/ck_tier_grants_active/);
    await expect(grant(c, t, { status: 'REVOKED' })).rejects.toThrow(/ck_tier_grants_revoked/);
    await grant(c, t, { status: 'REVOKED', revoked_at: new Date(), revoke_reason: 'EXPIRED' });
    await grant(c, t, { status: 'HELD', granted_at: null });
    await expect(
      grant(c, t, { status: 'REVOKED', revoked_at: new Date(), revoke_reason: 'LATE' }),
    ).rejects.toThrow(/ck_tier_grants_reason/);
    const user = randomUUID();
    await grant(c, t, { source: 'MANUAL', subscription_id: null, user_id: user });
    await expect(grant(c, t, { source: 'MANUAL', subscription_id: null, user_id: user })).rejects.toThrow(
      /uq_tier_grants_manual/,
    );
    // Deleting the community removes its tiers and grants.
    await m.dataSource.query(`DELETE FROM "community".communities WHERE id = $1`, [c]);
    const [left] = await m.dataSource.query(
      `SELECT count(*)::int AS n FROM "community".tier_grants WHERE community_id = $1`,
      [c],
    );
    expect(left.n).toBe(0);
  });

  it('reverts to an empty schema and applies again', async () => {
    await m.revertAll();
    expect(await m.tables()).toEqual(['migrations']);
    await m.reapply();
    expect(await m.tables()).toEqual(expect.arrayContaining(PAYWALL_TABLES));
  });
});
