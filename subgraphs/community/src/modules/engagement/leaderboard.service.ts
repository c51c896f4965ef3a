import type { Logger } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { isUuid } from '../../common/validation.js';
import type { MembershipEntity } from '../membership/membership.entity.js';
import {
  LEADERBOARD_METRICS,
  type LeaderboardMetric,
  type LeaderboardStore,
  type MemberScores,
  type ScoreRow,
} from './leaderboard.store.js';
import { addDays, utcDay } from './streak.js';

const S = '"community"';
export const MAX_LEADERBOARD_ROWS = 100;

export const LEADERBOARD_PERIODS = ['LAST_7_DAYS', 'LAST_30_DAYS', 'ALL_TIME'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];

/** Days in a windowed period (the current UTC day and the ones before it). */
const PERIOD_DAYS: Record<LeaderboardPeriod, number | null> = {
  LAST_7_DAYS: 7,
  LAST_30_DAYS: 30,
  ALL_TIME: null,
};

export type LeaderboardRow = { rank: number; userId: string; score: number; membership: MembershipEntity };

export type Leaderboard = {
  period: LeaderboardPeriod;
  metric: LeaderboardMetric;
  /** First instant of the window (null for all time). */
  from: Date | null;
  /** First instant after the window (null for all time). */
  to: Date | null;
  rows: LeaderboardRow[];
  source: 'redis' | 'postgres';
};

/** Loads memberships of a page of users (the request's DataLoader). */
export type MembershipsOf = (userIds: readonly string[]) => Promise<(MembershipEntity | null)[]>;

/**
 * Leaderboards — POINTS (net points: the balance all time, the sum of the days in a window), STREAK
 * (the longest streak all time; in a window the highest streak reached on one of its days) and
 * ATTENDANCE (occurrences attended) — for all time or the last 7 or 30 UTC days (today included;
 * windows turn at 00:00 UTC). Only ACTIVE members with a score above 0; best first, equal scores by
 * user id (ascending); rank is shared by equal scores (1, 2, 2, 4). Served from Redis when it is
 * configured (built from PostgreSQL on first use, `rebuild` on demand), from PostgreSQL otherwise
 * or when Redis fails.
 */
export class LeaderboardService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: LeaderboardStore | null,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** The window's UTC days, newest first (null for all time). */
  windowDays(period: LeaderboardPeriod): string[] | null {
    const days = PERIOD_DAYS[period];
    if (days === null) return null;
    const today = utcDay(this.clock.now());
    return Array.from({ length: days }, (_, i) => addDays(today, -i));
  }

  async board(
    communityId: string,
    period: LeaderboardPeriod,
    metric: LeaderboardMetric,
    first: number,
    membershipsOf: MembershipsOf,
    options: { source?: 'redis' | 'postgres' } = {},
  ): Promise<Leaderboard> {
    const days = this.windowDays(period);
    const window = days
      ? {
          from: new Date(`${days.at(-1)!}T00:00:00Z`),
          to: new Date(`${addDays(days[0]!, 1)}T00:00:00Z`),
        }
      : { from: null, to: null };
    if (this.store && options.source !== 'postgres') {
      try {
        const rows = await this.fromRedis(this.store, communityId, metric, days, first, membershipsOf);
        return { period, metric, ...window, rows, source: 'redis' };
      } catch (error) {
        this.logger.warn(
          { err: error, communityId },
          'engagement: leaderboard from Redis failed, reading PostgreSQL',
        );
      }
    }
    const scores = await this.fromPostgres(communityId, metric, days, first);
    const memberships = await membershipsOf(scores.map((s) => s.userId));
    const rows = ranked(
      scores.flatMap((s, i) => {
        const membership = memberships[i];
        return membership?.status === 'ACTIVE' ? [{ ...s, membership }] : [];
      }),
    );
    return { period, metric, ...window, rows, source: 'postgres' };
  }

  /**
   * Reads best-first chunks from Redis, keeping ACTIVE members (former members keep their values in
   * Redis but are skipped), until `first` rows or the end of the board.
   */
  private async fromRedis(
    store: LeaderboardStore,
    communityId: string,
    metric: LeaderboardMetric,
    days: string[] | null,
    first: number,
    membershipsOf: MembershipsOf,
  ): Promise<LeaderboardRow[]> {
    if (!(await store.isBuilt(communityId))) await this.rebuild(communityId);
    const kept: (ScoreRow & { membership: MembershipEntity })[] = [];
    let offset = 0;
    const chunk = first;
    for (;;) {
      const page = await store.top(communityId, metric, days, offset, chunk);
      const memberships = await membershipsOf(page.map((r) => r.userId));
      page.forEach((row, i) => {
        const membership = memberships[i];
        if (membership?.status === 'ACTIVE' && kept.length < first) kept.push({ ...row, membership });
      });
      if (kept.length >= first || page.length < chunk) break;
      offset += chunk;
    }
    return ranked(kept);
  }

  /** The same board straight from PostgreSQL (the source of truth). */
  async fromPostgres(
    communityId: string,
    metric: LeaderboardMetric,
    days: string[] | null,
    first: number,
  ): Promise<ScoreRow[]> {
    if (!isUuid(communityId)) return [];
    const active = `JOIN ${S}.memberships m ON m.community_id = x.community_id AND m.user_id = x.user_id AND m.status = 'ACTIVE'`;
    let rows: { user_id: string; score: number }[];
    if (days === null) {
      const column = { POINTS: 'balance', STREAK: 'longest_streak', ATTENDANCE: 'attendance_count' }[metric];
      rows = await this.dataSource.query(
        `SELECT x.user_id, x.${column} AS score FROM ${S}.points_accounts x ${active}
         WHERE x.community_id = $1 AND x.${column} > 0
         ORDER BY x.${column} DESC, x.user_id LIMIT $2`,
        [communityId, first],
      );
    } else {
      const aggregate = { POINTS: 'SUM(x.points)', STREAK: 'MAX(x.streak)', ATTENDANCE: 'SUM(x.attendance)' }[
        metric
      ];
      rows = await this.dataSource.query(
        `SELECT x.user_id, ${aggregate}::int AS score FROM ${S}.engagement_days x ${active}
         WHERE x.community_id = $1 AND x.day BETWEEN $2::date AND $3::date
         GROUP BY x.user_id HAVING ${aggregate} > 0
         ORDER BY score DESC, x.user_id LIMIT $4`,
        [communityId, days.at(-1), days[0], first],
      );
    }
    return rows.map((r) => ({ userId: r.user_id, score: Number(r.score) }));
  }

  /**
   * Rebuilds a community's Redis boards from a consistent PostgreSQL snapshot (every account and the
   * retained days); values that change meanwhile are kept. Returns the number of accounts.
   */
  async rebuild(communityId: string): Promise<number> {
    const store = this.store;
    if (!store || !isUuid(communityId)) return 0;
    const days = store.windowDays(31);
    const snapshot = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const accounts: {
        user_id: string;
        balance: number;
        longest_streak: number;
        attendance_count: number;
        version: number;
      }[] = await manager.query(
        `SELECT user_id, balance, longest_streak, attendance_count, version
         FROM ${S}.points_accounts WHERE community_id = $1`,
        [communityId],
      );
      const dayRows: {
        user_id: string;
        day: string;
        points: number;
        attendance: number;
        streak: number;
        version: number;
      }[] = await manager.query(
        `SELECT user_id, to_char(day, 'YYYY-MM-DD') AS day, points, attendance, streak, version
         FROM ${S}.engagement_days WHERE community_id = $1 AND day >= $2::date`,
        [communityId, days.at(-1)],
      );
      const members = new Map<string, MemberScores>();
      for (const a of accounts)
        members.set(a.user_id, {
          communityId,
          userId: a.user_id,
          version: a.version,
          allTime: { POINTS: a.balance, STREAK: a.longest_streak, ATTENDANCE: a.attendance_count },
          days: [],
        });
      for (const d of dayRows)
        members.get(d.user_id)?.days.push({
          day: d.day,
          version: d.version,
          scores: { POINTS: d.points, STREAK: d.streak, ATTENDANCE: d.attendance },
        });
      return [...members.values()];
    });
    await store.replace(communityId, snapshot, days);
    return snapshot.length;
  }

  /** Every community with accounts (the CLI / a job after a Redis loss). */
  async rebuildAll(): Promise<{ communities: number; accounts: number }> {
    const ids: { community_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT community_id FROM ${S}.points_accounts ORDER BY community_id`,
    );
    let accounts = 0;
    for (const { community_id } of ids) accounts += await this.rebuild(community_id);
    return { communities: ids.length, accounts };
  }
}

/** Competition ranks over best-first rows: equal scores share a rank (1, 2, 2, 4). */
function ranked<T extends ScoreRow>(rows: T[]): (T & { rank: number })[] {
  let rank = 0;
  return rows.map((row, i) => {
    if (i === 0 || row.score !== rows[i - 1]!.score) rank = i + 1;
    return { ...row, rank };
  });
}

export { LEADERBOARD_METRICS };
