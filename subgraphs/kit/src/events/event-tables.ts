import type { QueryRunner } from 'typeorm';

/**
 * The transactional outbox and the consumer inbox, created in a subgraph's own schema by its
 * first migration. Every subgraph that publishes or consumes domain events has both.
 */
export async function createEventTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`
    CREATE TABLE "${schema}".outbox (
      id uuid NOT NULL,
      event_type text NOT NULL,
      aggregate_id text NOT NULL,
      payload jsonb NOT NULL,
      occurred_at timestamptz NOT NULL DEFAULT now(),
      published_at timestamptz NULL,
      attempts integer NOT NULL DEFAULT 0,
      CONSTRAINT pk_${schema}_outbox PRIMARY KEY (id)
    )`);
  await queryRunner.query(
    `CREATE INDEX ix_${schema}_outbox_unpublished ON "${schema}".outbox (occurred_at) WHERE published_at IS NULL`,
  );
  await queryRunner.query(`
    CREATE TABLE "${schema}".inbox (
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      handled_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT pk_${schema}_inbox PRIMARY KEY (event_id)
    )`);
}

export async function dropEventTables(queryRunner: QueryRunner, schema: string): Promise<void> {
  await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".inbox`);
  await queryRunner.query(`DROP TABLE IF EXISTS "${schema}".outbox`);
}
