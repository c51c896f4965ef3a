import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"community"';

/**
 * Invite links: a random token (only its SHA-256 is stored), an expiry, an optional use limit counted
 * atomically, revocation. A use is counted once per user who joins through the link.
 */
export class CommunityMembershipInvites1764900100000 implements MigrationInterface {
  name = 'CommunityMembershipInvites1764900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.community_invites (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        token_hash text NOT NULL,
        token_hint text NOT NULL,
        created_by_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        max_uses integer NULL,
        uses integer NOT NULL DEFAULT 0,
        revoked_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_community_invites PRIMARY KEY (id),
        CONSTRAINT uq_community_invites_token_hash UNIQUE (token_hash),
        CONSTRAINT fk_community_invites_community FOREIGN KEY (community_id) REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_community_invites_max_uses CHECK (max_uses IS NULL OR max_uses BETWEEN 1 AND 10000),
        CONSTRAINT ck_community_invites_uses CHECK (uses >= 0 AND (max_uses IS NULL OR uses <= max_uses)),
        CONSTRAINT ck_community_invites_expiry CHECK (expires_at > created_at)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_community_invites_community ON ${S}.community_invites (community_id, created_at, id)`,
    );
    await queryRunner.query(`ALTER TABLE ${S}.memberships ADD COLUMN invite_id uuid NULL`);
    await queryRunner.query(
      `ALTER TABLE ${S}.memberships ADD CONSTRAINT fk_memberships_invite FOREIGN KEY (invite_id) REFERENCES ${S}.community_invites (id) ON DELETE SET NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE ${S}.memberships DROP CONSTRAINT IF EXISTS fk_memberships_invite`);
    await queryRunner.query(`ALTER TABLE ${S}.memberships DROP COLUMN IF EXISTS invite_id`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.community_invites`);
  }
}
