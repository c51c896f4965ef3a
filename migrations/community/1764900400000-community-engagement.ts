import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"community"';

/**
 * Engagement: one points account per member and community (balance — never negative —, lifetime
 * points, level, attendance count, streak in the member's time zone, a version for leaderboard
 * caches), the append-only points ledger (every award, automatic or a moderator's, once per
 * `source_key`), and per-UTC-day totals per member (the source of the 7- and 30-day leaderboards).
 */
export class CommunityEngagement1764900400000 implements MigrationInterface {
  name = 'CommunityEngagement1764900400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.points_accounts (
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        balance integer NOT NULL DEFAULT 0,
        lifetime_points integer NOT NULL DEFAULT 0,
        level smallint NOT NULL DEFAULT 1,
        attendance_count integer NOT NULL DEFAULT 0,
        current_streak integer NOT NULL DEFAULT 0,
        longest_streak integer NOT NULL DEFAULT 0,
        last_active_day date NULL,
        version integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_points_accounts PRIMARY KEY (community_id, user_id),
        CONSTRAINT fk_points_accounts_community FOREIGN KEY (community_id)
          REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_points_accounts_balance CHECK (balance >= 0 AND balance <= lifetime_points),
        CONSTRAINT ck_points_accounts_level CHECK (level >= 1),
        CONSTRAINT ck_points_accounts_attendance CHECK (attendance_count >= 0),
        CONSTRAINT ck_points_accounts_streak CHECK (current_streak >= 0 AND longest_streak >= current_streak),
        CONSTRAINT ck_points_accounts_version CHECK (version >= 0)
      )`);
    // All-time leaderboards straight from PostgreSQL (rebuilds, or no Redis): best first, then user id.
    for (const [name, column] of [
      ['balance', 'balance'],
      ['streak', 'longest_streak'],
      ['attendance', 'attendance_count'],
    ])
      await queryRunner.query(
        `CREATE INDEX ix_points_accounts_${name} ON ${S}.points_accounts (community_id, ${column} DESC, user_id)`,
      );

    await queryRunner.query(`
      CREATE TABLE ${S}.points_ledger (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        delta integer NOT NULL,
        requested_delta integer NOT NULL,
        reason text NOT NULL,
        source_key text NOT NULL,
        actor_id uuid NULL,
        note text NULL,
        balance_after integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_points_ledger PRIMARY KEY (id),
        CONSTRAINT uq_points_ledger_source UNIQUE (community_id, source_key),
        CONSTRAINT fk_points_ledger_account FOREIGN KEY (community_id, user_id)
          REFERENCES ${S}.points_accounts (community_id, user_id) ON DELETE CASCADE,
        CONSTRAINT ck_points_ledger_delta CHECK (
          delta BETWEEN -10000 AND 10000 AND requested_delta BETWEEN -10000 AND 10000
        ),
        CONSTRAINT ck_points_ledger_clamp CHECK (
          delta = requested_delta OR (requested_delta < 0 AND delta BETWEEN requested_delta AND 0)
        ),
        CONSTRAINT ck_points_ledger_reason CHECK (reason IN (
          'POST_CREATED', 'COMMENT_CREATED', 'REACTION_RECEIVED', 'EVENT_ATTENDED', 'LESSON_COMPLETED',
          'MODERATOR_AWARD'
        )),
        CONSTRAINT ck_points_ledger_award CHECK (
          reason <> 'MODERATOR_AWARD' OR (actor_id IS NOT NULL AND note IS NOT NULL AND requested_delta <> 0)
        ),
        CONSTRAINT ck_points_ledger_note CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500),
        CONSTRAINT ck_points_ledger_source_key CHECK (length(source_key) BETWEEN 1 AND 200),
        CONSTRAINT ck_points_ledger_balance CHECK (balance_after >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_points_ledger_history ON ${S}.points_ledger (community_id, user_id, created_at DESC, id DESC)`,
    );
    // Append-only: an entry is never changed (a correction is another entry).
    await queryRunner.query(`
      CREATE FUNCTION ${S}.points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'points_ledger is append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_points_ledger_append_only BEFORE UPDATE ON ${S}.points_ledger
        FOR EACH ROW EXECUTE FUNCTION ${S}.points_ledger_append_only()`);

    await queryRunner.query(`
      CREATE TABLE ${S}.engagement_days (
        community_id uuid NOT NULL,
        day date NOT NULL,
        user_id uuid NOT NULL,
        points integer NOT NULL DEFAULT 0,
        attendance integer NOT NULL DEFAULT 0,
        streak integer NOT NULL DEFAULT 0,
        version integer NOT NULL,
        CONSTRAINT pk_engagement_days PRIMARY KEY (community_id, day, user_id),
        CONSTRAINT fk_engagement_days_account FOREIGN KEY (community_id, user_id)
          REFERENCES ${S}.points_accounts (community_id, user_id) ON DELETE CASCADE,
        CONSTRAINT ck_engagement_days_counts CHECK (attendance >= 0 AND streak >= 0)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.engagement_days`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.points_ledger`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${S}.points_ledger_append_only()`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.points_accounts`);
  }
}
