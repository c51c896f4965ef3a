import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { assertSchemaName } from './event-tables.js';

/**
 * A fact one subgraph publishes for others, e.g. `order.paid`. `id` is a uuid v4 chosen when the event
 * is recorded (it is also the BullMQ job id and the inbox key); `source` is the publishing subgraph.
 */
export type DomainEvent = {
  id: string;
  type: string;
  source: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  occurredAt: string;
};

export type NewDomainEvent = { type: string; aggregateId: string; payload: Record<string, unknown> };

/** Handles one event inside the transaction that also records it in the consumer's inbox. */
export type DomainEventHandler = (event: DomainEvent, manager: EntityManager) => Promise<void>;

/** Event types are used in Redis keys and job names: letters, digits and `._-:` (e.g. `order.paid`). */
const EVENT_TYPE = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$/;

export function assertEventType(type: string): string {
  if (!EVENT_TYPE.test(type)) {
    throw new Error(`Invalid domain event type ${JSON.stringify(type)} (expected e.g. "order.paid")`);
  }
  return type;
}

/**
 * Records an event in `<schema>.outbox` using the caller's manager, so it commits or rolls back with
 * the state change it describes (pass the manager of your `dataSource.transaction(...)`).
 * Returns the event id. Publishing happens later, in the outbox relay.
 */
export async function recordEvent(
  manager: EntityManager,
  schema: string,
  event: NewDomainEvent,
): Promise<string> {
  assertSchemaName(schema);
  assertEventType(event.type);
  const id = randomUUID();
  await manager.query(
    `INSERT INTO "${schema}".outbox (id, event_type, aggregate_id, payload) VALUES ($1, $2, $3, $4::jsonb)`,
    [id, event.type, event.aggregateId, JSON.stringify(event.payload)],
  );
  return id;
}

/**
 * Marks every outbox event that occurred at or after `since` as unpublished again, so the relay
 * publishes it once more to the consumers registered *now* (e.g. a consumer that started after the
 * event was first published). Consumers that already handled an event skip it (inbox). Returns the count.
 */
export async function replayOutbox(options: {
  dataSource: DataSource;
  schema: string;
  since: Date;
  types?: string[];
}): Promise<number> {
  const schema = assertSchemaName(options.schema);
  const params: unknown[] = [options.since];
  let filter = '';
  if (options.types && options.types.length > 0) {
    params.push(options.types);
    filter = ' AND event_type = ANY($2::text[])';
  }
  const result: [unknown[], number] = await options.dataSource.query(
    `UPDATE "${schema}".outbox SET published_at = NULL, attempts = 0, last_error = NULL
     WHERE occurred_at >= $1 AND published_at IS NOT NULL${filter}`,
    params,
  );
  return result[1];
}
