import path from 'node:path';
import { envBool, envInt, envOptional, type EnvRecord } from '@edugraph/kit';
import { repoRoot } from './paths.js';

export type LauncherConfig = {
  /** Passed on to every subgraph and the gateway. */
  env: EnvRecord;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  gatewayPort: number;
  embeddedPostgresPort: number;
  localRedisPort: number;
  dataDir: string;
  seed: boolean;
};

export function readLauncherConfig(env: EnvRecord = process.env): LauncherConfig {
  const dataDir = path.resolve(repoRoot, envOptional(env, 'DATA_DIR') ?? '.data');
  const gatewayPort = envInt(env, 'PORT', 4000, { min: 0, max: 65535 });
  // Media's signed URLs (local-disk backend) on the gateway's origin, which proxies /media/objects/*: the web app
  // at http://localhost:<port>/ then uploads same-origin. Behind a proxy or another host, set MEDIA_PUBLIC_URL.
  const mediaPublicUrl =
    envOptional(env, 'MEDIA_PUBLIC_URL') ??
    (gatewayPort > 0 ? `http://localhost:${gatewayPort}/` : undefined);
  const nodeEnv = env['NODE_ENV'] ?? 'development';
  return {
    env: {
      ...env,
      NODE_ENV: nodeEnv,
      // Trusted documents (gateway README): the web app sends manifest ids; free-form documents (GraphiQL, curl)
      // still run in development. GATEWAY_TRUSTED_DOCUMENTS=require tries the production rule locally.
      GATEWAY_TRUSTED_DOCUMENTS:
        env['GATEWAY_TRUSTED_DOCUMENTS'] ?? (nodeEnv === 'production' ? 'require' : 'allow'),
      MAIL_OUTBOX_DIR: env['MAIL_OUTBOX_DIR'] ?? path.join(dataDir, 'mail-outbox'),
      MEDIA_STORAGE_DIR: env['MEDIA_STORAGE_DIR'] ?? path.join(dataDir, 'media'),
      ...(mediaPublicUrl ? { MEDIA_PUBLIC_URL: mediaPublicUrl } : {}),
    },
    databaseUrl: envOptional(env, 'DATABASE_URL'),
    redisUrl: envOptional(env, 'REDIS_URL'),
    gatewayPort,
    embeddedPostgresPort: envInt(env, 'EMBEDDED_PG_PORT', 54329, { min: 1, max: 65535 }),
    localRedisPort: envInt(env, 'LOCAL_REDIS_PORT', 6390, { min: 1, max: 65535 }),
    dataDir,
    seed: envBool(env, 'SEED', true),
  };
}
