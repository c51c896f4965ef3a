import {
  envBool,
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
};

export function readLearningConfig(env: EnvRecord = process.env): LearningConfig {
  const common = readCommonSubgraphConfig(env, { port: LEARNING_DEFAULT_PORT });
  return {
    ...common,
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'edugraph'),
    backgroundJobs: envBool(env, 'LEARNING_BACKGROUND_JOBS', true),
  };
}

/** The process environment, for entry points (`main.ts`); everything else receives a typed config. */
export function processEnvironment(): EnvRecord {
  return process.env;
}
