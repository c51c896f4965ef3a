import { randomBytes } from 'node:crypto';
import type { Redis } from '@edugraph/kit';
import type { Clock } from '../../common/clock.js';
import { addDays, utcDay } from './streak.js';

export const LEADERBOARD_METRICS = ['POINTS', 'STREAK', 'ATTENDANCE'] as const;
export type LeaderboardMetric = (typeof LEADERBOARD_METRICS)[number];

/** Daily sets are kept this many days (the longest window is 30 days). */
export const DAILY_RETENTION_DAYS = 31;

/** One member's values: all-time scores and, for some UTC days, that day's scores (absolute, versioned). */
export type MemberScores = {
  communityId: string;
  userId: string;
  /** The account version these values belong to (newer versions win in Redis). */
  version: number;
  allTime: Record<LeaderboardMetric, number>;
  days: { day: string; version: number; scores: Record<LeaderboardMetric, number> }[];
};

export type ScoreRow = { userId: string; score: number };

/**
 * Writes the newest values only: a member's score in a set changes when the version is above the one
 * the set holds for them (`<set>:v` hash), so writes that arrive out of order cannot go back in time.
 */
const WRITE_NEWER = `
local member = ARGV[1]
local version = tonumber(ARGV[2])
local written = 0
for i = 1, #KEYS / 2 do
  local set = KEYS[2 * i - 1]
  local versions = KEYS[2 * i]
  local score = ARGV[2 * i + 1]
  local ttl = tonumber(ARGV[2 * i + 2])
  local current = redis.call('HGET', versions, member)
  if (not current) or tonumber(current) < version then
    redis.call('ZADD', set, score, member)
    redis.call('HSET', versions, member, version)
    written = written + 1
  end
  if ttl > 0 then
    redis.call('PEXPIRE', set, ttl)
    redis.call('PEXPIRE', versions, ttl)
  end
end
return written`;

/**
 * Replaces a set by its rebuilt copy, keeping what changed in the meantime: members whose live
 * version is above the rebuilt one (written after the PostgreSQL snapshot) are carried over.
 */
const SWAP_REBUILT = `
local live = redis.call('HGETALL', KEYS[2])
for i = 1, #live, 2 do
  local member = live[i]
  local version = tonumber(live[i + 1])
  local rebuilt = tonumber(redis.call('HGET', KEYS[4], member) or '-1')
  if version > rebuilt then
    local score = redis.call('ZSCORE', KEYS[1], member)
    if score then
      redis.call('ZADD', KEYS[3], score, member)
      redis.call('HSET', KEYS[4], member, version)
    end
  end
end
for i = 0, 1 do
  if redis.call('EXISTS', KEYS[3 + i]) == 1 then
    redis.call('RENAME', KEYS[3 + i], KEYS[1 + i])
    local ttl = tonumber(ARGV[1])
    if ttl > 0 then redis.call('PEXPIRE', KEYS[1 + i], ttl) else redis.call('PERSIST', KEYS[1 + i]) end
  else
    redis.call('DEL', KEYS[1 + i])
  end
end
return 1`;

/**
 * Leaderboards in Redis sorted sets, one per community and metric for all time and one per UTC day
 * (kept 31 days); a 7- or 30-day board is the union of its days (sum, or the highest streak).
 * Scores are stored negated so that ascending order is best first and equal scores come in member
 * (user id) order — the documented tie-break. PostgreSQL stays the source of truth: everything here
 * can be rebuilt from it (`LeaderboardService.rebuild`).
 */
export class LeaderboardStore {
  constructor(
    private readonly redis: Redis,
    /** `<QUEUE_PREFIX>:community:lb` */
    private readonly prefix: string,
    private readonly clock: Clock,
  ) {}

  private base(communityId: string): string {
    return `${this.prefix}:${communityId}`;
  }

  key(communityId: string, metric: LeaderboardMetric, day: string | null): string {
    return `${this.base(communityId)}:${metric.toLowerCase()}:${day ?? 'all'}`;
  }

  private builtKey(communityId: string): string {
    return `${this.base(communityId)}:built`;
  }

  /** Milliseconds a daily set of `day` is still needed (0: outside the retention, do not write). */
  private ttlOf(day: string): number {
    const expires = Date.parse(`${addDays(day, DAILY_RETENTION_DAYS)}T00:00:00Z`);
    return Math.max(0, expires - this.clock.now().getTime());
  }

  /** The UTC days of the window ending today (`days` of them). */
  windowDays(days: number): string[] {
    const today = utcDay(this.clock.now());
    return Array.from({ length: days }, (_, i) => addDays(today, -i));
  }

  /** Writes members' newest values (version-gated; safe to repeat or reorder). */
  async write(members: readonly MemberScores[]): Promise<void> {
    if (members.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const m of members) {
      const keys: string[] = [];
      const args: (string | number)[] = [m.userId, m.version];
      for (const metric of LEADERBOARD_METRICS) {
        const key = this.key(m.communityId, metric, null);
        keys.push(key, `${key}:v`);
        args.push(-m.allTime[metric], 0);
      }
      pipeline.eval(WRITE_NEWER, keys.length, ...keys, ...args);
      for (const d of m.days) {
        const ttl = this.ttlOf(d.day);
        if (ttl <= 0) continue;
        const dayKeys: string[] = [];
        const dayArgs: (string | number)[] = [m.userId, d.version];
        for (const metric of LEADERBOARD_METRICS) {
          const key = this.key(m.communityId, metric, d.day);
          dayKeys.push(key, `${key}:v`);
          dayArgs.push(-d.scores[metric], ttl);
        }
        pipeline.eval(WRITE_NEWER, dayKeys.length, ...dayKeys, ...dayArgs);
      }
    }
    await exec(pipeline);
  }

  async isBuilt(communityId: string): Promise<boolean> {
    return (await this.redis.exists(this.builtKey(communityId))) === 1;
  }

  /**
   * Replaces the community's sets by a PostgreSQL snapshot (every account, the daily rows of the
   * retained days), keeping values written after the snapshot, then marks the community built.
   */
  async replace(
    communityId: string,
    snapshot: readonly MemberScores[],
    days: readonly string[],
  ): Promise<void> {
    const token = randomBytes(6).toString('hex');
    const sets = new Map<string, { live: string; ttl: number }>();
    const fill = this.redis.pipeline();
    const stage = (live: string, ttl: number, member: string, score: number, version: number) => {
      const temp = `${live}:rebuild:${token}`;
      if (!sets.has(temp)) sets.set(temp, { live, ttl });
      fill.zadd(temp, -score, member);
      fill.hset(`${temp}:v`, member, version);
      fill.pexpire(temp, 300_000);
      fill.pexpire(`${temp}:v`, 300_000);
    };
    const retained = new Set(days.filter((d) => this.ttlOf(d) > 0));
    for (const m of snapshot) {
      for (const metric of LEADERBOARD_METRICS)
        stage(this.key(communityId, metric, null), 0, m.userId, m.allTime[metric], m.version);
      for (const d of m.days) {
        if (!retained.has(d.day)) continue;
        for (const metric of LEADERBOARD_METRICS)
          stage(
            this.key(communityId, metric, d.day),
            this.ttlOf(d.day),
            m.userId,
            d.scores[metric],
            d.version,
          );
      }
    }
    await exec(fill);
    const swap = this.redis.pipeline();
    const swapped = new Set<string>();
    const swapOne = (live: string, temp: string, ttl: number) => {
      swapped.add(live);
      swap.eval(SWAP_REBUILT, 4, live, `${live}:v`, temp, `${temp}:v`, ttl);
    };
    for (const [temp, { live, ttl }] of sets) swapOne(live, temp, ttl);
    // Sets with nothing in the snapshot: emptied (but for values written after it).
    for (const metric of LEADERBOARD_METRICS)
      for (const day of [null, ...retained]) {
        const live = this.key(communityId, metric, day);
        if (!swapped.has(live)) swapOne(live, `${live}:rebuild:${token}`, day === null ? 0 : this.ttlOf(day));
      }
    swap.set(this.builtKey(communityId), this.clock.now().toISOString());
    await exec(swap);
  }

  /**
   * Best first: `count` rows from `offset` of the all-time set (`days` null) or of the union of the
   * daily sets; only scores above 0. Ties in user id order.
   */
  async top(
    communityId: string,
    metric: LeaderboardMetric,
    days: readonly string[] | null,
    offset: number,
    count: number,
  ): Promise<ScoreRow[]> {
    if (days === null) return this.range(this.key(communityId, metric, null), offset, count);
    const temp = `${this.base(communityId)}:union:${randomBytes(6).toString('hex')}`;
    const keys = days.map((d) => this.key(communityId, metric, d));
    const union = this.redis.multi();
    // Negated scores: the highest streak is the lowest stored value.
    if (metric === 'STREAK') union.zunionstore(temp, keys.length, ...keys, 'AGGREGATE', 'MIN');
    else union.zunionstore(temp, keys.length, ...keys);
    union.pexpire(temp, 30_000);
    await exec(union);
    try {
      return await this.range(temp, offset, count);
    } finally {
      await this.redis.del(temp);
    }
  }

  private async range(key: string, offset: number, count: number): Promise<ScoreRow[]> {
    const flat = await this.redis.zrangebyscore(key, '-inf', '(0', 'WITHSCORES', 'LIMIT', offset, count);
    const rows: ScoreRow[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) rows.push({ userId: flat[i]!, score: -Number(flat[i + 1]) });
    return rows;
  }

  /** Every key of a community (tests, and to drop a community's boards). */
  async drop(communityId: string): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(
        cursor,
        'MATCH',
        `${this.base(communityId)}:*`,
        'COUNT',
        500,
      );
      if (keys.length > 0) await this.redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}

type Commands = ReturnType<Redis['pipeline']>;

async function exec(pipeline: Commands): Promise<void> {
  const results = await pipeline.exec();
  const failure = results?.find(([error]) => error);
  if (failure?.[0]) throw failure[0];
}
