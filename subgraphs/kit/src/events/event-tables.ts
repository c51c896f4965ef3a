import type { QueryRunner } from 'typeorm';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** Schema names are interpolated into SQL: only plain lower-case identifiers are accepted. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`Invalid schema name for domain events: ${JSON.stringify(schema)}`);
  return schema;
}

/** The NOTIFY channel the outbox trigger signals on commit; the relay LISTENs to it (polling is the fallback). */
export function outboxChannel(schema: string): string {
  return `${assertSchemaName(schema)}_outbox`;
}

/**
 * The transactional outbox and the consumer inbox, created in a subgraph's own schema by its
 * first migration. Every subgraph that publishes or consumes domain events has both.
 *
 * - `outbox`: one row per recorded event; `published_at` is set by the relay, rows are kept (replay).
 *   `attempts`/`last_error` record failed publish attempts. An AFTER INSERT trigger sends
 *   `NOTIFY <schema>_outbox` (delivered at commit) so the relay publishes without waiting for its poll.
 * - `inbox`: one row per (consumer, event) handled; the primary key makes handling effect-once.
 */
export async function createEventTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  assertSchemaName(schema);
  await queryRunner.query(`
    CREATE TABLE "${schema}".outbox (
      id uuid NOT NULL,
      event_type text NOT NULL,
      aggregate_id text NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz NULL,
      attempts integer NOT NULL DEFAULT 0,
      last_error text NULL,
      CONSTRAINT pk_${schema}_outbox PRIMARY KEY (id)
    )`);
  await queryRunner.query(
    `CREATE INDEX ix_${schema}_outbox_unpublished ON "${schema}".outbox (occurred_at, id) WHERE published_at IS NULL`,
  );
  await queryRunner.query(`CREATE INDEX ix_${schema}_outbox_occurred_at ON "${schema}".outbox (occurred_at)`);
  await queryRunner.query(`
    CREATE FUNCTION "${schema}".notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${outboxChannel(schema)}', '');
      RETURN NULL;
    END
    $$`);
  await queryRunner.query(
    `CREATE TRIGGER tr_${schema}_outbox_notify AFTER INSERT ON "${schema}".outbox
     FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".notify_outbox()`,
  );
  await queryRunner.query(`
    CREATE TABLE "${schema}".inbox (
      consumer text NOT NULL,
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      handled_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT pk_${schema}_inbox PRIMARY KEY (consumer, event_id)
    )`);
}

export async function dropEventTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  assertSchemaName(schema);
  await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".inbox`);
  await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".outbox`);
  await queryRunner.query(`DROP FUNCTION IF EXISTS "${schema}".notify_outbox()`);
}
