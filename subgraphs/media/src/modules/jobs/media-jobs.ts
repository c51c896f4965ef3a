import { createRedis, type Logger, type Redis } from '@edugraph/kit';
import { Queue, Worker, type Job } from 'bullmq';
import type { AssetLifecycleService } from '../asset/asset-lifecycle.service.js';
import type { AssetScanService } from '../asset/asset-scan.service.js';
import type { MediaJobQueue } from '../asset/asset.service.js';
import type { RenditionService } from '../rendition/rendition.service.js';

export const SCAN_QUEUE = 'media-scan';
export const RENDITION_QUEUE = 'media-renditions';
export const LIFECYCLE_QUEUE = 'media-lifecycle';
export const LIFECYCLE_SCHEDULER_ID = 'media-lifecycle-hourly';

export type RetryPolicy = { attempts: number; backoffMs: number };

export type MediaQueueOptions = {
  redisUrl: string;
  /** BullMQ key prefix (per deployment; tests use their own). */
  prefix: string;
  /** Scans fail closed and retry with exponential backoff (default 8 attempts from 2 s: ~8 minutes). */
  scanRetry?: RetryPolicy;
  renditionRetry?: RetryPolicy;
};

export type MediaQueues = MediaJobQueue & {
  scanQueue: Queue;
  renditionQueue: Queue;
  lifecycleQueue: Queue;
  close(): Promise<void>;
};

const DEFAULT_SCAN_RETRY: RetryPolicy = { attempts: 8, backoffMs: 2000 };
const DEFAULT_RENDITION_RETRY: RetryPolicy = { attempts: 3, backoffMs: 10_000 };

/** The producer side (the API enqueues; workers may run elsewhere). Job ids are per asset: no duplicates. */
export function createMediaQueues(options: MediaQueueOptions): MediaQueues {
  const connection = createRedis(options.redisUrl, { forBullmq: true, name: 'media-queues' });
  const scanRetry = options.scanRetry ?? DEFAULT_SCAN_RETRY;
  const renditionRetry = options.renditionRetry ?? DEFAULT_RENDITION_RETRY;
  const scanQueue = new Queue(SCAN_QUEUE, { connection, prefix: options.prefix });
  const renditionQueue = new Queue(RENDITION_QUEUE, { connection, prefix: options.prefix });
  const lifecycleQueue = new Queue(LIFECYCLE_QUEUE, { connection, prefix: options.prefix });
  return {
    scanQueue,
    renditionQueue,
    lifecycleQueue,
    async enqueueScan(assetId) {
      await scanQueue.add(
        'scan',
        { assetId },
        {
          jobId: `scan-${assetId}`,
          attempts: scanRetry.attempts,
          backoff: { type: 'exponential', delay: scanRetry.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        },
      );
    },
    async enqueueRendition(assetId) {
      await renditionQueue.add(
        'render',
        { assetId },
        {
          jobId: `render-${assetId}`,
          attempts: renditionRetry.attempts,
          backoff: { type: 'exponential', delay: renditionRetry.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        },
      );
    },
    async close() {
      await Promise.all([scanQueue.close(), renditionQueue.close(), lifecycleQueue.close()]);
      await connection.quit().catch(() => undefined);
    },
  };
}

function assetIdOf(job: Job): string {
  const data = job.data as { assetId?: unknown };
  if (typeof data.assetId !== 'string') throw new Error('job without assetId');
  return data.assetId;
}

function lastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

export type MediaWorkers = { stop(): Promise<void> };

/** Scan, rendition and lifecycle workers, and the hourly lifecycle job scheduler (idempotent upsert). */
export async function startMediaWorkers(options: {
  redisUrl: string;
  prefix: string;
  queues: MediaQueues;
  scans: AssetScanService;
  renditions: RenditionService;
  lifecycle: AssetLifecycleService;
  logger: Logger;
  /** Lifecycle sweep interval (default hourly). */
  lifecycleEveryMs?: number;
  renditionConcurrency?: number;
}): Promise<MediaWorkers> {
  const { logger, prefix } = options;
  const connections: Redis[] = [];
  const connection = (name: string) => {
    const redis = createRedis(options.redisUrl, { forBullmq: true, name });
    connections.push(redis);
    return redis;
  };
  await options.queues.lifecycleQueue.upsertJobScheduler(
    LIFECYCLE_SCHEDULER_ID,
    { every: options.lifecycleEveryMs ?? 60 * 60 * 1000 },
    { name: 'sweep', data: {}, opts: { removeOnComplete: 50, removeOnFail: 100 } },
  );
  const workers = [
    new Worker(SCAN_QUEUE, (job) => options.scans.scan(assetIdOf(job), { lastAttempt: lastAttempt(job) }), {
      connection: connection('media-scan-worker'),
      prefix,
      concurrency: 2,
    }),
    new Worker(
      RENDITION_QUEUE,
      (job) => options.renditions.render(assetIdOf(job), { lastAttempt: lastAttempt(job) }),
      {
        connection: connection('media-rendition-worker'),
        prefix,
        concurrency: options.renditionConcurrency ?? 1,
      },
    ),
    new Worker(LIFECYCLE_QUEUE, () => options.lifecycle.sweep(), {
      connection: connection('media-lifecycle-worker'),
      prefix,
      concurrency: 1,
    }),
  ];
  for (const worker of workers) {
    worker.on('failed', (job, error) =>
      logger.warn(
        { err: error, queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade },
        'media job failed',
      ),
    );
    worker.on('error', (error) => logger.error({ err: error, queue: worker.name }, 'media worker error'));
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  return {
    async stop() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
    },
  };
}
