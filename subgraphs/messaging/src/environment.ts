import {
  envBool,
  envInt,
  envString,
  readCommonSubgraphConfig,
  type CommonSubgraphConfig,
  type EnvRecord,
} from '@edugraph/kit';

export const MESSAGING_DEFAULT_PORT = 4003;
export const MESSAGING_SCHEMA = 'messaging';

export type MessagingConfig = CommonSubgraphConfig & {
  /** Prefix of Redis keys (presence) and pub/sub channels (`QUEUE_PREFIX`, default `edugraph`). */
  queuePrefix: string;
  /** Presence time-to-live after the last heartbeat, seconds (`PRESENCE_TTL_SECONDS`, default 300). */
  presenceTtlSeconds: number;
  /** Members a group conversation may have (`GROUP_MAX_MEMBERS`, default 50). */
  groupMaxMembers: number;
  /** Start the outbox relay (`message.sent`) and the `community.member.*` consumer (`MESSAGING_BACKGROUND_JOBS`, default true). */
  backgroundJobs: boolean;
};

export function readMessagingConfig(env: EnvRecord = process.env): MessagingConfig {
  const common = readCommonSubgraphConfig(env, { port: MESSAGING_DEFAULT_PORT });
  return {
    ...common,
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'edugraph'),
    presenceTtlSeconds: envInt(env, 'PRESENCE_TTL_SECONDS', 300, { min: 10, max: 86_400 }),
    groupMaxMembers: envInt(env, 'GROUP_MAX_MEMBERS', 50, { min: 2, max: 500 }),
    backgroundJobs: envBool(env, 'MESSAGING_BACKGROUND_JOBS', true),
  };
}

/** The process environment, for entry points (`main.ts`); everything else receives a typed config. */
export function processEnvironment(): EnvRecord {
  return process.env;
}
