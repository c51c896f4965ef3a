import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityMigrations } from './index.js';

const OWNER = '00000000-0000-4000-8000-000000000001';

/** The foundation tables; each module's migration has its own spec file beside this one. */
describe('community migrations (foundation)', () => {
  let m: MigratedTestDatabase;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({ schema: 'community', migrations: communityMigrations });
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

  async function community(columns: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await insert('communities', {
      id,
      owner_id: OWNER,
      name: 'A community',
      slug: `c-${randomUUID().slice(0, 8)}`,
      ...columns,
    });
    return id;
  }

  async function membership(communityId: string, columns: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await insert('memberships', {
      id,
      community_id: communityId,
      user_id: randomUUID(),
      status: 'ACTIVE',
      joined_at: new Date(),
      ...columns,
    });
    return id;
  }

  it('creates the foundation tables and the event tables', async () => {
    expect(await m.tables()).toEqual(
      expect.arrayContaining([
        'communities',
        'community_roles',
        'memberships',
        'outbox',
        'inbox',
        'migrations',
      ]),
    );
  });

  it('enforces the community shape', async () => {
    await community();
    await expect(community({ slug: 'Not A Slug' })).rejects.toThrow(/ck_communities_slug/);
    await expect(community({ slug: 'ab' })).rejects.toThrow(/ck_communities_slug/);
    await expect(community({ name: 'ab' })).rejects.toThrow(/ck_communities_name/);
    await expect(community({ description: 'x'.repeat(2001) })).rejects.toThrow(/ck_communities_description/);
    await expect(community({ visibility: 'SECRET', join_policy: 'APPROVAL' })).rejects.toThrow(
      /ck_communities_visibility/,
    );
    await expect(community({ visibility: 'PRIVATE', join_policy: 'OPEN' })).rejects.toThrow(
      /ck_communities_private_join/,
    );
    await expect(community({ categories: ['a', 'b', 'c', 'd', 'e', 'f'] })).rejects.toThrow(
      /ck_communities_categories/,
    );
    await expect(community({ location_latitude: 91, location_longitude: 0 })).rejects.toThrow(
      /ck_communities_location/,
    );
    await expect(community({ location_latitude: 10 })).rejects.toThrow(/ck_communities_location/);
    await community({ slug: 'taken' });
    await expect(community({ slug: 'taken' })).rejects.toThrow(/uq_communities_slug/);
  });

  it('keeps one membership per user and one owner per community', async () => {
    const communityId = await community();
    const userId = randomUUID();
    await membership(communityId, { user_id: userId, role: 'OWNER' });
    await expect(membership(communityId, { user_id: userId })).rejects.toThrow(
      /uq_memberships_community_user/,
    );
    await expect(membership(communityId, { role: 'OWNER' })).rejects.toThrow(/uq_memberships_owner/);
    await expect(membership(communityId, { role: 'KING' })).rejects.toThrow(/ck_memberships_role/);
    await expect(membership(communityId, { status: 'GONE' })).rejects.toThrow(/ck_memberships_status/);
    await expect(membership(communityId, { joined_at: null })).rejects.toThrow(
      /ck_memberships_active_joined/,
    );
  });

  it('names custom roles uniquely per community, case-insensitively', async () => {
    const communityId = await community();
    await insert('community_roles', { id: randomUUID(), community_id: communityId, name: 'Mentor' });
    await expect(
      insert('community_roles', { id: randomUUID(), community_id: communityId, name: 'mentor' }),
    ).rejects.toThrow(/uq_community_roles_name/);
  });

  it('reverts to an empty schema and applies again', async () => {
    await m.revertAll();
    expect(await m.tables()).toEqual(['migrations']);
    await m.reapply();
    expect(await m.tables()).toContain('communities');
  });
});
