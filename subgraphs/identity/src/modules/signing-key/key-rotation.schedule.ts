import { Queue, Worker, type Job } from 'bullmq';
import { createRedis, type Logger } from '@edugraph/kit';
import { DAY } from '../../shared/clock.js';

/** BullMQ queue (under the events/queue prefix) for identity's scheduled maintenance jobs. */
export const MAINTENANCE_QUEUE = 'identity.maintenance';
/** Job scheduler id and job name of the scheduled signing-key rotation. */
export const ROTATE_SIGNING_KEYS = 'rotate-signing-keys';

export type KeyRotationJobResult = { created: string | null; pending: string | null; removed: string[] };

export type KeyRotationSchedule = {
  queue: Queue;
  worker: Worker;
  stop(): Promise<void>;
};

/**
 * Schedules the signing-key rotation every `rotationDays` days as a BullMQ job scheduler (one per
 * prefix, however many identity processes run: each upserts the same scheduler id, and one worker takes
 * each run). `0` removes the schedule. The first run is one interval after the schedule is first
 * created; restarting with the same interval keeps the next run where it was. `rotate` is the very
 * rotation the `rotate-keys` CLI runs.
 */
export async function startKeyRotationSchedule(input: {
  redisUrl: string;
  prefix: string;
  rotationDays: number;
  logger: Logger;
  rotate: () => Promise<KeyRotationJobResult>;
}): Promise<KeyRotationSchedule> {
  const { logger } = input;
  const queueConnection = createRedis(input.redisUrl, { name: 'identity-maintenance-queue' });
  queueConnection.on('error', (error: Error) =>
    logger.warn({ err: error }, 'maintenance queue: redis error'),
  );
  const queue = new Queue(MAINTENANCE_QUEUE, { connection: queueConnection, prefix: input.prefix });
  queue.on('error', (error: Error) => logger.warn({ err: error }, 'maintenance queue: error'));

  if (input.rotationDays > 0) {
    const every = input.rotationDays * DAY;
    await queue.upsertJobScheduler(
      ROTATE_SIGNING_KEYS,
      { every, startDate: Date.now() + every },
      {
        name: ROTATE_SIGNING_KEYS,
        data: {},
        opts: {
          attempts: 5,
          backoff: { type: 'exponential', delay: 60_000 },
          removeOnComplete: { count: 100 },
          removeOnFail: { count: 100 },
        },
      },
    );
  } else {
    await queue.removeJobScheduler(ROTATE_SIGNING_KEYS);
  }

  const workerConnection = createRedis(input.redisUrl, {
    forBullmq: true,
    name: 'identity-maintenance-worker',
  });
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job: Job) => {
      if (job.name !== ROTATE_SIGNING_KEYS) throw new Error(`unknown maintenance job ${job.name}`);
      const result = await input.rotate();
      logger.info(result, 'scheduled signing-key rotation');
      return result;
    },
    { connection: workerConnection, prefix: input.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) =>
    logger.error({ err: error, job: job?.name, attemptsMade: job?.attemptsMade }, 'maintenance job failed'),
  );
  worker.on('error', (error) => logger.error({ err: error }, 'maintenance worker: error'));
  await worker.waitUntilReady();

  return {
    queue,
    worker,
    async stop() {
      await worker.close();
      await queue.close();
      await Promise.all([
        workerConnection.quit().catch(() => undefined),
        queueConnection.quit().catch(() => undefined),
      ]);
    },
  };
}
