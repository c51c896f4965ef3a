import {
  envBool,
  envInt,
  envString,
  readCommonSubgraphConfig,
  type CommonSubgraphConfig,
  type EnvRecord,
} from '@edugraph/kit';

export const COMMUNITY_DEFAULT_PORT = 4007;
export const COMMUNITY_SCHEMA = 'community';

export type CommunityConfig = CommonSubgraphConfig & {
  /** Prefix of BullMQ queues and event routing keys (`QUEUE_PREFIX`, default `edugraph`). */
  queuePrefix: string;
  /** Start the outbox relay and event consumers (`COMMUNITY_BACKGROUND_JOBS`, default true). */
  backgroundJobs: boolean;
  /** Communities one user may own (`COMMUNITY_MAX_OWNED`, default 20). */
  maxOwnedCommunities: number;
};

export function readCommunityConfig(env: EnvRecord = process.env): CommunityConfig {
  const common = readCommonSubgraphConfig(env, { port: COMMUNITY_DEFAULT_PORT });
  return {
    ...common,
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'edugraph'),
    backgroundJobs: envBool(env, 'COMMUNITY_BACKGROUND_JOBS', true),
    maxOwnedCommunities: envInt(env, 'COMMUNITY_MAX_OWNED', 20, { min: 1, max: 10_000 }),
  };
}

/** The process environment, for entry points (`main.ts`); everything else receives a typed config. */
export function processEnvironment(): EnvRecord {
  return process.env;
}
