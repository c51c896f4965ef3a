import 'reflect-metadata';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identityMigrations } from './index.js';

describe('identity migrations', () => {
  let db: MigratedTestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createMigratedTestDatabase({ schema: 'identity', migrations: identityMigrations });
    dataSource = db.dataSource;
  });

  afterAll(async () => {
    await db?.close();
  });

  it('creates every table', async () => {
    expect(await db.tables()).toEqual([
      'api_keys',
      'inbox',
      'migrations',
      'outbox',
      'recovery_codes',
      'refresh_tokens',
      'sessions',
      'signing_keys',
      'users',
      'verification_codes',
    ]);
  });

  it('enforces lower-case unique emails and known roles', async () => {
    const insert = (id: string, email: string, roles = '{LEARNER}') =>
      dataSource.query(
        `INSERT INTO "identity".users (id, email, display_name, password_hash, roles) VALUES ($1, $2, 'X', 'h', $3)`,
        [id, email, roles],
      );
    await insert('00000000-0000-4000-8000-000000000001', 'a@example.com');
    await expect(insert('00000000-0000-4000-8000-000000000002', 'a@example.com')).rejects.toThrow(
      /uq_users_email/,
    );
    await expect(insert('00000000-0000-4000-8000-000000000003', 'B@example.com')).rejects.toThrow(
      /ck_users_email_lower/,
    );
    await expect(insert('00000000-0000-4000-8000-000000000004', 'c@example.com', '{GOD}')).rejects.toThrow(
      /ck_users_roles/,
    );
  });

  it('reverts every migration down to an empty schema, and applies again', async () => {
    await db.revertAll();
    expect(await db.tables()).toEqual(['migrations']);
    await db.reapply();
    expect(await db.tables()).toContain('users');
  });
});
