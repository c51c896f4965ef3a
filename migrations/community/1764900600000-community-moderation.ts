import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"community"';

/**
 * Moderation: per-community settings (bad-word additions), cases (one per reported or flagged post,
 * comment or member — risk score 0–100 from automatic flags and reports, severity from the score),
 * reports (one OPEN report per reporter and target), automatic flags (once per target and kind), and the
 * append-only audit of moderation actions (actor, before/after, reason; an UNDO points at the action it
 * undid, at most once).
 */
export class CommunityModeration1764900600000 implements MigrationInterface {
  name = 'CommunityModeration1764900600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ${S}.moderation_settings (
        community_id uuid NOT NULL,
        bad_words text[] NOT NULL DEFAULT '{}',
        updated_by_id uuid NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_moderation_settings PRIMARY KEY (community_id),
        CONSTRAINT fk_moderation_settings_community FOREIGN KEY (community_id)
          REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_moderation_settings_bad_words CHECK (cardinality(bad_words) <= 200)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.moderation_cases (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        target_user_id uuid NULL,
        post_id uuid NULL,
        excerpt text NOT NULL DEFAULT '',
        status text NOT NULL DEFAULT 'OPEN',
        resolution text NULL,
        flag_score smallint NOT NULL DEFAULT 0,
        report_count integer NOT NULL DEFAULT 0,
        risk_score smallint NOT NULL DEFAULT 0,
        severity text NOT NULL DEFAULT 'LOW',
        approved_at timestamptz NULL,
        resolved_at timestamptz NULL,
        resolved_by_id uuid NULL,
        opened_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_moderation_cases PRIMARY KEY (id),
        CONSTRAINT uq_moderation_cases_target UNIQUE (community_id, target_type, target_id),
        CONSTRAINT fk_moderation_cases_community FOREIGN KEY (community_id)
          REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_moderation_cases_target_type CHECK (target_type IN ('POST', 'COMMENT', 'MEMBER')),
        CONSTRAINT ck_moderation_cases_status CHECK (status IN ('OPEN', 'RESOLVED')),
        CONSTRAINT ck_moderation_cases_resolution CHECK ((status = 'RESOLVED') = (resolution IS NOT NULL)),
        CONSTRAINT ck_moderation_cases_scores CHECK (
          flag_score BETWEEN 0 AND 100 AND risk_score BETWEEN 0 AND 100 AND report_count >= 0
        ),
        CONSTRAINT ck_moderation_cases_severity CHECK (severity = CASE
          WHEN risk_score >= 80 THEN 'CRITICAL' WHEN risk_score >= 60 THEN 'HIGH'
          WHEN risk_score >= 35 THEN 'MEDIUM' ELSE 'LOW' END),
        CONSTRAINT ck_moderation_cases_excerpt CHECK (length(excerpt) <= 500)
      )`);
    // The queue: per community and status, riskiest first, then newest.
    await queryRunner.query(
      `CREATE INDEX ix_moderation_cases_queue ON ${S}.moderation_cases (community_id, status, risk_score DESC, opened_at DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.moderation_reports (
        id uuid NOT NULL,
        case_id uuid NOT NULL,
        community_id uuid NOT NULL,
        reporter_id uuid NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        reason text NOT NULL,
        note text NULL,
        status text NOT NULL DEFAULT 'OPEN',
        closed_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_moderation_reports PRIMARY KEY (id),
        CONSTRAINT fk_moderation_reports_case FOREIGN KEY (case_id)
          REFERENCES ${S}.moderation_cases (id) ON DELETE CASCADE,
        CONSTRAINT ck_moderation_reports_reason CHECK (reason IN (
          'SPAM', 'HARASSMENT', 'HATE', 'VIOLENCE', 'SEXUAL', 'MISINFORMATION', 'OFF_TOPIC', 'OTHER'
        )),
        CONSTRAINT ck_moderation_reports_note CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000),
        CONSTRAINT ck_moderation_reports_status CHECK (status IN ('OPEN', 'CLOSED')),
        CONSTRAINT ck_moderation_reports_closed CHECK ((status = 'CLOSED') = (closed_at IS NOT NULL))
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_moderation_reports_open ON ${S}.moderation_reports (reporter_id, target_type, target_id) WHERE status = 'OPEN'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_moderation_reports_case ON ${S}.moderation_reports (case_id, created_at, id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.moderation_flags (
        id uuid NOT NULL,
        case_id uuid NOT NULL,
        kind text NOT NULL,
        score smallint NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_moderation_flags PRIMARY KEY (id),
        CONSTRAINT uq_moderation_flags_kind UNIQUE (case_id, kind),
        CONSTRAINT fk_moderation_flags_case FOREIGN KEY (case_id)
          REFERENCES ${S}.moderation_cases (id) ON DELETE CASCADE,
        CONSTRAINT ck_moderation_flags_kind CHECK (kind IN ('BAD_WORDS', 'LINK_SPAM')),
        CONSTRAINT ck_moderation_flags_score CHECK (score BETWEEN 1 AND 100)
      )`);

    // The audit: no foreign keys (it outlives its subjects), never updated or deleted.
    await queryRunner.query(`
      CREATE TABLE ${S}.moderation_actions (
        id uuid NOT NULL,
        seq bigserial NOT NULL,
        community_id uuid NOT NULL,
        case_id uuid NOT NULL,
        actor_id uuid NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id uuid NOT NULL,
        target_user_id uuid NULL,
        reason text NULL,
        before jsonb NOT NULL,
        after jsonb NOT NULL,
        undoes_action_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_moderation_actions PRIMARY KEY (id),
        CONSTRAINT uq_moderation_actions_undo UNIQUE (undoes_action_id),
        CONSTRAINT ck_moderation_actions_action CHECK (action IN (
          'APPROVE', 'REJECT', 'SUPPRESS', 'RESTORE', 'MUTE', 'BAN', 'AUTO_SUPPRESS', 'UNDO'
        )),
        CONSTRAINT ck_moderation_actions_undo CHECK ((action = 'UNDO') = (undoes_action_id IS NOT NULL)),
        CONSTRAINT ck_moderation_actions_actor CHECK (action = 'AUTO_SUPPRESS' OR actor_id IS NOT NULL),
        CONSTRAINT ck_moderation_actions_reason CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 1000)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_moderation_actions_case ON ${S}.moderation_actions (case_id, seq)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION ${S}.moderation_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'moderation_actions is append-only' USING ERRCODE = 'restrict_violation';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER tr_moderation_actions_append_only BEFORE UPDATE OR DELETE ON ${S}.moderation_actions
        FOR EACH ROW EXECUTE FUNCTION ${S}.moderation_actions_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER tr_moderation_actions_no_truncate BEFORE TRUNCATE ON ${S}.moderation_actions
        FOR EACH STATEMENT EXECUTE FUNCTION ${S}.moderation_actions_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.moderation_actions`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${S}.moderation_actions_append_only()`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.moderation_flags`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.moderation_reports`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.moderation_cases`);
    await queryRunner.query(`DROP TABLE IF EXISTS ${S}.moderation_settings`);
  }
}
