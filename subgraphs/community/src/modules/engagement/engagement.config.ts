import { EnvError, envInt, envOptional, type EnvRecord } from '@edugraph/kit';

/** Why points moved: one automatic reason per consumed event, or a moderator's award. */
export const POINTS_REASONS = [
  'POST_CREATED',
  'COMMENT_CREATED',
  'REACTION_RECEIVED',
  'EVENT_ATTENDED',
  'LESSON_COMPLETED',
  'MODERATOR_AWARD',
] as const;
export type PointsReason = (typeof POINTS_REASONS)[number];
export type AutomaticReason = Exclude<PointsReason, 'MODERATOR_AWARD'>;

/** Points of each automatic award. */
export type PointValues = Record<AutomaticReason, number>;

export const DEFAULT_POINT_VALUES: PointValues = {
  POST_CREATED: 10,
  COMMENT_CREATED: 3,
  REACTION_RECEIVED: 1,
  EVENT_ATTENDED: 25,
  LESSON_COMPLETED: 15,
};

/** Lifetime points at which levels 1, 2, 3, … start (the first is always 0). */
export const DEFAULT_LEVEL_THRESHOLDS: readonly number[] = [0, 500, 1500, 4000, 8000];

/** A moderator's award (or deduction) is at most this many points either way. */
export const MAX_MODERATOR_AWARD = 10_000;
/** An automatic award's configured value is at most this (the ledger's delta range). */
export const MAX_AUTOMATIC_POINTS = 10_000;

export type EngagementConfig = {
  points: PointValues;
  levelThresholds: readonly number[];
};

export const DEFAULT_ENGAGEMENT_CONFIG: EngagementConfig = {
  points: DEFAULT_POINT_VALUES,
  levelThresholds: DEFAULT_LEVEL_THRESHOLDS,
};

const POINT_ENV: Record<AutomaticReason, string> = {
  POST_CREATED: 'COMMUNITY_POINTS_POST_CREATED',
  COMMENT_CREATED: 'COMMUNITY_POINTS_COMMENT_CREATED',
  REACTION_RECEIVED: 'COMMUNITY_POINTS_REACTION_RECEIVED',
  EVENT_ATTENDED: 'COMMUNITY_POINTS_EVENT_ATTENDED',
  LESSON_COMPLETED: 'COMMUNITY_POINTS_LESSON_COMPLETED',
};

/** `0,500,1500` → thresholds; the first must be 0, then strictly increasing, at most 50 levels. */
export function parseLevelThresholds(raw: string): number[] {
  const values = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map(Number);
  const valid =
    values.length >= 1 &&
    values.length <= 50 &&
    values[0] === 0 &&
    values.every((v, i) => Number.isSafeInteger(v) && v >= 0 && (i === 0 || v > values[i - 1]!));
  if (!valid)
    throw new EnvError(
      'COMMUNITY_LEVEL_THRESHOLDS must be increasing lifetime points starting at 0, e.g. "0,500,1500,4000,8000".',
    );
  return values;
}

/**
 * `COMMUNITY_POINTS_POST_CREATED` (10), `COMMUNITY_POINTS_COMMENT_CREATED` (3),
 * `COMMUNITY_POINTS_REACTION_RECEIVED` (1), `COMMUNITY_POINTS_EVENT_ATTENDED` (25),
 * `COMMUNITY_POINTS_LESSON_COMPLETED` (15) — each 0–10,000 — and `COMMUNITY_LEVEL_THRESHOLDS`
 * (`0,500,1500,4000,8000`).
 */
export function readEngagementConfig(env: EnvRecord): EngagementConfig {
  const points = { ...DEFAULT_POINT_VALUES };
  for (const reason of Object.keys(POINT_ENV) as AutomaticReason[])
    points[reason] = envInt(env, POINT_ENV[reason], DEFAULT_POINT_VALUES[reason], {
      min: 0,
      max: MAX_AUTOMATIC_POINTS,
    });
  const thresholds = envOptional(env, 'COMMUNITY_LEVEL_THRESHOLDS');
  return {
    points,
    levelThresholds: thresholds ? parseLevelThresholds(thresholds) : DEFAULT_LEVEL_THRESHOLDS,
  };
}

/** The level of a lifetime total: 1 + the number of thresholds above 0 it reached. */
export function levelFor(lifetimePoints: number, thresholds: readonly number[]): number {
  let level = 0;
  for (const threshold of thresholds) if (lifetimePoints >= threshold) level += 1;
  return Math.max(level, 1);
}

/** Lifetime points where the next level starts (null at the top level). */
export function nextLevelAt(lifetimePoints: number, thresholds: readonly number[]): number | null {
  return thresholds.find((t) => t > lifetimePoints) ?? null;
}
