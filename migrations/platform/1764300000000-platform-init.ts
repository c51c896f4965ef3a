import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createEventTables, dropEventTables } from '@edugraph/kit';

const S = '"platform"';

/**
 * Platform schema: feature flags and overrides, runtime config, the append-only audit log
 * (UPDATE/DELETE/TRUNCATE refused by a trigger), retention policies and runs, data subject requests,
 * and the outbox/inbox for domain events.
 */
export class PlatformInit1764300000000 implements MigrationInterface {
  name = 'PlatformInit1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createEventTables(queryRunner, 'platform');

    await queryRunner.query(`
      CREATE TABLE ${S}.feature_flags (
        id uuid NOT NULL,
        key text NOT NULL,
        description text NOT NULL DEFAULT '',
        boolean_value boolean NOT NULL DEFAULT true,
        killed boolean NOT NULL DEFAULT false,
        environments text[] NOT NULL DEFAULT '{}',
        strategy text NOT NULL,
        percentage integer NULL,
        segment jsonb NULL,
        starts_at timestamptz NULL,
        ends_at timestamptz NULL,
        variants jsonb NOT NULL DEFAULT '[]',
        archived_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_feature_flags PRIMARY KEY (id),
        CONSTRAINT uq_feature_flags_key UNIQUE (key),
        CONSTRAINT ck_feature_flags_key CHECK (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(key) <= 100),
        CONSTRAINT ck_feature_flags_strategy CHECK (strategy IN ('BOOLEAN', 'PERCENTAGE', 'SEGMENT', 'SCHEDULE')),
        CONSTRAINT ck_feature_flags_percentage CHECK (percentage IS NULL OR percentage BETWEEN 0 AND 100),
        CONSTRAINT ck_feature_flags_window CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.feature_flag_overrides (
        id uuid NOT NULL,
        flag_id uuid NOT NULL,
        tenant_type text NOT NULL,
        tenant_id uuid NOT NULL,
        enabled boolean NOT NULL,
        variant text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_feature_flag_overrides PRIMARY KEY (id),
        CONSTRAINT fk_feature_flag_overrides_flag FOREIGN KEY (flag_id) REFERENCES ${S}.feature_flags (id) ON DELETE CASCADE,
        CONSTRAINT uq_feature_flag_overrides_tenant UNIQUE (flag_id, tenant_type, tenant_id),
        CONSTRAINT ck_feature_flag_overrides_tenant_type CHECK (tenant_type IN ('USER', 'COMMUNITY'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_feature_flag_overrides_tenant ON ${S}.feature_flag_overrides (tenant_type, tenant_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.runtime_config_entries (
        id uuid NOT NULL,
        key text NOT NULL,
        type text NOT NULL,
        value jsonb NOT NULL,
        exposure text NOT NULL,
        description text NOT NULL DEFAULT '',
        updated_by uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_runtime_config_entries PRIMARY KEY (id),
        CONSTRAINT uq_runtime_config_entries_key UNIQUE (key),
        CONSTRAINT ck_runtime_config_entries_key CHECK (key ~ '^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)+$' AND length(key) <= 120),
        CONSTRAINT ck_runtime_config_entries_type CHECK (type IN ('STRING', 'INT', 'BOOLEAN', 'JSON')),
        CONSTRAINT ck_runtime_config_entries_exposure CHECK (exposure IN ('PUBLIC', 'AUTHENTICATED', 'OPS', 'SECRET'))
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.audit_events (
        id uuid NOT NULL,
        actor_id uuid NULL,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NULL,
        request_id text NULL,
        ip_hash text NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        source text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_audit_events PRIMARY KEY (id)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_occurred ON ${S}.audit_events (occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_actor ON ${S}.audit_events (actor_id, occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_target ON ${S}.audit_events (target_type, target_id, occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_audit_events_action ON ${S}.audit_events (action, occurred_at DESC, id DESC)`,
    );
    await queryRunner.query(`
      CREATE FUNCTION ${S}.audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'platform.audit_events is append-only: % refused', TG_OP USING ERRCODE = 'restrict_violation';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER tg_audit_events_append_only BEFORE UPDATE OR DELETE ON ${S}.audit_events
      FOR EACH ROW EXECUTE FUNCTION ${S}.audit_events_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER tg_audit_events_no_truncate BEFORE TRUNCATE ON ${S}.audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION ${S}.audit_events_append_only()`);

    await queryRunner.query(`
      CREATE TABLE ${S}.retention_policies (
        id uuid NOT NULL,
        entity text NOT NULL,
        action text NOT NULL,
        after_days integer NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_retention_policies PRIMARY KEY (id),
        CONSTRAINT uq_retention_policies_entity UNIQUE (entity),
        CONSTRAINT ck_retention_policies_entity CHECK (entity ~ '^[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*$'),
        CONSTRAINT ck_retention_policies_action CHECK (action IN ('HARD_DELETE', 'SOFT_DELETE', 'ANONYMISE')),
        CONSTRAINT ck_retention_policies_after_days CHECK (after_days BETWEEN 1 AND 3650)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.retention_runs (
        id uuid NOT NULL,
        dry_run boolean NOT NULL,
        status text NOT NULL,
        trigger text NOT NULL,
        requested_by uuid NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz NULL,
        CONSTRAINT pk_retention_runs PRIMARY KEY (id),
        CONSTRAINT ck_retention_runs_status CHECK (status IN ('RUNNING', 'COMPLETED')),
        CONSTRAINT ck_retention_runs_trigger CHECK (trigger IN ('SCHEDULE', 'MANUAL'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_retention_runs_started ON ${S}.retention_runs (started_at DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.retention_run_items (
        id uuid NOT NULL,
        run_id uuid NOT NULL,
        entity text NOT NULL,
        action text NOT NULL,
        after_days integer NOT NULL,
        status text NOT NULL DEFAULT 'PENDING',
        affected integer NULL,
        applied_at timestamptz NULL,
        CONSTRAINT pk_retention_run_items PRIMARY KEY (id),
        CONSTRAINT fk_retention_run_items_run FOREIGN KEY (run_id) REFERENCES ${S}.retention_runs (id) ON DELETE CASCADE,
        CONSTRAINT uq_retention_run_items_entity UNIQUE (run_id, entity),
        CONSTRAINT ck_retention_run_items_status CHECK (status IN ('PENDING', 'APPLIED')),
        CONSTRAINT ck_retention_run_items_affected CHECK (affected IS NULL OR affected >= 0)
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.data_subject_requests (
        id uuid NOT NULL,
        user_id uuid NOT NULL,
        kind text NOT NULL,
        status text NOT NULL DEFAULT 'RECEIVED',
        requested_by uuid NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        due_at timestamptz NOT NULL,
        completed_at timestamptz NULL,
        note text NULL,
        CONSTRAINT pk_data_subject_requests PRIMARY KEY (id),
        CONSTRAINT ck_data_subject_requests_kind CHECK (kind IN ('EXPORT', 'DELETE')),
        CONSTRAINT ck_data_subject_requests_status CHECK (status IN ('RECEIVED', 'IN_PROGRESS', 'COMPLETED', 'REJECTED')),
        CONSTRAINT ck_data_subject_requests_due CHECK (due_at > requested_at)
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_data_subject_requests_user ON ${S}.data_subject_requests (user_id, requested_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_data_subject_requests_requested ON ${S}.data_subject_requests (requested_at DESC, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${S}.data_subject_requests`);
    await queryRunner.query(`DROP TABLE ${S}.retention_run_items`);
    await queryRunner.query(`DROP TABLE ${S}.retention_runs`);
    await queryRunner.query(`DROP TABLE ${S}.retention_policies`);
    await queryRunner.query(`DROP TABLE ${S}.audit_events`);
    await queryRunner.query(`DROP FUNCTION ${S}.audit_events_append_only()`);
    await queryRunner.query(`DROP TABLE ${S}.runtime_config_entries`);
    await queryRunner.query(`DROP TABLE ${S}.feature_flag_overrides`);
    await queryRunner.query(`DROP TABLE ${S}.feature_flags`);
    await dropEventTables(queryRunner, 'platform');
  }
}
