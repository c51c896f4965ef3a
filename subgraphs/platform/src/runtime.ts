import {
  startEventConsumer,
  startOutboxRelay,
  type DomainEvent,
  type EventConsumer,
  type EventOutcome,
  type Logger,
  type OutboxRelay,
  type Redis,
} from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { PlatformConfig } from './environment.js';
import { AuditService, AUDIT_RECORDED_EVENT } from './modules/audit/audit.service.js';
import { DataSubjectRequestService } from './modules/data-subject-request/data-subject-request.service.js';
import { FeatureFlagService } from './modules/feature-flag/feature-flag.service.js';
import { FlagCache, FlagCacheInvalidation } from './modules/feature-flag/flag-cache.js';
import { startRetentionScheduler, type RetentionScheduler } from './modules/retention/retention.scheduler.js';
import { RETENTION_APPLIED_EVENT, RetentionService } from './modules/retention/retention.service.js';
import { RuntimeConfigService } from './modules/runtime-config/runtime-config.service.js';
import type { PlatformServices } from './platform-services.js';

export const PLATFORM_EVENT_SOURCE = 'platform';
export const PLATFORM_EVENT_CONSUMER = 'platform';

export type PlatformRuntimeOptions = {
  config: Pick<PlatformConfig, 'flagEnvironment' | 'flagCacheTtlMs' | 'auditIpHashSecret' | 'queuePrefix'>;
  dataSource: DataSource;
  redis: Redis;
  logger: Logger;
  /** Clock for flag evaluation (tests). */
  now?: () => Date;
  /** Clock for the cache TTL (tests). */
  cacheClock?: () => number;
};

export type PlatformRuntime = {
  services: PlatformServices;
  cache: FlagCache;
  invalidation: FlagCacheInvalidation;
  stop(): Promise<void>;
};

/** Wires the services (no background work). Starts the cross-process cache invalidation listener. */
export async function createPlatformRuntime(options: PlatformRuntimeOptions): Promise<PlatformRuntime> {
  const { config, dataSource, redis, logger } = options;
  const audit = new AuditService(dataSource, {
    ipHashSecret: config.auditIpHashSecret,
    source: PLATFORM_EVENT_SOURCE,
    logger,
  });
  const cache = new FlagCache(config.flagCacheTtlMs, options.cacheClock);
  const invalidation = new FlagCacheInvalidation(
    redis,
    `${config.queuePrefix}:platform:flags:invalidate`,
    cache,
    logger,
  );
  await invalidation.start();
  const services: PlatformServices = {
    audit,
    flags: new FeatureFlagService(dataSource, audit, cache, invalidation, {
      environment: config.flagEnvironment,
      ...(options.now ? { now: options.now } : {}),
    }),
    config: new RuntimeConfigService(dataSource, audit),
    retention: new RetentionService(dataSource, audit, logger),
    dataSubjectRequests: new DataSubjectRequestService(dataSource, audit),
  };
  return { services, cache, invalidation, stop: () => invalidation.stop() };
}

export type PlatformBackground = {
  relay: OutboxRelay;
  consumer: EventConsumer;
  scheduler: RetentionScheduler | null;
  stop(): Promise<void>;
};

/** Outbox relay, the `audit.recorded` / `retention.applied` consumer and the daily retention job. */
export async function startPlatformBackground(options: {
  config: Pick<
    PlatformConfig,
    'redisUrl' | 'queuePrefix' | 'retentionCron' | 'retentionScheduleEnabled' | 'retentionScheduleDryRun'
  >;
  dataSource: DataSource;
  services: PlatformServices;
  logger: Logger;
  pollIntervalMs?: number;
  /** Called after each consumed event (tests, metrics). */
  onEventProcessed?: (event: DomainEvent, outcome: EventOutcome) => void;
}): Promise<PlatformBackground> {
  const { config, dataSource, services, logger } = options;
  const relay = startOutboxRelay({
    dataSource,
    schema: 'platform',
    source: PLATFORM_EVENT_SOURCE,
    redisUrl: config.redisUrl,
    logger,
    prefix: config.queuePrefix,
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
  const started: { stop(): Promise<void> }[] = [relay];
  try {
    const consumer = await startEventConsumer({
      consumer: PLATFORM_EVENT_CONSUMER,
      dataSource,
      schema: 'platform',
      redisUrl: config.redisUrl,
      logger,
      prefix: config.queuePrefix,
      ...(options.onEventProcessed ? { onProcessed: options.onEventProcessed } : {}),
      handlers: {
        [AUDIT_RECORDED_EVENT]: (event, manager) => services.audit.recordFromEvent(manager, event),
        [RETENTION_APPLIED_EVENT]: (event, manager) => services.retention.applyResult(manager, event),
      },
    });
    started.unshift(consumer);
    const scheduler = config.retentionScheduleEnabled
      ? await startRetentionScheduler({
          redisUrl: config.redisUrl,
          prefix: config.queuePrefix,
          cron: config.retentionCron,
          dryRun: config.retentionScheduleDryRun,
          retention: services.retention,
          logger,
        })
      : null;
    return {
      relay,
      consumer,
      scheduler,
      async stop() {
        await scheduler?.stop();
        await consumer.stop();
        await relay.stop();
      },
    };
  } catch (error) {
    // A part that fails to start must not leave the ones before it polling (newest first).
    for (const part of started) await part.stop();
    throw error;
  }
}
