import {
  envBool,
  envInt,
  envOptional,
  envString,
  EnvError,
  readCommonSubgraphConfig,
  type CommonSubgraphConfig,
  type EnvRecord,
} from '@edugraph/kit';

export const PLATFORM_DEFAULT_PORT = 4002;
export const PLATFORM_SCHEMA = 'platform';

export type PlatformConfig = CommonSubgraphConfig & {
  /** The environment flags are evaluated in (a flag must list it): `PLATFORM_ENVIRONMENT`, default NODE_ENV. */
  flagEnvironment: string;
  /** Flag definitions and overrides are cached at most this long (1–30 s). */
  flagCacheTtlMs: number;
  /** Secret for the keyed hash of client IPs in the audit log (`AUDIT_IP_HASH_SECRET`; required in production). */
  auditIpHashSecret: string;
  /** BullMQ prefix for the retention queue and the domain event queues (`QUEUE_PREFIX`, default `edugraph`). */
  queuePrefix: string;
  /** Cron pattern (UTC) of the daily retention run (`RETENTION_CRON`, default 03:00 UTC). */
  retentionCron: string;
  retentionScheduleEnabled: boolean;
  /** Whether scheduled retention runs are dry runs (`RETENTION_SCHEDULE_DRY_RUN`, default false). */
  retentionScheduleDryRun: boolean;
  /** Start the outbox relay, event consumer and retention worker with the server (default true). */
  backgroundJobs: boolean;
};

const ENVIRONMENT_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export function readPlatformConfig(env: EnvRecord = process.env): PlatformConfig {
  const common = readCommonSubgraphConfig(env, { port: PLATFORM_DEFAULT_PORT });
  const flagEnvironment = envString(env, 'PLATFORM_ENVIRONMENT', common.nodeEnv);
  if (!ENVIRONMENT_NAME.test(flagEnvironment))
    throw new EnvError('PLATFORM_ENVIRONMENT must be lower-kebab, e.g. "production".');
  const secret = envOptional(env, 'AUDIT_IP_HASH_SECRET');
  if (!secret && common.nodeEnv === 'production')
    throw new EnvError('AUDIT_IP_HASH_SECRET is required in production.');
  return {
    ...common,
    flagEnvironment,
    flagCacheTtlMs: envInt(env, 'FLAG_CACHE_TTL_MS', 30_000, { min: 1_000, max: 30_000 }),
    auditIpHashSecret: secret ?? 'edugraph-development-ip-hash-secret',
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'edugraph'),
    retentionCron: envString(env, 'RETENTION_CRON', '0 3 * * *'),
    retentionScheduleEnabled: envBool(env, 'RETENTION_SCHEDULE_ENABLED', true),
    retentionScheduleDryRun: envBool(env, 'RETENTION_SCHEDULE_DRY_RUN', false),
    backgroundJobs: envBool(env, 'PLATFORM_BACKGROUND_JOBS', true),
  };
}

/** The process environment, for entry points (`main.ts`); everything else receives a typed config. */
export function processEnvironment(): EnvRecord {
  return process.env;
}
