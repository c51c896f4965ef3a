/** Default prefix of BullMQ queues and routing keys; tests pass their own to isolate themselves. */
export const DEFAULT_EVENTS_PREFIX = 'edugraph';

const CONSUMER_NAME = /^[a-z][a-z0-9_-]{0,99}$/;

export function assertConsumerName(consumer: string): string {
  if (!CONSUMER_NAME.test(consumer))
    throw new Error(`Invalid event consumer name ${JSON.stringify(consumer)}`);
  return consumer;
}

/** The BullMQ queue of one consumer (BullMQ keys are `<prefix>:events.<consumer>:…`). */
export function consumerQueueName(consumer: string): string {
  return `events.${assertConsumerName(consumer)}`;
}

/** Redis set of the consumer names that handle `type` (persistent; written by consumers when they start). */
export function routesKey(prefix: string, type: string): string {
  return `${prefix}:events:routes:${type}`;
}

/** Redis set of the event types a consumer registered last time (to unregister types it no longer handles). */
export function consumerTypesKey(prefix: string, consumer: string): string {
  return `${prefix}:events:consumers:${consumer}`;
}
