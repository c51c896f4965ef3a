import 'reflect-metadata';
import {
  createDataSource,
  createLogger,
  createRedis,
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
import { learningMigrations } from '@edugraph/migrations/learning';
import { learningEntities } from './entities.js';
import { LEARNING_DEFAULT_PORT, LEARNING_SCHEMA, readLearningConfig } from './environment.js';
import { createLearningServices } from './learning-services.js';
import { commerceSellerRuleRoute } from './modules/access/commerce-seller-rule.js';
import { mediaViewRuleRoute } from './modules/access/media-view-rule.js';
import { ORDER_PAID } from './modules/enrollment/order-paid.js';
import { buildLearningSchema } from './schema.js';

export { buildLearningSchema } from './schema.js';
export { readLearningConfig } from './environment.js';
export { createLearningServices, type LearningServices } from './learning-services.js';
export { MEDIA_VIEW_RULE_PATH } from './modules/access/media-view-rule.js';
export { COMMERCE_SELLER_RULE_PATH, LEARNING_SOLD_KINDS } from './modules/access/commerce-seller-rule.js';
export { ORDER_PAID, type OrderPaidPayload } from './modules/enrollment/order-paid.js';

async function migrateLearning(databaseUrl: string): Promise<string[]> {
  const dataSource = createDataSource({
    url: databaseUrl,
    schema: LEARNING_SCHEMA,
    entities: [],
    migrations: learningMigrations,
    poolSize: 1,
  });
  return migrate(dataSource, LEARNING_SCHEMA);
}

/**
 * GraphQL plus `POST /internal/media/may-view` (media's view rule) and `POST /internal/commerce/seller`
 * (commerce's seller rule for courses and ebooks) on one port; consumes `order.paid`
 * (enrollments) and relays learning's own events (`lesson.completed`, `course.completed`, …).
 */
async function startLearning(env: EnvRecord): Promise<RunningSubgraph> {
  const config = readLearningConfig(env);
  const production = config.nodeEnv === 'production';
  const logger = createLogger({
    name: 'learning',
    ...(config.logLevel ? { level: config.logLevel } : {}),
    production,
  });
  const dataSource = createDataSource({
    url: config.databaseUrl,
    schema: LEARNING_SCHEMA,
    entities: learningEntities,
    migrations: learningMigrations,
    poolSize: 4,
  });
  await dataSource.initialize();
  const redis = createRedis(config.redisUrl, { name: 'learning' });
  let relay: OutboxRelay | null = null;
  let consumer: EventConsumer | null = null;
  try {
    const services = createLearningServices({
      dataSource,
      logger,
      ebooks: {
        downloadLimit: config.ebookDownloadLimit,
        ...(config.ebookWatermarkSecret ? { watermarkSecret: config.ebookWatermarkSecret } : {}),
      },
    });
    if (config.backgroundJobs) {
      const events = {
        dataSource,
        schema: LEARNING_SCHEMA,
        redisUrl: config.redisUrl,
        logger,
        prefix: config.queuePrefix,
      };
      // The consumer registers its routes before anything is published to it.
      consumer = await startEventConsumer({
        ...events,
        consumer: 'learning',
        handlers: { [ORDER_PAID]: services.enrollments.onOrderPaid },
      });
      relay = startOutboxRelay({ ...events, source: 'learning' });
    }
    const { schema } = await buildLearningSchema(services);
    return await startSubgraphServer({
      name: 'learning',
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
      routes: (app) => {
        mediaViewRuleRoute({ access: services.access, token: config.internalApiToken, logger })(app);
        commerceSellerRuleRoute({
          courses: services.courses,
          ebooks: services.ebooks,
          token: config.internalApiToken,
          logger,
        })(app);
      },
      onShutdown: async () => {
        await consumer?.stop();
        await relay?.stop();
      },
    });
  } catch (error) {
    await consumer?.stop();
    await relay?.stop();
    if (dataSource.isInitialized) await dataSource.destroy();
    redis.disconnect();
    throw error;
  }
}

export const subgraph: SubgraphDefinition = {
  name: 'learning',
  schemaName: LEARNING_SCHEMA,
  defaultPort: LEARNING_DEFAULT_PORT,
  buildSchema: () => buildLearningSchema(),
  migrate: migrateLearning,
  start: startLearning,
};
