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
import { readEngagementConfig, type EngagementConfig } from './modules/engagement/engagement.config.js';

export const COMMUNITY_DEFAULT_PORT = 4007;
export const COMMUNITY_SCHEMA = 'community';

export type CommunityConfig = CommonSubgraphConfig & {
  /** Prefix of BullMQ queues and event routing keys (`QUEUE_PREFIX`, default `edugraph`). */
  queuePrefix: string;
  /** Start the outbox relay and event consumers (`COMMUNITY_BACKGROUND_JOBS`, default true). */
  backgroundJobs: boolean;
  /** Communities one user may own (`COMMUNITY_MAX_OWNED`, default 20). */
  maxOwnedCommunities: number;
  /** Origin clients reach this subgraph's `/ics/...` calendar feeds at (`COMMUNITY_PUBLIC_URL`; default: the listening URL). */
  publicUrl: string | undefined;
  /** HMAC key of calendar-feed tokens (`COMMUNITY_CALENDAR_SECRET`; required in production). */
  calendarSecret: string | undefined;
  /** `COMMUNITY_EVENT_PAGE_URL`: web page of an event for ICS `URL` (`{communityId}`, `{eventId}` placeholders). */
  eventPageUrl: string | undefined;
  /** `COMMUNITY_EVENT_REMINDER_OFFSETS`: minutes before an occurrence, comma-separated (default `1440,60`). */
  reminderOffsetsMinutes: number[];
  /** `COMMUNITY_EVENT_REMINDER_EVERY_SECONDS`: how often due reminders are looked for (default 60). */
  reminderEverySeconds: number;
  /** Point values (`COMMUNITY_POINTS_*`) and level thresholds (`COMMUNITY_LEVEL_THRESHOLDS`). */
  engagement: EngagementConfig;
  /** `COMMUNITY_FEED_PUBLISH_EVERY_SECONDS`: how often scheduled posts due are announced (default 15). */
  feedPublishEverySeconds: number;
};

function parseOffsets(raw: string): number[] {
  const offsets = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map(Number);
  if (offsets.some((m) => !Number.isInteger(m) || m < 1 || m > 30 * 24 * 60))
    throw new EnvError('COMMUNITY_EVENT_REMINDER_OFFSETS must be minutes (1–43200), comma-separated.');
  return offsets;
}

export function readCommunityConfig(env: EnvRecord = process.env): CommunityConfig {
  const common = readCommonSubgraphConfig(env, { port: COMMUNITY_DEFAULT_PORT });
  return {
    ...common,
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'edugraph'),
    backgroundJobs: envBool(env, 'COMMUNITY_BACKGROUND_JOBS', true),
    maxOwnedCommunities: envInt(env, 'COMMUNITY_MAX_OWNED', 20, { min: 1, max: 10_000 }),
    ...readEventsConfig(env, common.nodeEnv === 'production'),
    engagement: readEngagementConfig(env),
    feedPublishEverySeconds: envInt(env, 'COMMUNITY_FEED_PUBLISH_EVERY_SECONDS', 15, { min: 1, max: 3600 }),
  };
}

/** The process environment, for entry points (`main.ts`); everything else receives a typed config. */
export function processEnvironment(): EnvRecord {
  return process.env;
}

function readEventsConfig(env: EnvRecord, production: boolean) {
  const calendarSecret = envOptional(env, 'COMMUNITY_CALENDAR_SECRET');
  if (production && !calendarSecret)
    throw new EnvError('COMMUNITY_CALENDAR_SECRET is required in production (it signs calendar-feed URLs).');
  const publicUrl = envOptional(env, 'COMMUNITY_PUBLIC_URL');
  return {
    publicUrl: publicUrl ? new URL(publicUrl).toString() : undefined,
    calendarSecret,
    eventPageUrl: envOptional(env, 'COMMUNITY_EVENT_PAGE_URL'),
    reminderOffsetsMinutes: parseOffsets(envString(env, 'COMMUNITY_EVENT_REMINDER_OFFSETS', '1440,60')),
    reminderEverySeconds: envInt(env, 'COMMUNITY_EVENT_REMINDER_EVERY_SECONDS', 60, { min: 1, max: 3600 }),
  };
}
