import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createDataSource,
  createLogger,
  createRedis,
  createTokenVerifier,
  migrate,
  remoteJwks,
  startOutboxRelay,
  startSubgraphServer,
  type EnvRecord,
  type Logger,
  type OutboxRelay,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@edugraph/kit';
import { mediaMigrations } from '@edugraph/migrations/media';
import { mediaEntities } from './entities.js';
import { MEDIA_DEFAULT_PORT, MEDIA_SCHEMA, readMediaConfig, type MediaConfig } from './environment.js';
import { createMediaServices } from './media-services.js';
import { ViewRuleRegistry } from './modules/access/view-rules.js';
import { createMediaQueues, startMediaWorkers, type MediaWorkers } from './modules/jobs/media-jobs.js';
import { ClamdClient, type ClamdAddress } from './scanning/clamd-client.js';
import { buildMediaSchema } from './schema.js';
import { LocalStorage } from './storage/local-storage.js';
import type { ObjectStorage } from './storage/object-storage.js';
import { S3Storage } from './storage/s3-storage.js';

export { buildMediaSchema } from './schema.js';
export { readMediaConfig } from './environment.js';
export { createMediaServices, type MediaServices } from './media-services.js';
export { ViewRuleRegistry, type ViewRule, type ViewRequest } from './modules/access/view-rules.js';

/** `subgraphs/media/clamd/clamd.sh`: starts clamd with the repository's config and signatures. */
export const CLAMD_SCRIPT = fileURLToPath(new URL('../clamd/clamd.sh', import.meta.url));

async function migrateMedia(databaseUrl: string): Promise<string[]> {
  const dataSource = createDataSource({
    url: databaseUrl,
    schema: MEDIA_SCHEMA,
    entities: [],
    migrations: mediaMigrations,
    poolSize: 1,
  });
  return migrate(dataSource, MEDIA_SCHEMA);
}

export function clamdAddress(
  config: Pick<MediaConfig, 'clamdHost' | 'clamdPort' | 'clamdSocket'>,
): ClamdAddress {
  return config.clamdHost
    ? { host: config.clamdHost, port: config.clamdPort }
    : { socket: config.clamdSocket };
}

/**
 * Makes sure clamd answers: if not and `startClamd`, runs the repository's script (local socket only).
 * Without clamd the subgraph still starts, degraded: scans fail closed and retry, then the asset is
 * FAILED — an unscanned file never becomes READY.
 */
export async function ensureClamd(
  clamd: ClamdClient,
  config: Pick<MediaConfig, 'clamdHost' | 'clamdSocket' | 'startClamd'>,
  logger: Logger,
): Promise<boolean> {
  if (await clamd.ping()) return true;
  if (config.startClamd && !config.clamdHost) {
    try {
      await promisify(execFile)('bash', [CLAMD_SCRIPT, 'start'], {
        env: {
          PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          CLAMD_SOCKET: config.clamdSocket,
        },
        timeout: 90_000,
      });
    } catch (error) {
      logger.warn({ err: error }, 'could not start clamd');
    }
    if (await clamd.ping()) return true;
  }
  logger.warn(
    { clamd: config.clamdHost ?? config.clamdSocket },
    'clamd does not answer: uploads will not become READY until it does (scans retry, then FAILED)',
  );
  return false;
}

function createStorage(config: MediaConfig, baseUrl: () => string): ObjectStorage {
  if (config.storage === 's3' && config.s3) return new S3Storage(config.s3);
  return new LocalStorage({
    root: config.storageDir,
    // Without a configured secret (development), URLs are valid for this process only.
    secret: config.signingSecret ?? randomBytes(32).toString('base64url'),
    baseUrl,
  });
}

/** HTTP on one port (GraphQL and, for local storage, the signed upload/download routes) plus the job workers. */
async function startMedia(env: EnvRecord): Promise<RunningSubgraph> {
  const config = readMediaConfig(env);
  const production = config.nodeEnv === 'production';
  const logger = createLogger({
    name: 'media',
    ...(config.logLevel ? { level: config.logLevel } : {}),
    production,
  });
  const dataSource = createDataSource({
    url: config.databaseUrl,
    schema: MEDIA_SCHEMA,
    entities: mediaEntities,
    migrations: mediaMigrations,
    poolSize: 4,
  });
  await dataSource.initialize();
  const redis = createRedis(config.redisUrl, { name: 'media' });
  let publicUrl = config.publicUrl ?? null;
  const storage = createStorage(config, () => {
    if (!publicUrl) throw new Error('media public URL not known yet');
    return publicUrl;
  });
  const queues = createMediaQueues({ redisUrl: config.redisUrl, prefix: config.queuePrefix });
  const clamd = new ClamdClient(clamdAddress(config), config.clamdTimeoutMs);
  const views = new ViewRuleRegistry(logger);
  for (const [domain, url] of Object.entries(config.viewRules))
    views.registerHttp(domain, url, { token: config.internalApiToken });
  let relay: OutboxRelay | null = null;
  let workers: MediaWorkers | null = null;
  try {
    const services = createMediaServices({
      dataSource,
      storage,
      clamd,
      jobs: queues,
      views,
      tools: { sofficePath: config.sofficePath, pdftoppmPath: config.pdftoppmPath },
      logger,
    });
    if (config.backgroundJobs) {
      await ensureClamd(clamd, config, logger);
      relay = startOutboxRelay({
        dataSource,
        schema: MEDIA_SCHEMA,
        source: 'media',
        redisUrl: config.redisUrl,
        logger,
        prefix: config.queuePrefix,
      });
      workers = await startMediaWorkers({
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        queues,
        scans: services.scans,
        renditions: services.renditions,
        lifecycle: services.lifecycle,
        logger,
      });
    }
    const { schema } = await buildMediaSchema(services);
    const running = await startSubgraphServer({
      name: 'media',
      schema,
      port: config.port,
      host: config.host,
      production,
      dataSource,
      redis,
      verifyToken: createTokenVerifier({
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        keys: remoteJwks(config.jwksUrl),
      }),
      logger,
      ...(storage instanceof LocalStorage ? { routes: (app) => storage.routes(app) } : {}),
      onShutdown: async () => {
        await workers?.stop();
        await relay?.stop();
        await queues.close();
        await storage.close();
      },
    });
    publicUrl ??= new URL('/', running.url).toString();
    return running;
  } catch (error) {
    await workers?.stop();
    await relay?.stop();
    await queues.close();
    await storage.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    redis.disconnect();
    throw error;
  }
}

export const subgraph: SubgraphDefinition = {
  name: 'media',
  schemaName: MEDIA_SCHEMA,
  defaultPort: MEDIA_DEFAULT_PORT,
  buildSchema: () => buildMediaSchema(),
  migrate: migrateMedia,
  start: startMedia,
};
