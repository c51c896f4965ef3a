import path from 'node:path';
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

export const MEDIA_DEFAULT_PORT = 4004;
export const MEDIA_SCHEMA = 'media';

export type S3StorageConfig = {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
};

export type MediaConfig = CommonSubgraphConfig & {
  /** Prefix of BullMQ queues (`QUEUE_PREFIX`, default `edugraph`). */
  queuePrefix: string;
  /** `MEDIA_STORAGE`: `local` (default) or `s3`. */
  storage: 'local' | 's3';
  /** Local-disk root (`MEDIA_STORAGE_DIR`, default `.data/media` under the working directory). */
  storageDir: string;
  /** Base URL clients reach this subgraph's signed upload/download routes at (`MEDIA_PUBLIC_URL`). */
  publicUrl: string | undefined;
  /** HMAC key of local-disk signed URLs (`MEDIA_SIGNING_SECRET`; required in production). */
  signingSecret: string | undefined;
  s3: S3StorageConfig | null;
  /** clamd's local socket (`CLAMD_SOCKET`, default /tmp/edugraph-clamd.sock) or `CLAMD_HOST`/`CLAMD_PORT`. */
  clamdSocket: string;
  clamdHost: string | undefined;
  clamdPort: number;
  clamdTimeoutMs: number;
  /** Start clamd with the repository's script when it does not answer (`MEDIA_START_CLAMD`, default: not production). */
  startClamd: boolean;
  /** LibreOffice and poppler binaries (`SOFFICE_PATH`, `PDFTOPPM_PATH`). */
  sofficePath: string;
  pdftoppmPath: string;
  /** `MEDIA_VIEW_RULES`: `domain=url,domain=url` — HTTP "may view" rules of other subgraphs. */
  viewRules: Record<string, string>;
  /** Bearer token sent to HTTP view rules (`INTERNAL_API_TOKEN`). */
  internalApiToken: string | undefined;
  /** Start the outbox relay and the scan/rendition/lifecycle workers (`MEDIA_BACKGROUND_JOBS`, default true). */
  backgroundJobs: boolean;
};

function parseViewRules(raw: string | undefined): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const entry of (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [domain, url] = entry.split(/=(.*)/s);
    if (!domain || !url || !/^[a-z][a-z0-9-]{0,39}$/.test(domain))
      throw new EnvError(`MEDIA_VIEW_RULES entry "${entry}" must be domain=url.`);
    rules[domain] = new URL(url).toString();
  }
  return rules;
}

export function readMediaConfig(env: EnvRecord = process.env): MediaConfig {
  const common = readCommonSubgraphConfig(env, { port: MEDIA_DEFAULT_PORT });
  const production = common.nodeEnv === 'production';
  const storage = envString(env, 'MEDIA_STORAGE', 'local');
  if (storage !== 'local' && storage !== 's3') throw new EnvError('MEDIA_STORAGE must be local or s3.');
  const signingSecret = envOptional(env, 'MEDIA_SIGNING_SECRET');
  if (production && storage === 'local' && !signingSecret)
    throw new EnvError('MEDIA_SIGNING_SECRET is required in production with local storage.');
  return {
    ...common,
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'edugraph'),
    storage,
    storageDir: path.resolve(envString(env, 'MEDIA_STORAGE_DIR', path.join('.data', 'media'))),
    publicUrl: envOptional(env, 'MEDIA_PUBLIC_URL'),
    signingSecret,
    s3:
      storage === 's3'
        ? {
            endpoint: envOptional(env, 'S3_ENDPOINT'),
            region: envString(env, 'S3_REGION', 'auto'),
            bucket: envString(env, 'S3_BUCKET'),
            accessKeyId: envString(env, 'S3_ACCESS_KEY_ID'),
            secretAccessKey: envString(env, 'S3_SECRET_ACCESS_KEY'),
            forcePathStyle: envBool(env, 'S3_FORCE_PATH_STYLE', false),
          }
        : null,
    clamdSocket: envString(env, 'CLAMD_SOCKET', '/tmp/edugraph-clamd.sock'),
    clamdHost: envOptional(env, 'CLAMD_HOST'),
    clamdPort: envInt(env, 'CLAMD_PORT', 3310, { min: 1, max: 65535 }),
    clamdTimeoutMs: envInt(env, 'CLAMD_TIMEOUT_MS', 60_000, { min: 1000, max: 600_000 }),
    startClamd: envBool(env, 'MEDIA_START_CLAMD', !production),
    sofficePath: envString(env, 'SOFFICE_PATH', 'soffice'),
    pdftoppmPath: envString(env, 'PDFTOPPM_PATH', 'pdftoppm'),
    viewRules: parseViewRules(envOptional(env, 'MEDIA_VIEW_RULES')),
    internalApiToken: envOptional(env, 'INTERNAL_API_TOKEN'),
    backgroundJobs: envBool(env, 'MEDIA_BACKGROUND_JOBS', true),
  };
}

/** The process environment, for entry points (`main.ts`); everything else receives a typed config. */
export function processEnvironment(): EnvRecord {
  return process.env;
}
