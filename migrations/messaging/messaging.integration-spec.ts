import 'reflect-metadata';
import { createDataSource, migrate } from '@edugraph/kit';
import { createTestDatabase, type TestDatabase } from '@edugraph/kit/testing';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messagingMigrations } from './index.js';

describe('messaging migrations', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('messaging_migrations');
    dataSource = createDataSource({
      url: db.url,
      schema: 'messaging',
      entities: [],
      migrations: messagingMigrations,
    });
    await migrate(dataSource, 'messaging');
    await dataSource.initialize();
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  async function tables(): Promise<string[]> {
    const rows: { tablename: string }[] = await dataSource.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'messaging' ORDER BY tablename`,
    );
    return rows.map((r) => r.tablename);
  }

  it('creates every table', async () => {
    expect(await tables()).toEqual([
      'community_members',
      'conversation_members',
      'conversations',
      'inbox',
      'message_reactions',
      'messages',
      'migrations',
      'outbox',
    ]);
  });

  it('enforces the message body length and the channel shape', async () => {
    const conversation = '00000000-0000-4000-8000-000000000001';
    const user = '00000000-0000-4000-8000-000000000002';
    await dataSource.query(
      `INSERT INTO "messaging".conversations (id, kind, created_by) VALUES ($1, 'GROUP', $2)`,
      [conversation, user],
    );
    await expect(
      dataSource.query(
        `INSERT INTO "messaging".conversations (id, kind, created_by) VALUES (gen_random_uuid(), 'CHANNEL', $1)`,
        [user],
      ),
    ).rejects.toThrow(/ck_conversations_channel/);
    await expect(
      dataSource.query(
        `INSERT INTO "messaging".conversations (id, kind, created_by, community_wide) VALUES (gen_random_uuid(), 'GROUP', $1, true)`,
        [user],
      ),
    ).rejects.toThrow(/ck_conversations_community_wide/);
    await expect(
      dataSource.query(
        `INSERT INTO "messaging".messages (id, conversation_id, author_id, body) VALUES (gen_random_uuid(), $1, $2, $3)`,
        [conversation, user, 'x'.repeat(5001)],
      ),
    ).rejects.toThrow(/ck_messages_body/);
    await expect(
      dataSource.query(
        `INSERT INTO "messaging".messages (id, conversation_id, author_id, body) VALUES (gen_random_uuid(), $1, $2, '')`,
        [conversation, user],
      ),
    ).rejects.toThrow(/ck_messages_body/);
  });

  it('reverts every migration down to an empty schema and re-applies', async () => {
    for (let i = 0; i < messagingMigrations.length; i += 1)
      await dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tables()).toEqual(['migrations']);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await tables()).toContain('messages');
  });
});
