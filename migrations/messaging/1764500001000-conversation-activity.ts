import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"messaging"';

/** Inbox order: each conversation's last activity (creation, then every message), indexed for keyset pages. */
export class ConversationActivity1764500001000 implements MigrationInterface {
  name = 'ConversationActivity1764500001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${S}.conversations ADD COLUMN last_activity_at timestamptz NULL`);
    await queryRunner.query(
      `UPDATE ${S}.conversations SET last_activity_at = COALESCE(last_message_at, created_at)`,
    );
    await queryRunner.query(`
      ALTER TABLE ${S}.conversations
        ALTER COLUMN last_activity_at SET NOT NULL,
        ALTER COLUMN last_activity_at SET DEFAULT date_trunc('milliseconds', clock_timestamp())`);
    await queryRunner.query(
      `CREATE INDEX ix_conversations_activity ON ${S}.conversations (last_activity_at DESC, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS ${S}.ix_conversations_activity`);
    await queryRunner.query(`ALTER TABLE ${S}.conversations DROP COLUMN last_activity_at`);
  }
}
