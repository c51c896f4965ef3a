import 'reflect-metadata';
import {
  createDataSource,
  createLogger,
  createRedis,
  createRedisPubSub,
  createTokenVerifier,
  migrate,
  remoteJwks,
  startEventConsumer,
  startOutboxRelay,
  startSubgraphServer,
  type EnvRecord,
  type EventConsumer,
  type OutboxRelay,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@edugraph/kit';
import { messagingMigrations } from '@edugraph/migrations/messaging';
import { messagingEntities } from './entities.js';
import { MESSAGING_DEFAULT_PORT, MESSAGING_SCHEMA, readMessagingConfig } from './environment.js';
import { createMessagingServices } from './messaging-services.js';
import { buildMessagingSchema } from './schema.js';

export { buildMessagingSchema } from './schema.js';
export { readMessagingConfig } from './environment.js';
export { createMessagingServices, type MessagingServices } from './messaging-services.js';
export { TOPICS as MESSAGING_TOPICS } from './modules/realtime/realtime.topics.js';

async function migrateMessaging(databaseUrl: string): Promise<string[]> {
  const dataSource = createDataSource({
    url: databaseUrl,
    schema: MESSAGING_SCHEMA,
    entities: [],
    migrations: messagingMigrations,
    poolSize: 1,
  });
  return migrate(dataSource, MESSAGING_SCHEMA);
}

/** HTTP + graphql-ws on one port; realtime events fan out through Redis (prefix `<QUEUE_PREFIX>:messaging:`). */
async function startMessaging(env: EnvRecord): Promise<RunningSubgraph> {
  const config = readMessagingConfig(env);
  const production = config.nodeEnv === 'production';
  const logger = createLogger({
    name: 'messaging',
    ...(config.logLevel ? { level: config.logLevel } : {}),
    production,
  });
  const dataSource = createDataSource({
    url: config.databaseUrl,
    schema: MESSAGING_SCHEMA,
    entities: messagingEntities,
    migrations: messagingMigrations,
    poolSize: 4,
  });
  await dataSource.initialize();
  const redis = createRedis(config.redisUrl, { name: 'messaging' });
  const pubSub = createRedisPubSub({
    redisUrl: config.redisUrl,
    prefix: `${config.queuePrefix}:messaging:`,
    name: 'messaging',
  });
  let relay: OutboxRelay | null = null;
  let consumer: EventConsumer | null = null;
  try {
    const services = createMessagingServices({
      dataSource,
      redis,
      pubSub,
      keyPrefix: `${config.queuePrefix}:`,
      presenceTtlSeconds: config.presenceTtlSeconds,
      groupMaxMembers: config.groupMaxMembers,
    });
    if (config.backgroundJobs) {
      // community.member.* keep community-wide channels in step (inbox: each event once).
      consumer = await startEventConsumer({
        consumer: 'messaging',
        dataSource,
        schema: MESSAGING_SCHEMA,
        redisUrl: config.redisUrl,
        logger,
        prefix: config.queuePrefix,
        handlers: services.conversations.communitySync.handlers(),
      });
      relay = startOutboxRelay({
        dataSource,
        schema: MESSAGING_SCHEMA,
        source: 'messaging',
        redisUrl: config.redisUrl,
        logger,
        prefix: config.queuePrefix,
      });
    }
    const { schema } = await buildMessagingSchema(services);
    return await startSubgraphServer({
      name: 'messaging',
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
      subscriptions: { gatewayToken: config.internalApiToken },
      onShutdown: async () => {
        await consumer?.stop();
        await relay?.stop();
        await pubSub.close();
      },
    });
  } catch (error) {
    await consumer?.stop();
    await relay?.stop();
    await pubSub.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    redis.disconnect();
    throw error;
  }
}

export const subgraph: SubgraphDefinition = {
  name: 'messaging',
  schemaName: MESSAGING_SCHEMA,
  defaultPort: MESSAGING_DEFAULT_PORT,
  buildSchema: () => buildMessagingSchema(),
  migrate: migrateMessaging,
  start: startMessaging,
};
