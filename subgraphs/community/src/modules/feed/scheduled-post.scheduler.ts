import { createRedis, type Logger } from '@edugraph/kit';
import { Queue, Worker } from 'bullmq';
import type { PostService } from './post.service.js';

export const SCHEDULED_POST_QUEUE = 'community-scheduled-posts';
export const SCHEDULED_POST_SCHEDULER_ID = 'scheduled-posts-tick';
export const SCHEDULED_POST_JOB = 'scheduled-posts.publish';

export type ScheduledPostSchedulerOptions = {
  redisUrl: string;
  /** BullMQ key prefix (`QUEUE_PREFIX`; tests use their own). */
  prefix: string;
  /** How often due posts are looked for (ms). */
  everyMs: number;
  posts: PostService;
  logger: Logger;
};

export type ScheduledPostScheduler = { queue: Queue; stop(): Promise<void> };

/**
 * A BullMQ job scheduler ticking every `everyMs` and a worker announcing the scheduled posts due then
 * (`PostService.publishDue`: `community.post.created` and the realtime feed). The queue holds no post
 * state — due posts come from the database — so restarts, late runs and several instances are safe;
 * visibility never waits for the tick (queries compare `publishAt` with the clock).
 */
export async function startScheduledPostScheduler(
  options: ScheduledPostSchedulerOptions,
): Promise<ScheduledPostScheduler> {
  const queueConnection = createRedis(options.redisUrl, { forBullmq: true, name: 'community-posts-queue' });
  const workerConnection = createRedis(options.redisUrl, { forBullmq: true, name: 'community-posts-worker' });
  const queue = new Queue(SCHEDULED_POST_QUEUE, { connection: queueConnection, prefix: options.prefix });
  queue.on('error', (error: Error) => options.logger.warn({ err: error }, 'scheduled post queue: error'));
  await queue.upsertJobScheduler(
    SCHEDULED_POST_SCHEDULER_ID,
    { every: options.everyMs },
    { name: SCHEDULED_POST_JOB, data: {}, opts: { removeOnComplete: 100, removeOnFail: 500 } },
  );
  const worker = new Worker(
    SCHEDULED_POST_QUEUE,
    async () => ({ published: await options.posts.publishDue() }),
    { connection: workerConnection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, error) =>
    options.logger.error({ err: error, jobId: job?.id }, 'scheduled post run failed'),
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'scheduled post worker error'));
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
