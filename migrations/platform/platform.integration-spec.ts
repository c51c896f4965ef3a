import 'reflect-metadata';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformMigrations } from './index.js';

describe('platform migrations', () => {
  let db: MigratedTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createMigratedTestDatabase({ schema: 'platform', migrations: platformMigrations });
    dataSource = db.dataSource;
  });

  afterAll(async () => {
    await db?.close();
  });

  it('creates every table and seeds the defaults', async () => {
    expect(await db.tables()).toEqual([
      'audit_events',
      'data_subject_requests',
      'feature_flag_overrides',
      'feature_flags',
      'inbox',
      'migrations',
      'outbox',
      'retention_policies',
      'retention_run_items',
      'retention_runs',
      'runtime_config_entries',
    ]);
    const policies: { entity: string; after_days: number }[] = await dataSource.query(
      `SELECT entity, after_days FROM "platform".retention_policies ORDER BY entity`,
    );
    expect(policies).toEqual([
      { entity: 'identity.sessions', after_days: 90 },
      { entity: 'identity.verification_codes', after_days: 30 },
      { entity: 'insights.analytics_events', after_days: 365 },
      { entity: 'media.asset_events', after_days: 180 },
    ]);
    const [drm] = await dataSource.query(
      `SELECT value FROM "platform".runtime_config_entries WHERE key = 'ebook.drm.max_downloads'`,
    );
    expect(drm.value).toBe(3);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_events', async () => {
    await dataSource.query(
      `INSERT INTO "platform".audit_events (id, action, target_type, source, occurred_at) VALUES (gen_random_uuid(), 'test.action', 'Thing', 'test', now())`,
    );
    await expect(dataSource.query(`UPDATE "platform".audit_events SET action = 'changed'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(dataSource.query(`DELETE FROM "platform".audit_events`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`TRUNCATE "platform".audit_events`)).rejects.toThrow(/append-only/);
    const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM "platform".audit_events`);
    expect(count).toBe(1);
  });

  it('rejects invalid flag keys and config keys with named constraints', async () => {
    await expect(
      dataSource.query(
        `INSERT INTO "platform".feature_flags (id, key, strategy) VALUES (gen_random_uuid(), 'Bad_Key', 'BOOLEAN')`,
      ),
    ).rejects.toThrow(/ck_feature_flags_key/);
    await expect(
      dataSource.query(
        `INSERT INTO "platform".runtime_config_entries (id, key, type, value, exposure) VALUES (gen_random_uuid(), 'nodot', 'STRING', '"x"', 'PUBLIC')`,
      ),
    ).rejects.toThrow(/ck_runtime_config_entries_key/);
  });

  it('reverts every migration down to an empty schema', async () => {
    await db.revertAll();
    expect(await db.tables()).toEqual(['migrations']);
    const functions: unknown[] = await dataSource.query(
      `SELECT proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'platform'`,
    );
    expect(functions).toEqual([]);
    // and up again
    await db.reapply();
    expect(await db.tables()).toContain('audit_events');
  });
});
