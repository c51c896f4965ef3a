import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"messaging"';

/**
 * Community-wide channels: every member of the community is a member of the channel, kept in sync from
 * community's `community.member.*` events. `community_members` is messaging's own replica of who is an
 * active member (`changed_at`) and their community role (`role_changed_at`), newest change wins, so events
 * handled out of order never resurrect a membership or an old role.
 */
export class CommunityChannelSync1764500002000 implements MigrationInterface {
  name = 'CommunityChannelSync1764500002000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE ${S}.conversations ADD COLUMN community_wide boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `ALTER TABLE ${S}.conversations ADD CONSTRAINT ck_conversations_community_wide
         CHECK (NOT community_wide OR (kind = 'CHANNEL' AND community_id IS NOT NULL))`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_conversations_community_wide ON ${S}.conversations (community_id) WHERE community_wide`,
    );
    await queryRunner.query(`
      CREATE TABLE ${S}.community_members (
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        active boolean NOT NULL,
        role text NOT NULL DEFAULT 'MEMBER',
        changed_at timestamptz NOT NULL,
        role_changed_at timestamptz NULL,
        CONSTRAINT pk_community_members PRIMARY KEY (community_id, user_id),
        CONSTRAINT ck_community_members_role CHECK (role IN ('OWNER', 'ADMIN', 'MODERATOR', 'MEMBER'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_community_members_active ON ${S}.community_members (community_id, user_id) WHERE active`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.community_members`);
    await queryRunner.query(`DROP INDEX IF EXISTS ${S}.ix_conversations_community_wide`);
    await queryRunner.query(
      `ALTER TABLE ${S}.conversations DROP CONSTRAINT IF EXISTS ck_conversations_community_wide`,
    );
    await queryRunner.query(`ALTER TABLE ${S}.conversations DROP COLUMN IF EXISTS community_wide`);
  }
}
