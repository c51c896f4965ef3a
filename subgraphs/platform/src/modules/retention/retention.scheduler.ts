import { createRedis, type Logger } from '@edugraph/kit';
import { Queue, Worker } from 'bullmq';
import { SYSTEM_ACTOR } from '../../common/audit-actor.js';
import type { RetentionService } from './retention.service.js';

export const RETENTION_QUEUE = 'platform-retention';
export const RETENTION_SCHEDULER_ID = 'daily-retention';
export const RETENTION_JOB = 'retention.run';

export type RetentionSchedulerOptions = {
  redisUrl: string;
  /** BullMQ key prefix (per deployment; tests use their own). */
  prefix: string;
  /** Cron pattern evaluated in UTC; default 03:00 every day. */
  cron: string;
  dryRun: boolean;
  retention: RetentionService;
  logger: Logger;
};

export type RetentionScheduler = { queue: Queue; stop(): Promise<void> };

/**
 * The daily retention job: a BullMQ job scheduler (repeatable job, cron in UTC) and a worker that
 * starts a retention run. Upserting the scheduler is idempotent, so every instance may call this.
 */
export async function startRetentionScheduler(
  options: RetentionSchedulerOptions,
): Promise<RetentionScheduler> {
  const queueConnection = createRedis(options.redisUrl, {
    forBullmq: true,
    name: 'platform-retention-queue',
  });
  const workerConnection = createRedis(options.redisUrl, {
    forBullmq: true,
    name: 'platform-retention-worker',
  });
  const queue = new Queue(RETENTION_QUEUE, { connection: queueConnection, prefix: options.prefix });
  await queue.upsertJobScheduler(
    RETENTION_SCHEDULER_ID,
    { pattern: options.cron, tz: 'UTC' },
    {
      name: RETENTION_JOB,
      data: {},
      opts: {
        removeOnComplete: 100,
        removeOnFail: 500,
        attempts: 3,
        backoff: { type: 'exponential', delay: 60_000 },
      },
    },
  );
  const worker = new Worker(
    RETENTION_QUEUE,
    async (job) => {
      const dryRun =
        typeof job.data === 'object' && job.data !== null && 'dryRun' in job.data
          ? Boolean(job.data.dryRun)
          : options.dryRun;
      const run = await options.retention.startRun({ dryRun, trigger: 'SCHEDULE', actor: SYSTEM_ACTOR });
      options.logger.info({ runId: run.id, dryRun }, 'retention run started by schedule');
      return { runId: run.id };
    },
    { connection: workerConnection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) =>
    options.logger.error({ err: error, jobId: job?.id }, 'retention job failed'),
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'retention worker error'));
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
