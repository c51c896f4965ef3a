import { createRedis, type Logger } from '@edugraph/kit';
import { Queue, Worker } from 'bullmq';
import type { EventReminderService } from './event-reminder.service.js';

export const EVENT_REMINDER_QUEUE = 'community-event-reminders';
export const EVENT_REMINDER_SCHEDULER_ID = 'event-reminders-tick';
export const EVENT_REMINDER_JOB = 'event-reminders.run';

export type EventReminderSchedulerOptions = {
  redisUrl: string;
  /** BullMQ key prefix (`QUEUE_PREFIX`; tests use their own). */
  prefix: string;
  /** How often reminders are looked for (ms). */
  everyMs: number;
  reminders: EventReminderService;
  logger: Logger;
};

export type EventReminderScheduler = { queue: Queue; stop(): Promise<void> };

/**
 * A BullMQ job scheduler ticking every `everyMs` and a worker that sends the reminders due then
 * (`EventReminderService.runDue`). The queue holds no reminder state — everything is derived from the
 * database, so restarts and several instances are safe (upserting the scheduler is idempotent, and
 * a reminder is sent once per occurrence, offset and start).
 */
export async function startEventReminderScheduler(
  options: EventReminderSchedulerOptions,
): Promise<EventReminderScheduler> {
  const queueConnection = createRedis(options.redisUrl, {
    forBullmq: true,
    name: 'community-reminders-queue',
  });
  const workerConnection = createRedis(options.redisUrl, {
    forBullmq: true,
    name: 'community-reminders-worker',
  });
  const queue = new Queue(EVENT_REMINDER_QUEUE, { connection: queueConnection, prefix: options.prefix });
  queue.on('error', (error: Error) => options.logger.warn({ err: error }, 'event reminder queue: error'));
  await queue.upsertJobScheduler(
    EVENT_REMINDER_SCHEDULER_ID,
    { every: options.everyMs },
    { name: EVENT_REMINDER_JOB, data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } },
  );
  const worker = new Worker(EVENT_REMINDER_QUEUE, async () => ({ sent: await options.reminders.runDue() }), {
    connection: workerConnection,
    prefix: options.prefix,
    concurrency: 1,
  });
  worker.on('failed', (job, error) =>
    options.logger.error({ err: error, jobId: job?.id }, 'event reminder run failed'),
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'event reminder worker error'));
  await worker.waitUntilReady();
  return {
    queue,
    async stop() {
      await worker.close();
      await queue.close();
      await Promise.all([
        queueConnection.quit().catch(() => undefined),
        workerConnection.quit().catch(() => undefined),
      ]);
    },
  };
}
