import { ConnectionArgs, ConnectionType } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CommunityMembership } from '../membership/membership.type.js';
import type { PointsAccountEntity, PointsLedgerEntity } from './engagement.entity.js';

export enum LeaderboardPeriodEnum {
  LAST_7_DAYS = 'LAST_7_DAYS',
  LAST_30_DAYS = 'LAST_30_DAYS',
  ALL_TIME = 'ALL_TIME',
}
registerEnumType(LeaderboardPeriodEnum, {
  name: 'LeaderboardPeriod',
  description:
    'LAST_7_DAYS / LAST_30_DAYS: the current UTC day and the 6 / 29 before it (turning at 00:00 UTC).',
});

export enum LeaderboardMetricEnum {
  POINTS = 'POINTS',
  STREAK = 'STREAK',
  ATTENDANCE = 'ATTENDANCE',
}
registerEnumType(LeaderboardMetricEnum, {
  name: 'LeaderboardMetric',
  description:
    'POINTS: net points (all time: the balance). STREAK: all time the longest streak, in a window the highest streak reached on one of its days. ATTENDANCE: event occurrences attended.',
});

export enum PointsReasonEnum {
  POST_CREATED = 'POST_CREATED',
  COMMENT_CREATED = 'COMMENT_CREATED',
  REACTION_RECEIVED = 'REACTION_RECEIVED',
  EVENT_ATTENDED = 'EVENT_ATTENDED',
  LESSON_COMPLETED = 'LESSON_COMPLETED',
  MODERATOR_AWARD = 'MODERATOR_AWARD',
}
registerEnumType(PointsReasonEnum, { name: 'PointsReason' });

@ObjectType('CommunityStreak', {
  description:
    'Consecutive local days (the member’s time zone) with a post, comment, attended event or lesson.',
})
export class CommunityStreak {
  @Field(() => Int, { description: 'Days in a row, still alive (0 once a local day was missed).' })
  current!: number;

  @Field(() => Int)
  longest!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Local date (YYYY-MM-DD) of the last activity counted.',
  })
  lastActiveOn!: string | null;

  @Field(() => String, { description: 'The IANA zone days are counted in.' })
  timeZone!: string;
}

@ObjectType('PointsLedgerEntry', { description: 'One award or deduction (entries are never changed).' })
export class PointsLedgerEntry {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Applied: a deduction is clamped so the balance never goes below 0.' })
  points!: number;

  @Field(() => Int, { description: 'Asked for (differs from `points` only for a clamped deduction).' })
  requestedPoints!: number;

  @Field(() => PointsReasonEnum)
  reason!: PointsReasonEnum;

  @Field(() => String, { nullable: true, description: 'The moderator’s note.' })
  note!: string | null;

  @Field(() => Int)
  balanceAfter!: number;

  @Field(() => Date, { description: 'When the activity happened.' })
  occurredAt!: Date;

  @Field(() => Date)
  createdAt!: Date;

  entity!: PointsLedgerEntity;

  static from(entity: PointsLedgerEntity): PointsLedgerEntry {
    return Object.assign(new PointsLedgerEntry(), {
      id: entity.id,
      points: entity.delta,
      requestedPoints: entity.requestedDelta,
      reason: entity.reason as PointsReasonEnum,
      note: entity.note,
      balanceAfter: entity.balanceAfter,
      occurredAt: entity.occurredAt,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

export const PointsLedgerEntryConnection = ConnectionType(PointsLedgerEntry, 'PointsLedgerEntry');

@ObjectType('CommunityPoints', { description: 'A member’s points, level and streak in one community.' })
export class CommunityPoints {
  @Field(() => ID)
  communityId!: string;

  @Field(() => Int, { description: 'Points held (never below 0).' })
  balance!: number;

  @Field(() => Int, {
    description: 'Points ever earned; levels follow them, so deductions never lower a level.',
  })
  lifetimePoints!: number;

  @Field(() => Int)
  level!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Lifetime points where the next level starts (null at the top).',
  })
  nextLevelAt!: number | null;

  @Field(() => Int, { description: 'Event occurrences attended.' })
  attendance!: number;

  @Field(() => CommunityStreak)
  streak!: CommunityStreak;

  userId!: string;
}

@ObjectType('LeaderboardEntry')
export class LeaderboardEntry {
  @Field(() => Int, { description: 'Equal scores share a rank (1, 2, 2, 4); their order is by user id.' })
  rank!: number;

  @Field(() => Int)
  score!: number;

  @Field(() => CommunityMembership)
  membership!: CommunityMembership;

  userId!: string;
}

@ObjectType('CommunityLeaderboard', {
  description: 'Active members with a score above 0, best first (at most 100).',
})
export class CommunityLeaderboard {
  @Field(() => LeaderboardPeriodEnum)
  period!: LeaderboardPeriodEnum;

  @Field(() => LeaderboardMetricEnum)
  metric!: LeaderboardMetricEnum;

  @Field(() => Date, { nullable: true, description: 'Start of the window (null for ALL_TIME).' })
  from!: Date | null;

  @Field(() => Date, { nullable: true, description: 'End of the window, exclusive (null for ALL_TIME).' })
  to!: Date | null;

  @Field(() => [LeaderboardEntry])
  entries!: LeaderboardEntry[];
}

@ArgsType()
export class LeaderboardArgs {
  @Field(() => LeaderboardPeriodEnum, { defaultValue: LeaderboardPeriodEnum.ALL_TIME })
  period!: LeaderboardPeriodEnum;

  @Field(() => LeaderboardMetricEnum, { defaultValue: LeaderboardMetricEnum.POINTS })
  metric!: LeaderboardMetricEnum;

  @Field(() => Int, { nullable: true, description: 'Rows (default 20, at most 100).' })
  first?: number | null;
}

@ArgsType()
export class PointsHistoryArgs extends ConnectionArgs {
  @Field(() => ID)
  communityId!: string;
}

@InputType('AwardPointsInput')
export class AwardPointsInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Int, { description: '−10,000…10,000, not 0; a deduction stops at a balance of 0.' })
  points!: number;

  @Field(() => String, { description: '1–500 characters, shown in the member’s history.' })
  note!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Repeating a request with the same key (1–100 characters) returns the first award.',
  })
  idempotencyKey?: string | null;
}

@ObjectType('AwardPointsPayload')
export class AwardPointsPayload {
  @Field(() => PointsLedgerEntry)
  entry!: PointsLedgerEntry;

  @Field(() => CommunityPoints)
  points!: CommunityPoints;

  @Field(() => Boolean, { description: 'The idempotency key was used before: nothing changed.' })
  duplicate!: boolean;
}

@InputType('SetMyCommunityTimeZoneInput')
export class SetMyCommunityTimeZoneInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { description: 'An IANA time zone, e.g. "Asia/Tokyo"; streak days count in it.' })
  timeZone!: string;
}

@ObjectType('RebuildCommunityLeaderboardsPayload')
export class RebuildCommunityLeaderboardsPayload {
  @Field(() => ID)
  communityId!: string;

  @Field(() => Int, { description: 'Points accounts read from PostgreSQL.' })
  accounts!: number;
}

/** A type from an account row (zeros when the member has none yet). */
export function pointsOf(
  communityId: string,
  userId: string,
  account: PointsAccountEntity | null,
  streak: CommunityStreak,
  nextLevelAt: number | null,
): CommunityPoints {
  return Object.assign(new CommunityPoints(), {
    communityId,
    userId,
    balance: account?.balance ?? 0,
    lifetimePoints: account?.lifetimePoints ?? 0,
    level: account?.level ?? 1,
    nextLevelAt,
    attendance: account?.attendanceCount ?? 0,
    streak,
  });
}
