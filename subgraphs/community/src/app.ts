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
import { communityMigrations } from '@edugraph/migrations/community';
import { createCommunityServices } from './community-services.js';
import { communityEntities } from './entities.js';
import { communityEventHandlers } from './event-handlers.js';
import { COMMUNITY_DEFAULT_PORT, COMMUNITY_SCHEMA, readCommunityConfig } from './environment.js';
import { buildCommunitySchema } from './schema.js';
import { communityHttpRoutes } from './http-routes.js';
import {
  startEventReminderScheduler,
  type EventReminderScheduler,
} from './modules/events/event-reminder.scheduler.js';
import { ENGAGEMENT_CONSUMER } from './modules/engagement/engagement.handlers.js';
import {
  startScheduledPostScheduler,
  type ScheduledPostScheduler,
} from './modules/feed/scheduled-post.scheduler.js';

export { buildCommunitySchema } from './schema.js';
export { readCommunityConfig } from './environment.js';
export { createCommunityServices, type CommunityServices } from './community-services.js';
export * from './common/community-events.js';
export {
  COMMERCE_SELLER_RULE_PATH as COMMUNITY_SELLER_RULE_PATH,
  COMMUNITY_SOLD_KINDS,
} from './modules/paywall/commerce-seller-rule.js';

async function migrateCommunity(databaseUrl: string): Promise<string[]> {
  const dataSource = createDataSource({
    url: databaseUrl,
    schema: COMMUNITY_SCHEMA,
    entities: [],
    migrations: communityMigrations,
    poolSize: 1,
  });
  return migrate(dataSource, COMMUNITY_SCHEMA);
}

/**
 * GraphQL on one port; relays community's events (`community.member.joined`, …) through the outbox and
 * consumes other subgraphs' events (`event-handlers.ts`).
 */
async function startCommunity(env: EnvRecord): Promise<RunningSubgraph> {
  const config = readCommunityConfig(env);
  const production = config.nodeEnv === 'production';
  const logger = createLogger({
    name: 'community',
    ...(config.logLevel ? { level: config.logLevel } : {}),
    production,
  });
  const dataSource = createDataSource({
    url: config.databaseUrl,
    schema: COMMUNITY_SCHEMA,
    entities: communityEntities,
    migrations: communityMigrations,
    poolSize: 4,
  });
  await dataSource.initialize();
  const redis = createRedis(config.redisUrl, { name: 'community' });
  // Realtime feed events fan out through Redis to every instance's subscribers.
  const pubSub = createRedisPubSub({
    redisUrl: config.redisUrl,
    prefix: `${config.queuePrefix}:community:`,
    name: 'community',
  });
  let scheduledPosts: ScheduledPostScheduler | null = null;
  let relay: OutboxRelay | null = null;
  let consumer: EventConsumer | null = null;
  let engagementConsumer: EventConsumer | null = null;
  let reminders: EventReminderScheduler | null = null;
  // Calendar feed URLs: COMMUNITY_PUBLIC_URL, else the URL this process listens at.
  let publicUrl = config.publicUrl ?? null;
  try {
    const services = createCommunityServices({
      dataSource,
      logger,
      maxOwnedCommunities: config.maxOwnedCommunities,
      pubSub,
      paywall: { internalApiToken: config.internalApiToken },
      events: {
        publicUrl: () => publicUrl ?? `http://127.0.0.1:${config.port}/`,
        ...(config.calendarSecret ? { calendarSecret: config.calendarSecret } : {}),
        eventPageUrl: config.eventPageUrl ?? null,
        reminderOffsetsMinutes: config.reminderOffsetsMinutes,
      },
      redis,
      engagement: { ...config.engagement, prefix: config.queuePrefix },
    });
    if (config.backgroundJobs) {
      const events = {
        dataSource,
        schema: COMMUNITY_SCHEMA,
        redisUrl: config.redisUrl,
        logger,
        prefix: config.queuePrefix,
      };
      // The consumer registers its routes before anything is published to it.
      const handlers = communityEventHandlers(services);
      if (Object.keys(handlers).length > 0)
        consumer = await startEventConsumer({ ...events, consumer: 'community', handlers });
      // Engagement has its own consumer (and inbox entries): other modules handle the same events.
      engagementConsumer = await startEventConsumer({
        ...events,
        consumer: ENGAGEMENT_CONSUMER,
        handlers: services.engagement.eventHandlers(),
      });
      relay = startOutboxRelay({ ...events, source: 'community' });
      reminders = await startEventReminderScheduler({
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        everyMs: config.reminderEverySeconds * 1000,
        reminders: services.events.reminders,
        logger,
      });
      // Scheduled posts: community.post.created and the realtime feed at their publish time.
      scheduledPosts = await startScheduledPostScheduler({
        redisUrl: config.redisUrl,
        prefix: config.queuePrefix,
        everyMs: config.feedPublishEverySeconds * 1000,
        posts: services.feed.posts,
        logger,
      });
    }
    const { schema } = await buildCommunitySchema(services);
    const running = await startSubgraphServer({
      name: 'community',
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
      routes: communityHttpRoutes(services),
      // communityFeedUpdated over graphql-ws (the gateway multiplexes users on one socket).
      subscriptions: { gatewayToken: config.internalApiToken },
      onShutdown: async () => {
        await scheduledPosts?.stop();
        await reminders?.stop();
        await consumer?.stop();
        await engagementConsumer?.stop();
        await relay?.stop();
        await pubSub.close();
      },
    });
    publicUrl ??= new URL('/', running.url).toString();
    return running;
  } catch (error) {
    await scheduledPosts?.stop();
    await reminders?.stop();
    await consumer?.stop();
    await engagementConsumer?.stop();
    await relay?.stop();
    await pubSub.close();
    if (dataSource.isInitialized) await dataSource.destroy();
    redis.disconnect();
    throw error;
  }
}

export const subgraph: SubgraphDefinition = {
  name: 'community',
  schemaName: COMMUNITY_SCHEMA,
  defaultPort: COMMUNITY_DEFAULT_PORT,
  buildSchema: () => buildCommunitySchema(),
  migrate: migrateCommunity,
  start: startCommunity,
};
