import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PointsReason } from './engagement.config.js';

/** A member's points in one community (created with their first award). */
@Entity({ name: 'points_accounts' })
export class PointsAccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  /** Points held now: every applied delta summed; never negative. */
  @Column({ type: 'integer' })
  balance!: number;

  /** Points ever earned (positive deltas only): levels follow it, so a deduction never lowers a level. */
  @Column({ type: 'integer' })
  lifetimePoints!: number;

  @Column({ type: 'smallint' })
  level!: number;

  /** Event occurrences attended. */
  @Column({ type: 'integer' })
  attendanceCount!: number;

  @Column({ type: 'integer' })
  currentStreak!: number;

  @Column({ type: 'integer' })
  longestStreak!: number;

  /** Local calendar day (`YYYY-MM-DD`, member's zone at the time) of the last streak activity. */
  @Column({ type: 'date', nullable: true })
  lastActiveDay!: string | null;

  /** Incremented by every change; leaderboard caches keep the newest. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** One award or deduction (append-only). */
@Entity({ name: 'points_ledger' })
export class PointsLedgerEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  /** Applied change (a deduction is clamped so the balance stays ≥ 0). */
  @Column({ type: 'integer' })
  delta!: number;

  /** The change asked for. */
  @Column({ type: 'integer' })
  requestedDelta!: number;

  @Column({ type: 'text' })
  reason!: PointsReason;

  /** Idempotency key, unique per community: `post:<id>`, `reaction:POST:<id>:<user>`, `award:<id>`, … */
  @Column({ type: 'text' })
  sourceKey!: string;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'integer' })
  balanceAfter!: number;

  /** When the activity happened (the event's time). */
  @Column({ type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A member's totals for one UTC day (7- and 30-day leaderboards). */
@Entity({ name: 'engagement_days' })
export class EngagementDayEntity {
  @PrimaryColumn({ type: 'uuid' })
  communityId!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  /** Net points of the day (deductions included). */
  @Column({ type: 'integer' })
  points!: number;

  @Column({ type: 'integer' })
  attendance!: number;

  /** The highest streak the member reached that day. */
  @Column({ type: 'integer' })
  streak!: number;

  /** The account's version when this row last changed. */
  @Column({ type: 'integer' })
  version!: number;
}

export const engagementEntities = [PointsAccountEntity, PointsLedgerEntity, EngagementDayEntity];
