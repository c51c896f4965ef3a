import {
  EnvError,
  envBool,
  envInt,
  envOptional,
  envString,
  readCommonSubgraphConfig,
  type CommonSubgraphConfig,
  type EnvRecord,
} from '@edugraph/kit';

export const LEARNING_DEFAULT_PORT = 4005;
export const LEARNING_SCHEMA = 'learning';

export type LearningConfig = CommonSubgraphConfig & {
  /** Prefix of BullMQ queues and event routing keys (`QUEUE_PREFIX`, default `edugraph`). */
  queuePrefix: string;
  /** Start the outbox relay and the `order.paid` consumer (`LEARNING_BACKGROUND_JOBS`, default true). */
  backgroundJobs: boolean;
  /** Watermarked downloads per user and ebook (`EBOOK_DOWNLOAD_LIMIT`, default 3). */
  ebookDownloadLimit: number;
  /** HMAC key of download watermarks (`EBOOK_WATERMARK_SECRET`; required in production, else random per process). */
  ebookWatermarkSecret: string | undefined;
};

export function readLearningConfig(env: EnvRecord = process.env): LearningConfig {
  const common = readCommonSubgraphConfig(env, { port: LEARNING_DEFAULT_PORT });
  const ebookWatermarkSecret = envOptional(env, 'EBOOK_WATERMARK_SECRET');
  if (common.nodeEnv === 'production' && !ebookWatermarkSecret)
    throw new EnvError('EBOOK_WATERMARK_SECRET is required in production.');
  return {
    ...common,
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'edugraph'),
    backgroundJobs: envBool(env, 'LEARNING_BACKGROUND_JOBS', true),
    ebookDownloadLimit: envInt(env, 'EBOOK_DOWNLOAD_LIMIT', 3, { min: 1, max: 100 }),
    ebookWatermarkSecret,
  };
}

/** The process environment, for entry points (`main.ts`); everything else receives a typed config. */
export function processEnvironment(): EnvRecord {
  return process.env;
}
