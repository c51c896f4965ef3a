import {
  envInt,
  envOptional,
  envString,
  EnvError,
  readCommonSubgraphConfig,
  type CommonSubgraphConfig,
  type EnvRecord,
} from '@edugraph/kit';

export const IDENTITY_DEFAULT_PORT = 4001;
export const IDENTITY_SCHEMA = 'identity';

/** argon2id parameters. Production must meet OWASP's minimum (m ≥ 19456 KiB, t ≥ 2, p = 1). */
export type PasswordHashParams = { memoryCost: number; timeCost: number; parallelism: number };

export const PRODUCTION_MIN_HASH_PARAMS: PasswordHashParams = {
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
};
export const DEFAULT_HASH_PARAMS: PasswordHashParams = { memoryCost: 19456, timeCost: 2, parallelism: 1 };

export type IdentityConfig = CommonSubgraphConfig & {
  /** Base64 32-byte key encrypting private signing keys and TOTP secrets at rest (required in production). */
  dataEncryptionKey: Buffer | null;
  passwordHash: PasswordHashParams;
  internalApiToken: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  mailOutboxDir: string;
  /** Per-IP sign-in attempts per window (rate-limiter-flexible on Redis). */
  signInIpLimit: number;
  signInIpWindowSeconds: number;
  /** Per-IP budget shared by sign-up and password-reset requests/confirmations. */
  accountIpLimit: number;
  accountIpWindowSeconds: number;
  /** Redis key prefix for rate limits (tests isolate themselves with their own). */
  redisKeyPrefix: string;
  /** BullMQ queue prefix for domain events (`QUEUE_PREFIX`, shared with the other subgraphs; kit default `edugraph`). */
  eventsPrefix: string | undefined;
  /** How long a newly created signing key is published before it signs (minimum 10 min). */
  keyPublishLeadSeconds: number;
  /** Days between scheduled signing-key rotations (BullMQ job scheduler); 0 disables the schedule. */
  keyRotationDays: number;
};

function readHashParams(env: EnvRecord, production: boolean): PasswordHashParams {
  const params: PasswordHashParams = {
    memoryCost: envInt(env, 'PASSWORD_HASH_MEMORY_KIB', DEFAULT_HASH_PARAMS.memoryCost, {
      min: 8,
      max: 1_048_576,
    }),
    timeCost: envInt(env, 'PASSWORD_HASH_TIME_COST', DEFAULT_HASH_PARAMS.timeCost, { min: 1, max: 20 }),
    parallelism: envInt(env, 'PASSWORD_HASH_PARALLELISM', DEFAULT_HASH_PARAMS.parallelism, {
      min: 1,
      max: 1,
    }),
  };
  if (production) assertProductionHashParams(params);
  return params;
}

export function assertProductionHashParams(params: PasswordHashParams): void {
  const min = PRODUCTION_MIN_HASH_PARAMS;
  if (
    params.memoryCost < min.memoryCost ||
    params.timeCost < min.timeCost ||
    params.parallelism !== min.parallelism
  ) {
    throw new EnvError(
      `argon2id parameters below the production minimum (m ≥ ${min.memoryCost} KiB, t ≥ ${min.timeCost}, p = 1).`,
    );
  }
}

function readEncryptionKey(env: EnvRecord, production: boolean): Buffer | null {
  const raw = envOptional(env, 'IDENTITY_DATA_KEY');
  if (!raw) {
    if (production) throw new EnvError('IDENTITY_DATA_KEY (base64, 32 bytes) is required in production.');
    return null;
  }
  const key = Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new EnvError('IDENTITY_DATA_KEY must be 32 bytes, base64-encoded.');
  return key;
}

export function readIdentityConfig(env: EnvRecord): IdentityConfig {
  const common = readCommonSubgraphConfig(env, { port: IDENTITY_DEFAULT_PORT });
  const production = common.nodeEnv === 'production';
  return {
    ...common,
    dataEncryptionKey: readEncryptionKey(env, production),
    passwordHash: readHashParams(env, production),
    internalApiToken: envOptional(env, 'INTERNAL_API_TOKEN'),
    smtpUrl: envOptional(env, 'SMTP_URL'),
    mailFrom: envString(env, 'MAIL_FROM', 'Edugraph <no-reply@edugraph.dev>'),
    mailOutboxDir: envString(env, 'MAIL_OUTBOX_DIR', '.data/mail-outbox'),
    // Test platforms run many journeys from 127.0.0.1: a higher default there (tests of the limit set it).
    signInIpLimit: envInt(env, 'SIGN_IN_IP_LIMIT', common.nodeEnv === 'test' ? 1000 : 30, { min: 1 }),
    signInIpWindowSeconds: envInt(env, 'SIGN_IN_IP_WINDOW_SECONDS', 300, { min: 1 }),
    accountIpLimit: envInt(env, 'ACCOUNT_IP_LIMIT', common.nodeEnv === 'test' ? 10_000 : 100, { min: 1 }),
    accountIpWindowSeconds: envInt(env, 'ACCOUNT_IP_WINDOW_SECONDS', 3600, { min: 1 }),
    redisKeyPrefix: envString(env, 'IDENTITY_REDIS_PREFIX', 'edugraph:identity'),
    eventsPrefix: envOptional(env, 'QUEUE_PREFIX'),
    keyPublishLeadSeconds: envInt(env, 'SIGNING_KEY_PUBLISH_LEAD_SECONDS', 900, { min: 600 }),
    keyRotationDays: envInt(env, 'SIGNING_KEY_ROTATION_DAYS', 30, { min: 0, max: 3650 }),
  };
}

/** The process environment; the only place `process.env` is read. */
export function processEnv(): EnvRecord {
  return process.env;
}
