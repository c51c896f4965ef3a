import { byKey, type DomainEventHandler, type LoaderFactory, type Logger, type Redis } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { DEFAULT_ENGAGEMENT_CONFIG, type EngagementConfig } from './engagement.config.js';
import type { PointsAccountEntity } from './engagement.entity.js';
import { engagementEventHandlers } from './engagement.handlers.js';
import { LeaderboardSync } from './leaderboard-sync.js';
import { LeaderboardService } from './leaderboard.service.js';
import { LeaderboardStore } from './leaderboard.store.js';
import { PointsService } from './points.service.js';

export type EngagementModuleOptions = Partial<EngagementConfig> & {
  /** Redis for the leaderboards (without it they are read from PostgreSQL). */
  redis?: Redis | null;
  /** `QUEUE_PREFIX` (default `edugraph`): leaderboard keys are `<prefix>:community:lb:<communityId>:…`. */
  prefix?: string;
};

/** The engagement module's services (`services.engagement`). */
export type EngagementModule = {
  points: PointsService;
  leaderboards: LeaderboardService;
  config: EngagementConfig;
  /** Prefix of the leaderboard keys in Redis. */
  keyPrefix: string;
  /** Handlers of the consumed events (consumer `community-engagement`). */
  eventHandlers(): Record<string, DomainEventHandler>;
};

export type EngagementLoaders = {
  /** `communityId|userId` → the member's points account (null before their first points). */
  account: LoaderFactory<string, PointsAccountEntity | null>;
};

export function createEngagementModule(
  dataSource: DataSource,
  access: CommunityAccess,
  clock: Clock,
  logger: Logger,
  options: EngagementModuleOptions = {},
): { module: EngagementModule; loaders: EngagementLoaders } {
  const config: EngagementConfig = {
    points: options.points ?? DEFAULT_ENGAGEMENT_CONFIG.points,
    levelThresholds: options.levelThresholds ?? DEFAULT_ENGAGEMENT_CONFIG.levelThresholds,
  };
  const keyPrefix = `${options.prefix ?? 'edugraph'}:community:lb`;
  const store = options.redis ? new LeaderboardStore(options.redis, keyPrefix, clock) : null;
  const sync = new LeaderboardSync(dataSource, store, logger);
  const points = new PointsService(dataSource, access, clock, config, sync);
  const leaderboards = new LeaderboardService(dataSource, store, clock, logger);
  return {
    module: {
      points,
      leaderboards,
      config,
      keyPrefix,
      eventHandlers: () => engagementEventHandlers(points, clock),
    },
    loaders: {
      account: () =>
        new DataLoader(async (keys) =>
          byKey(keys, await points.accountsByKeys(keys), (a) => `${a.communityId}|${a.userId}`),
        ),
    },
  };
}
