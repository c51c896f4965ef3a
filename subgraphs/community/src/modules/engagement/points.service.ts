import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  paginate,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { COMMUNITY_MEMBER_LEVEL_UP, recordCommunityEvent } from '../../common/community-events.js';
import { assertUuid, isUuid, text } from '../../common/validation.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { MembershipEntity } from '../membership/membership.entity.js';
import {
  levelFor,
  MAX_MODERATOR_AWARD,
  type AutomaticReason,
  type EngagementConfig,
  type PointsReason,
} from './engagement.config.js';
import { PointsAccountEntity, PointsLedgerEntity } from './engagement.entity.js';
import { IdempotencyKeyReusedError, RecipientNotMemberError, SelfAwardError } from './engagement.errors.js';
import type { LeaderboardSync } from './leaderboard-sync.js';
import { applyActivity, localDay, utcDay } from './streak.js';

const S = '"community"';
export const NOTE_MAX = 500;

/** One change of a member's points. */
export type PointsChange = {
  communityId: string;
  userId: string;
  reason: PointsReason;
  /** Points asked for; a deduction below the balance is clamped to it (the balance never goes negative). */
  points: number;
  /** Unique per community: the same key never counts twice. */
  sourceKey: string;
  /** When the activity happened (streak day, daily leaderboard bucket). */
  occurredAt: Date;
  actorId?: string | null;
  note?: string | null;
  /** The activity continues the member's streak (their own posts, comments, attendance, lessons). */
  streak?: boolean;
  /** The activity is an attended event occurrence. */
  attendance?: boolean;
};

export type PointsChangeResult = {
  entry: PointsLedgerEntity;
  account: PointsAccountEntity;
  /** Set when the level went up. */
  levelUp: { from: number; to: number } | null;
};

export type ModeratorAward = {
  communityId: string;
  userId: string;
  points: number;
  note: string;
  idempotencyKey?: string | null;
};

/** What each automatic reason does besides its points. */
const AUTOMATIC: Record<AutomaticReason, { streak: boolean; attendance: boolean }> = {
  POST_CREATED: { streak: true, attendance: false },
  COMMENT_CREATED: { streak: true, attendance: false },
  REACTION_RECEIVED: { streak: false, attendance: false },
  EVENT_ATTENDED: { streak: true, attendance: true },
  LESSON_COMPLETED: { streak: true, attendance: false },
};

/**
 * The points ledger and accounts. Every change — automatic (consumed events) or a moderator's — goes
 * through `apply` in the caller's transaction: the ledger entry (once per `sourceKey`), the account
 * (balance, lifetime points, level, attendance, streak, version) and the day's totals change together
 * under the account's row lock; a level crossed records `community.member.level_up`; the leaderboards
 * in Redis follow after the commit.
 */
export class PointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
    private readonly config: EngagementConfig,
    private readonly sync: LeaderboardSync,
  ) {}

  get settings(): EngagementConfig {
    return this.config;
  }

  /**
   * Applies one change for a member whose days count in `timeZone`. Null when `sourceKey` was
   * already used in the community (nothing changes).
   */
  async apply(
    manager: EntityManager,
    change: PointsChange,
    timeZone: string,
  ): Promise<PointsChangeResult | null> {
    const now = this.clock.now();
    const { communityId, userId } = change;
    await manager.query(
      `INSERT INTO ${S}.points_accounts (community_id, user_id, created_at, updated_at)
       VALUES ($1, $2, $3, $3) ON CONFLICT DO NOTHING`,
      [communityId, userId, now],
    );
    const account = await manager
      .getRepository(PointsAccountEntity)
      .createQueryBuilder('a')
      .setLock('pessimistic_write')
      .where('a.community_id = :communityId AND a.user_id = :userId', { communityId, userId })
      .getOneOrFail();
    const delta = change.points < 0 ? Math.max(change.points, -account.balance) : change.points;
    const entry = Object.assign(new PointsLedgerEntity(), {
      id: randomUUID(),
      communityId,
      userId,
      delta,
      requestedDelta: change.points,
      reason: change.reason,
      sourceKey: change.sourceKey,
      actorId: change.actorId ?? null,
      note: change.note ?? null,
      balanceAfter: account.balance + delta,
      occurredAt: change.occurredAt,
      createdAt: now,
    });
    const inserted: unknown[] = await manager.query(
      `INSERT INTO ${S}.points_ledger
         (id, community_id, user_id, delta, requested_delta, reason, source_key, actor_id, note, balance_after,
          occurred_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT ON CONSTRAINT uq_points_ledger_source DO NOTHING RETURNING id`,
      [
        entry.id,
        communityId,
        userId,
        entry.delta,
        entry.requestedDelta,
        entry.reason,
        entry.sourceKey,
        entry.actorId,
        entry.note,
        entry.balanceAfter,
        entry.occurredAt,
        now,
      ],
    );
    if (inserted.length === 0) return null;

    const previousLevel = account.level;
    const streak = change.streak
      ? applyActivity(
          {
            current: account.currentStreak,
            longest: account.longestStreak,
            lastActiveDay: account.lastActiveDay,
          },
          localDay(change.occurredAt, timeZone),
        )
      : null;
    Object.assign(account, {
      balance: entry.balanceAfter,
      lifetimePoints: account.lifetimePoints + Math.max(delta, 0),
      attendanceCount: account.attendanceCount + (change.attendance ? 1 : 0),
      version: account.version + 1,
      updatedAt: now,
      ...(streak
        ? {
            currentStreak: streak.current,
            longestStreak: streak.longest,
            lastActiveDay: streak.lastActiveDay,
          }
        : {}),
    });
    account.level = levelFor(account.lifetimePoints, this.config.levelThresholds);
    await manager.getRepository(PointsAccountEntity).update(
      { communityId, userId },
      {
        balance: account.balance,
        lifetimePoints: account.lifetimePoints,
        level: account.level,
        attendanceCount: account.attendanceCount,
        currentStreak: account.currentStreak,
        longestStreak: account.longestStreak,
        lastActiveDay: account.lastActiveDay,
        version: account.version,
        updatedAt: now,
      },
    );

    const day = utcDay(change.occurredAt);
    const [totals] = (await manager.query(
      `INSERT INTO ${S}.engagement_days (community_id, day, user_id, points, attendance, streak, version)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (community_id, day, user_id) DO UPDATE SET
         points = engagement_days.points + EXCLUDED.points,
         attendance = engagement_days.attendance + EXCLUDED.attendance,
         streak = GREATEST(engagement_days.streak, EXCLUDED.streak),
         version = EXCLUDED.version
       RETURNING points, attendance, streak`,
      [
        communityId,
        day,
        userId,
        delta,
        change.attendance ? 1 : 0,
        streak ? streak.current : 0,
        account.version,
      ],
    )) as { points: number; attendance: number; streak: number }[];

    const levelUp = account.level > previousLevel ? { from: previousLevel, to: account.level } : null;
    if (levelUp)
      await recordCommunityEvent(manager, COMMUNITY_MEMBER_LEVEL_UP, {
        communityId,
        userId,
        previousLevel,
        level: account.level,
        lifetimePoints: account.lifetimePoints,
        reachedAt: now.toISOString(),
      });
    this.sync.queue(manager, {
      communityId,
      userId,
      version: account.version,
      allTime: {
        POINTS: account.balance,
        STREAK: account.longestStreak,
        ATTENDANCE: account.attendanceCount,
      },
      days: [
        {
          day,
          version: account.version,
          scores: {
            POINTS: totals?.points ?? 0,
            STREAK: totals?.streak ?? 0,
            ATTENDANCE: totals?.attendance ?? 0,
          },
        },
      ],
    });
    return { entry, account, levelUp };
  }

  /**
   * An automatic award for an activity (consumed event), in the inbox transaction: the configured
   * points for `reason` to an ACTIVE member (others get nothing). Null when not awarded.
   */
  async awardAutomatic(
    manager: EntityManager,
    award: {
      communityId: string;
      userId: string;
      reason: AutomaticReason;
      sourceKey: string;
      occurredAt: Date;
    },
  ): Promise<PointsChangeResult | null> {
    if (!isUuid(award.communityId) || !isUuid(award.userId)) return null;
    const membership = await manager
      .getRepository(MembershipEntity)
      .findOneBy({ communityId: award.communityId, userId: award.userId });
    if (membership?.status !== 'ACTIVE') return null;
    return this.apply(
      manager,
      { ...award, points: this.config.points[award.reason], ...AUTOMATIC[award.reason] },
      membership.timeZone,
    );
  }

  /**
   * A moderator's award or deduction (POINTS_AWARD), −10,000…10,000 and not 0, with a note of 1–500
   * characters, to another ACTIVE member; a deduction also needs a rank above the member's and is
   * clamped so the balance stays ≥ 0. With an idempotency key, repeating the request returns the
   * first entry (`duplicate`).
   */
  async awardByModerator(
    viewer: Viewer,
    input: ModeratorAward,
  ): Promise<{
    entry: PointsLedgerEntity;
    account: PointsAccountEntity;
    timeZone: string;
    duplicate: boolean;
  }> {
    const communityId = assertUuid(input.communityId, 'communityId');
    const userId = assertUuid(input.userId, 'userId');
    const points = input.points;
    if (!Number.isInteger(points) || points === 0 || Math.abs(points) > MAX_MODERATOR_AWARD)
      throw new BadUserInputError(
        `"points" must be a whole number between -${MAX_MODERATOR_AWARD} and ${MAX_MODERATOR_AWARD}, not 0.`,
        'points',
      );
    const note = text(input.note, 'note', 1, NOTE_MAX);
    const key = input.idempotencyKey == null ? null : text(input.idempotencyKey, 'idempotencyKey', 1, 100);
    return this.dataSource.transaction(async (manager) => {
      const context = await this.access.require(viewer, communityId, 'POINTS_AWARD', { manager });
      if (userId === viewer.userId) throw new SelfAwardError();
      const target = await this.access.membership(userId, communityId, { manager });
      if (target?.status !== 'ACTIVE') throw new RecipientNotMemberError();
      if (points < 0) this.access.requireOver(context, target);
      const sourceKey = key ? `award:${viewer.userId}:${key}` : `award:${randomUUID()}`;
      const result = await this.apply(
        manager,
        {
          communityId,
          userId,
          reason: 'MODERATOR_AWARD',
          points,
          sourceKey,
          occurredAt: this.clock.now(),
          actorId: viewer.userId,
          note,
        },
        target.timeZone,
      );
      const timeZone = target.timeZone;
      if (result) return { entry: result.entry, account: result.account, timeZone, duplicate: false };
      const entry = await manager
        .getRepository(PointsLedgerEntity)
        .findOneByOrFail({ communityId, sourceKey });
      if (entry.userId !== userId || entry.requestedDelta !== points || entry.note !== note)
        throw new IdempotencyKeyReusedError();
      const account = await manager
        .getRepository(PointsAccountEntity)
        .findOneByOrFail({ communityId, userId });
      return { entry, account, timeZone, duplicate: true };
    });
  }

  /** A member's ledger, newest first (keyset pages, `first` ≤ 100). */
  async history(
    communityId: string,
    userId: string,
    args: ConnectionArgs,
  ): Promise<Connection<PointsLedgerEntity>> {
    const qb = this.dataSource
      .getRepository(PointsLedgerEntity)
      .createQueryBuilder('e')
      .where('e.community_id = :communityId AND e.user_id = :userId', { communityId, userId });
    return paginate(qb, args, { alias: 'e', sortBy: 'createdAt', direction: 'DESC' });
  }

  /** Accounts for `communityId|userId` keys (DataLoader batches). */
  async accountsByKeys(keys: readonly string[]): Promise<PointsAccountEntity[]> {
    const pairs = keys.map((k) => k.split('|')).filter((p): p is [string, string] => p.length === 2);
    const valid = pairs.filter(([c, u]) => isUuid(c) && isUuid(u));
    if (valid.length === 0) return [];
    return this.dataSource
      .getRepository(PointsAccountEntity)
      .createQueryBuilder('a')
      .where(
        '(a.community_id, a.user_id) IN (SELECT * FROM unnest(CAST(:communities AS uuid[]), CAST(:users AS uuid[])))',
        { communities: valid.map(([c]) => c), users: valid.map(([, u]) => u) },
      )
      .getMany();
  }
}
