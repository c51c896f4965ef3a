import 'reflect-metadata';
import {
  createLogger,
  createRedis,
  createTokenVerifier,
  migrate,
  remoteJwks,
  startSubgraphServer,
  type EnvRecord,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@edugraph/kit';
import { createPlatformDataSource } from './data-source.js';
import { PLATFORM_DEFAULT_PORT, PLATFORM_SCHEMA, readPlatformConfig } from './environment.js';
import { bindPlatformServices } from './platform-services.js';
import { createPlatformRuntime, startPlatformBackground, type PlatformBackground } from './runtime.js';
import { buildPlatformSchema } from './schema.js';
import { seedPlatformDemo } from './seed/demo-seed.js';

export { buildPlatformSchema } from './schema.js';
export { readPlatformConfig } from './environment.js';

async function migratePlatform(databaseUrl: string): Promise<string[]> {
  return migrate(createPlatformDataSource(databaseUrl, { poolSize: 1 }), PLATFORM_SCHEMA);
}

async function startPlatform(env: EnvRecord): Promise<RunningSubgraph> {
  const config = readPlatformConfig(env);
  const production = config.nodeEnv === 'production';
  const logger = createLogger({
    name: 'platform',
    ...(config.logLevel ? { level: config.logLevel } : {}),
    production,
  });
  const dataSource = createPlatformDataSource(config.databaseUrl, { poolSize: 4 });
  await dataSource.initialize();
  const redis = createRedis(config.redisUrl, { name: 'platform' });
  const runtime = await createPlatformRuntime({ config, dataSource, redis, logger });
  bindPlatformServices(runtime.services);
  let background: PlatformBackground | null = null;
  try {
    if (config.backgroundJobs)
      background = await startPlatformBackground({ config, dataSource, services: runtime.services, logger });
    const { schema } = await buildPlatformSchema();
    return await startSubgraphServer({
      name: 'platform',
      schema,
      port: config.port,
      production,
      dataSource,
      redis,
      verifyToken: createTokenVerifier({
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        keys: remoteJwks(config.jwksUrl),
      }),
      logger,
      onShutdown: async () => {
        await background?.stop();
        await runtime.stop();
        bindPlatformServices(null);
      },
    });
  } catch (error) {
    await background?.stop();
    await runtime.stop();
    if (dataSource.isInitialized) await dataSource.destroy();
    redis.disconnect();
    throw error;
  }
}

export const subgraph: SubgraphDefinition = {
  name: 'platform',
  schemaName: PLATFORM_SCHEMA,
  defaultPort: PLATFORM_DEFAULT_PORT,
  buildSchema: buildPlatformSchema,
  migrate: migratePlatform,
  seed: seedPlatformDemo,
  start: startPlatform,
};
