import { Column, Entity, PrimaryColumn } from 'typeorm';

export const MODERATION_TARGET_TYPES = ['POST', 'COMMENT', 'MEMBER'] as const;
export type ModerationTargetType = (typeof MODERATION_TARGET_TYPES)[number];
export const REPORT_REASONS = [
  'SPAM',
  'HARASSMENT',
  'HATE',
  'VIOLENCE',
  'SEXUAL',
  'MISINFORMATION',
  'OFF_TOPIC',
  'OTHER',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export type CaseStatus = 'OPEN' | 'RESOLVED';
export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type FlagKind = 'BAD_WORDS' | 'LINK_SPAM';
/** What moderators do (input). */
export const MODERATION_ACTIONS = ['APPROVE', 'REJECT', 'SUPPRESS', 'RESTORE', 'MUTE', 'BAN'] as const;
export type ModeratorAction = (typeof MODERATION_ACTIONS)[number];
/** What the audit records: moderators' actions, the automatic suppression and undos. */
export type ModerationActionKind = ModeratorAction | 'AUTO_SUPPRESS' | 'UNDO';

/** A community's additions to the default bad-word list. */
@Entity({ name: 'moderation_settings' })
export class ModerationSettingsEntity {
  @PrimaryColumn({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'text', array: true })
  badWords!: string[];

  @Column({ type: 'uuid', nullable: true })
  updatedById!: string | null;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Everything about one reported or flagged post, comment or member. */
@Entity({ name: 'moderation_cases' })
export class ModerationCaseEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'text' })
  targetType!: ModerationTargetType;

  @Column({ type: 'uuid' })
  targetId!: string;

  /** The author (posts, comments) or the member. */
  @Column({ type: 'uuid', nullable: true })
  targetUserId!: string | null;

  /** A comment's post. */
  @Column({ type: 'uuid', nullable: true })
  postId!: string | null;

  /** Plain text of the content when the case opened (≤ 280 characters). */
  @Column({ type: 'text' })
  excerpt!: string;

  @Column({ type: 'text' })
  status!: CaseStatus;

  @Column({ type: 'text', nullable: true })
  resolution!: ModerationActionKind | null;

  /** Automatic flags' scores summed (≤ 100). */
  @Column({ type: 'smallint' })
  flagScore!: number;

  /** Reports ever filed (open and closed). */
  @Column({ type: 'integer' })
  reportCount!: number;

  @Column({ type: 'smallint' })
  riskScore!: number;

  @Column({ type: 'text' })
  severity!: Severity;

  /** A moderator approved the content: it is not suppressed automatically again. */
  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  resolvedById!: string | null;

  @Column({ type: 'timestamptz' })
  openedAt!: Date;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'moderation_reports' })
export class ModerationReportEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  reporterId!: string;

  @Column({ type: 'text' })
  targetType!: ModerationTargetType;

  @Column({ type: 'uuid' })
  targetId!: string;

  @Column({ type: 'text' })
  reason!: ReportReason;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'text' })
  status!: 'OPEN' | 'CLOSED';

  @Column({ type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'moderation_flags' })
export class ModerationFlagEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @Column({ type: 'text' })
  kind!: FlagKind;

  @Column({ type: 'smallint' })
  score!: number;

  @Column({ type: 'jsonb' })
  details!: Record<string, unknown>;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One audited action (append-only). */
@Entity({ name: 'moderation_actions' })
export class ModerationActionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Insertion order (bigserial; read as a string). */
  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  caseId!: string;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'text' })
  action!: ModerationActionKind;

  @Column({ type: 'text' })
  targetType!: ModerationTargetType;

  @Column({ type: 'uuid' })
  targetId!: string;

  @Column({ type: 'uuid', nullable: true })
  targetUserId!: string | null;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'jsonb' })
  before!: ModerationSnapshot;

  @Column({ type: 'jsonb' })
  after!: ModerationSnapshot;

  @Column({ type: 'uuid', nullable: true })
  undoesActionId!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/** The case fields an action changes. */
export type CaseSnapshot = {
  status: CaseStatus;
  resolution: ModerationActionKind | null;
  resolvedAt: string | null;
  resolvedById: string | null;
  approvedAt: string | null;
};

/** The membership fields MUTE and BAN change. */
export type MemberSnapshot = {
  status: string;
  role: string;
  customRoleId: string | null;
  mutedUntil: string | null;
  joinedAt: string | null;
  leftAt: string | null;
  bannedAt: string | null;
  banReason: string | null;
};

/** What an action found (`before`) and left (`after`): enough for an undo to restore it exactly. */
export type ModerationSnapshot = {
  case: CaseSnapshot;
  content?: { state: string };
  member?: MemberSnapshot;
  /** Reports the action closed (after) — an undo reopens them. */
  closedReportIds?: string[];
};

export const moderationEntities = [
  ModerationSettingsEntity,
  ModerationCaseEntity,
  ModerationReportEntity,
  ModerationFlagEntity,
  ModerationActionEntity,
];
