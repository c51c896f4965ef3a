import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@edugraph/kit';

const S = '"messaging"';

/**
 * Messaging schema: conversations (one id space for community channels, 1:1 and group conversations),
 * their members (role, mute, read state), messages (replies, edits, soft deletes, moderator hides),
 * reactions, and the outbox/inbox for domain events.
 */
export class MessagingInit1764500000000 implements MigrationInterface {
  name = 'MessagingInit1764500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner, 'messaging');

    await queryRunner.query(`
      CREATE TABLE ${S}.conversations (
        id uuid NOT NULL,
        kind text NOT NULL,
        community_id uuid NULL,
        channel_type text NULL,
        name text NULL,
        direct_key text NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        last_message_at timestamptz NULL,
        CONSTRAINT pk_conversations PRIMARY KEY (id),
        CONSTRAINT uq_conversations_direct_key UNIQUE (direct_key),
        CONSTRAINT ck_conversations_kind CHECK (kind IN ('CHANNEL', 'DIRECT', 'GROUP')),
        CONSTRAINT ck_conversations_channel CHECK (
          (kind = 'CHANNEL' AND community_id IS NOT NULL AND channel_type IN ('TEXT', 'ANNOUNCEMENT') AND name IS NOT NULL)
          OR (kind <> 'CHANNEL' AND community_id IS NULL AND channel_type IS NULL)),
        CONSTRAINT ck_conversations_direct CHECK ((kind = 'DIRECT') = (direct_key IS NOT NULL)),
        CONSTRAINT ck_conversations_name CHECK (name IS NULL OR length(name) BETWEEN 1 AND 80)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_conversations_community ON ${S}.conversations (community_id, name) WHERE community_id IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.conversation_members (
        conversation_id uuid NOT NULL,
        user_id uuid NOT NULL,
        role text NOT NULL DEFAULT 'MEMBER',
        joined_at timestamptz NOT NULL DEFAULT now(),
        muted_until timestamptz NULL,
        muted_by uuid NULL,
        last_read_at timestamptz NULL,
        CONSTRAINT pk_conversation_members PRIMARY KEY (conversation_id, user_id),
        CONSTRAINT fk_conversation_members_conversation FOREIGN KEY (conversation_id)
          REFERENCES ${S}.conversations (id) ON DELETE CASCADE,
        CONSTRAINT ck_conversation_members_role CHECK (role IN ('OWNER', 'MODERATOR', 'MEMBER'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_conversation_members_user ON ${S}.conversation_members (user_id, conversation_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.messages (
        id uuid NOT NULL,
        conversation_id uuid NOT NULL,
        author_id uuid NOT NULL,
        body text NULL,
        parent_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', clock_timestamp()),
        edited_at timestamptz NULL,
        deleted_at timestamptz NULL,
        deleted_by uuid NULL,
        hidden_at timestamptz NULL,
        hidden_by uuid NULL,
        CONSTRAINT pk_messages PRIMARY KEY (id),
        CONSTRAINT fk_messages_conversation FOREIGN KEY (conversation_id)
          REFERENCES ${S}.conversations (id) ON DELETE CASCADE,
        CONSTRAINT fk_messages_parent FOREIGN KEY (parent_id) REFERENCES ${S}.messages (id) ON DELETE SET NULL,
        CONSTRAINT ck_messages_body CHECK (
          (deleted_at IS NULL AND body IS NOT NULL AND char_length(body) BETWEEN 1 AND 5000)
          OR (deleted_at IS NOT NULL AND body IS NULL))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_messages_conversation_created ON ${S}.messages (conversation_id, created_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_messages_parent ON ${S}.messages (parent_id) WHERE parent_id IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.message_reactions (
        message_id uuid NOT NULL,
        user_id uuid NOT NULL,
        emoji text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_message_reactions PRIMARY KEY (message_id, user_id, emoji),
        CONSTRAINT fk_message_reactions_message FOREIGN KEY (message_id) REFERENCES ${S}.messages (id) ON DELETE CASCADE,
        CONSTRAINT ck_message_reactions_emoji CHECK (char_length(emoji) BETWEEN 1 AND 32)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.message_reactions`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.messages`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.conversation_members`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.conversations`);
    await dropEventTables(queryRunner, 'messaging');
  }
}
