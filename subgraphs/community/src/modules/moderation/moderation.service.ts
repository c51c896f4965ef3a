import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  decodeCursor,
  encodeCursor,
  NotFoundError,
  pageSize,
  recordEvent,
  type Connection,
  type Logger,
  type Viewer,
} from '@edugraph/kit';
import { In, QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { COMMUNITY_MODERATION_ACTION, recordCommunityEvent } from '../../common/community-events.js';
import { assertUuid, isUuid, text } from '../../common/validation.js';
import { COMMUNITY_SCHEMA } from '../../environment.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import type { CommunityPermission } from '../access/permissions.js';
import { canSeeComment, canSeePost } from '../feed/feed-access.js';
import { FeedModeration, type ModerationChange } from '../feed/feed-moderation.js';
import { CommentEntity, PostEntity, type ModerationState } from '../feed/feed.entity.js';
import { InvalidMembershipStateError } from '../membership/membership.errors.js';
import { MembershipEntity } from '../membership/membership.entity.js';
import type { MembershipService } from '../membership/membership.service.js';
import {
  autoFlags,
  DEFAULT_BAD_WORDS,
  MAX_COMMUNITY_BAD_WORDS,
  NEW_MEMBER_HOURS,
  normalizeBadWord,
  plainText,
  riskScore,
  severityOf,
  type Flag,
} from './auto-flags.js';
import {
  ModerationActionEntity,
  ModerationCaseEntity,
  ModerationFlagEntity,
  ModerationReportEntity,
  ModerationSettingsEntity,
  type CaseSnapshot,
  type CaseStatus,
  type MemberSnapshot,
  type ModerationActionKind,
  type ModerationSnapshot,
  type ModerationTargetType,
  type ModeratorAction,
  type ReportReason,
  type Severity,
} from './moderation.entity.js';
import {
  AlreadyReportedError,
  InvalidModerationActionError,
  ModerationStateChangedError,
  UndoNotAllowedError,
} from './moderation.errors.js';

const S = '"community"';
export const AUDIT_EVENT_TYPE = 'audit.recorded';
export const MAX_QUEUE_PAGE = 50;
export const MAX_CASE_REPORTS = 50;
export const MAX_CASE_ACTIONS = 100;
const DEFAULT_MUTE_HOURS = 24;
const MAX_MUTE_HOURS = 365 * 24;
const EXCERPT_LENGTH = 280;

/** Who may take each action (besides REPORTS_HANDLE, needed for every one of them). */
export const ACTION_PERMISSION: Record<ModerationActionKind, CommunityPermission> = {
  APPROVE: 'REPORTS_HANDLE',
  REJECT: 'POST_MODERATE',
  SUPPRESS: 'POST_MODERATE',
  RESTORE: 'POST_MODERATE',
  AUTO_SUPPRESS: 'POST_MODERATE',
  MUTE: 'MEMBER_MUTE',
  BAN: 'MEMBER_BAN',
  UNDO: 'REPORTS_HANDLE',
};

/** Content state each content action leaves (APPROVE: a held post or comment becomes VISIBLE again). */
const CONTENT_STATE: Partial<Record<ModeratorAction, ModerationState>> = {
  REJECT: 'REMOVED',
  SUPPRESS: 'SUPPRESSED',
  RESTORE: 'VISIBLE',
};

export type ReportInput = {
  communityId: string;
  targetType: ModerationTargetType;
  targetId: string;
  reason: ReportReason;
  note?: string | null;
};

export type ModerateInput = {
  caseId: string;
  action: ModeratorAction;
  reason?: string | null;
  /** MUTE: hours (1–8,760, default 24). */
  muteHours?: number | null;
};

export type QueueArgs = {
  status: CaseStatus;
  severity: Severity | null;
  first?: number | null;
  after?: string | null;
};

/** A moderation result and the feed changes to announce once it committed. */
type Acted = { action: ModerationActionEntity; kase: ModerationCaseEntity; changes: ModerationChange[] };

/** What a case is about. */
type Target = {
  communityId: string;
  targetType: ModerationTargetType;
  targetId: string;
  targetUserId: string | null;
  postId: string | null;
  excerpt: string;
};

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const dateOf = (s: string | null | undefined): Date | null => (s ? new Date(s) : null);

function caseSnapshot(kase: ModerationCaseEntity): CaseSnapshot {
  return {
    status: kase.status,
    resolution: kase.resolution,
    resolvedAt: iso(kase.resolvedAt),
    resolvedById: kase.resolvedById,
    approvedAt: iso(kase.approvedAt),
  };
}

function memberSnapshot(row: MembershipEntity): MemberSnapshot {
  return {
    status: row.status,
    role: row.role,
    customRoleId: row.customRoleId,
    mutedUntil: iso(row.mutedUntil),
    joinedAt: iso(row.joinedAt),
    leftAt: iso(row.leftAt),
    bannedAt: iso(row.bannedAt),
    banReason: row.banReason,
  };
}

function excerptOf(title: string | null, html: string): string {
  const value = `${title ? `${title} — ` : ''}${plainText(html)}`;
  return value.length > EXCERPT_LENGTH ? `${value.slice(0, EXCERPT_LENGTH - 1)}…` : value;
}

/** Rows of an UPDATE … RETURNING (TypeORM's Postgres driver answers `[rows, affected]` for updates). */
function updatedRows<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  )
    return result[0] as T[];
  return result as T[];
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return error instanceof QueryFailedError && error.message.includes(constraint);
}

/**
 * Reports, automatic flags, cases, moderators' actions with undo and audit (`services.moderation`).
 *
 * - **Reports** (CONTENT_REPORT): a post, comment or member of the community the reporter may see, with a
 *   reason and an optional note; one OPEN report per reporter and target (ALREADY_REPORTED); not oneself.
 * - **Flags**: `community.post.created` / `community.comment.created` (consumer `community`, inbox) run
 *   `autoFlags` — bad words (default list + the community's additions) and link spam; authors who are
 *   moderators, admins or the owner are not flagged.
 * - **Cases**: one per target; risk score = flags + 20 per report (≤ 100), severity from it. A CRITICAL
 *   OPEN case whose content is VISIBLE and was never approved is put in PENDING_REVIEW at once
 *   (AUTO_SUPPRESS, audited with no actor). A new report reopens a resolved case.
 * - **Actions** (REPORTS_HANDLE plus the action's permission; MUTE and BAN — and content actions on
 *   someone's post — need a higher rank than the target's): APPROVE (dismiss: held content becomes
 *   VISIBLE), REJECT (REMOVED), SUPPRESS, RESTORE (VISIBLE), MUTE (`muted_until`), BAN (the foundation's
 *   `deactivate`: BANNED, `community.member.left` reason BANNED). Each resolves the case, closes its open
 *   reports and appends to `moderation_actions` with before/after; `community.moderation.action` and
 *   platform's `audit.recorded` go out in the same transaction.
 * - **Undo**: the case's latest action not yet undone, by someone allowed to take it, while the target is
 *   still as the action left it (MODERATION_STATE_CHANGED otherwise) — restores content state, membership
 *   (an undone ban makes the member ACTIVE again with their role, custom role, mute and join date), the
 *   case and its reports exactly, and is itself audited (UNDO).
 */
export class ModerationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly memberships: MembershipService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** The feed's realtime announcements after a commit (absent in composition-only builds). */
    private readonly feed: () => FeedModeration | null,
  ) {}

  // --- settings ---

  async settings(communityId: string): Promise<ModerationSettingsEntity | null> {
    return this.dataSource.getRepository(ModerationSettingsEntity).findOneBy({ communityId });
  }

  async updateSettings(
    viewer: Viewer,
    input: { communityId: string; badWords: string[] },
  ): Promise<ModerationSettingsEntity> {
    const communityId = assertUuid(input.communityId, 'communityId');
    const words = [...new Set(input.badWords.map(normalizeBadWord).filter(Boolean))];
    if (words.length > MAX_COMMUNITY_BAD_WORDS)
      throw new BadUserInputError(`"badWords" has at most ${MAX_COMMUNITY_BAD_WORDS} entries.`, 'badWords');
    if (words.some((w) => w.length > 60))
      throw new BadUserInputError('Each of "badWords" has at most 60 characters.', 'badWords');
    return this.dataSource.transaction(async (manager) => {
      const context = await this.access.require(viewer, communityId, 'REPORTS_HANDLE', { manager });
      const row = Object.assign(new ModerationSettingsEntity(), {
        communityId: context.community.id,
        badWords: words.sort(),
        updatedById: viewer.userId,
        updatedAt: this.clock.now(),
      });
      await manager.getRepository(ModerationSettingsEntity).save(row);
      return row;
    });
  }

  private async badWords(manager: EntityManager, communityId: string): Promise<string[]> {
    const row = await manager.getRepository(ModerationSettingsEntity).findOneBy({ communityId });
    return [...DEFAULT_BAD_WORDS, ...(row?.badWords ?? [])];
  }

  // --- reports ---

  async report(
    viewer: Viewer,
    input: ReportInput,
  ): Promise<{ report: ModerationReportEntity; kase: ModerationCaseEntity }> {
    const communityId = assertUuid(input.communityId, 'communityId');
    const targetId = assertUuid(input.targetId, 'targetId');
    const note = input.note?.trim() ? text(input.note, 'note', 1, 1000) : null;
    const result = await this.dataSource.transaction(async (manager) => {
      const context = await this.access.require(viewer, communityId, 'CONTENT_REPORT', { manager });
      const target = await this.targetFor(manager, context, input.targetType, targetId);
      if (target.targetUserId === viewer.userId)
        throw new BadUserInputError('You cannot report yourself or your own content.', 'targetId');
      const kase = await this.lockCase(manager, target);
      const now = this.clock.now();
      const report = Object.assign(new ModerationReportEntity(), {
        id: randomUUID(),
        caseId: kase.id,
        communityId: kase.communityId,
        reporterId: viewer.userId,
        targetType: target.targetType,
        targetId: target.targetId,
        reason: input.reason,
        note,
        status: 'OPEN',
        closedAt: null,
        createdAt: now,
      });
      try {
        await manager.transaction((inner) => inner.getRepository(ModerationReportEntity).insert(report));
      } catch (error) {
        if (isUniqueViolation(error, 'uq_moderation_reports_open')) throw new AlreadyReportedError();
        throw error;
      }
      if (kase.status === 'RESOLVED')
        Object.assign(kase, {
          status: 'OPEN',
          resolution: null,
          resolvedAt: null,
          resolvedById: null,
          openedAt: now,
        });
      kase.reportCount += 1;
      const changes = await this.rescore(manager, kase);
      return { report, kase, changes };
    });
    await this.announce(result.changes);
    return { report: result.report, kase: result.kase };
  }

  /** The target as the reporter may see it; NOT_FOUND when missing, hidden or of another community. */
  private async targetFor(
    manager: EntityManager,
    context: CommunityAccessContext,
    targetType: ModerationTargetType,
    targetId: string,
  ): Promise<Target> {
    const communityId = context.community.id;
    if (targetType === 'POST') {
      const post = await manager.getRepository(PostEntity).findOneBy({ id: targetId });
      if (
        !post ||
        post.communityId !== communityId ||
        !canSeePost(context, post, this.clock.now(), { byId: true })
      )
        throw new NotFoundError('Post');
      return {
        communityId,
        targetType,
        targetId,
        targetUserId: post.authorId,
        postId: post.id,
        excerpt: excerptOf(post.title, post.body),
      };
    }
    if (targetType === 'COMMENT') {
      const comment = await manager.getRepository(CommentEntity).findOneBy({ id: targetId });
      if (!comment || comment.communityId !== communityId || !canSeeComment(context, comment, { byId: true }))
        throw new NotFoundError('Comment');
      return {
        communityId,
        targetType,
        targetId,
        targetUserId: comment.authorId,
        postId: comment.postId,
        excerpt: excerptOf(null, comment.body),
      };
    }
    const member = await manager.getRepository(MembershipEntity).findOneBy({ communityId, userId: targetId });
    if (!member || member.status !== 'ACTIVE') throw new NotFoundError('Member');
    return { communityId, targetType, targetId, targetUserId: targetId, postId: null, excerpt: '' };
  }

  /** The target's case, created when missing, locked (FOR UPDATE) in `manager`'s transaction. */
  private async lockCase(manager: EntityManager, target: Target): Promise<ModerationCaseEntity> {
    const now = this.clock.now();
    await manager.query(
      `INSERT INTO ${S}.moderation_cases
         (id, community_id, target_type, target_id, target_user_id, post_id, excerpt, opened_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8)
       ON CONFLICT ON CONSTRAINT uq_moderation_cases_target DO NOTHING`,
      [
        randomUUID(),
        target.communityId,
        target.targetType,
        target.targetId,
        target.targetUserId,
        target.postId,
        target.excerpt,
        now,
      ],
    );
    return manager.getRepository(ModerationCaseEntity).findOneOrFail({
      where: { communityId: target.communityId, targetType: target.targetType, targetId: target.targetId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Recomputes risk and severity, saves the case, and suppresses a CRITICAL one's content pending review
   * (once: not after a moderator approved it, not when it is not VISIBLE).
   */
  private async rescore(manager: EntityManager, kase: ModerationCaseEntity): Promise<ModerationChange[]> {
    kase.riskScore = riskScore(kase.flagScore, kase.reportCount);
    kase.severity = severityOf(kase.riskScore);
    kase.updatedAt = this.clock.now();
    await manager.getRepository(ModerationCaseEntity).save(kase);
    if (
      kase.severity !== 'CRITICAL' ||
      kase.status !== 'OPEN' ||
      kase.approvedAt !== null ||
      kase.targetType === 'MEMBER'
    )
      return [];
    const state = await this.contentState(manager, kase);
    if (state !== 'VISIBLE') return [];
    const change = await FeedModeration.setState(
      manager,
      { targetType: kase.targetType, targetId: kase.targetId },
      'PENDING_REVIEW',
    );
    const snapshot = caseSnapshot(kase);
    await this.audit(manager, kase, {
      actorId: null,
      action: 'AUTO_SUPPRESS',
      reason: `Automatic: risk score ${kase.riskScore}`,
      before: { case: snapshot, content: { state } },
      after: { case: snapshot, content: { state: 'PENDING_REVIEW' } },
      undoesActionId: null,
    });
    return [change];
  }

  /** The content's moderation state, locked (null when deleted or missing). */
  private async contentState(
    manager: EntityManager,
    kase: ModerationCaseEntity,
  ): Promise<ModerationState | null> {
    const table = kase.targetType === 'POST' ? 'posts' : 'comments';
    // The post before its comment: the lock order of every comment-count change (FeedModeration's too).
    if (kase.targetType === 'COMMENT' && kase.postId)
      await manager.query(`SELECT id FROM ${S}.posts WHERE id = $1 FOR UPDATE`, [kase.postId]);
    const rows: { moderation_state: ModerationState; deleted_at: Date | null }[] = await manager.query(
      `SELECT moderation_state, deleted_at FROM ${S}.${table} WHERE id = $1 FOR UPDATE`,
      [kase.targetId],
    );
    const row = rows[0];
    return row && !row.deleted_at ? row.moderation_state : null;
  }

  // --- automatic flags (consumed events) ---

  /** `community.post.created` / `community.comment.created`: flags, within the inbox transaction. */
  async flagContent(
    manager: EntityManager,
    input: {
      communityId: string;
      targetType: 'POST' | 'COMMENT';
      targetId: string;
      postId: string;
      authorId: string;
      title: string | null;
      body: string;
      createdAt: Date;
    },
  ): Promise<Flag[]> {
    if (![input.communityId, input.targetId, input.postId, input.authorId].every(isUuid)) return [];
    const author = await manager
      .getRepository(MembershipEntity)
      .findOneBy({ communityId: input.communityId, userId: input.authorId });
    if (author && author.status === 'ACTIVE' && author.role !== 'MEMBER') return []; // trusted authors
    const joinedAt = author?.joinedAt ?? null;
    const newMember =
      joinedAt === null || input.createdAt.getTime() - joinedAt.getTime() < NEW_MEMBER_HOURS * 3_600_000;
    const flags = autoFlags({
      html: input.body,
      title: input.title,
      badWords: await this.badWords(manager, input.communityId),
      newMember,
    });
    if (flags.length === 0) return flags;
    const kase = await this.lockCase(manager, {
      communityId: input.communityId,
      targetType: input.targetType,
      targetId: input.targetId,
      targetUserId: input.authorId,
      postId: input.postId,
      excerpt: excerptOf(input.title, input.body),
    });
    for (const flag of flags)
      await manager.query(
        `INSERT INTO ${S}.moderation_flags (id, case_id, kind, score, details, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT ON CONSTRAINT uq_moderation_flags_kind DO NOTHING`,
        [randomUUID(), kase.id, flag.kind, flag.score, flag.details, this.clock.now()],
      );
    const [sum] = (await manager.query(
      `SELECT LEAST(100, COALESCE(SUM(score), 0))::int AS score FROM ${S}.moderation_flags WHERE case_id = $1`,
      [kase.id],
    )) as { score: number }[];
    kase.flagScore = sum?.score ?? 0;
    await this.rescore(manager, kase);
    return flags;
  }

  // --- actions ---

  async moderate(viewer: Viewer, input: ModerateInput): Promise<Acted> {
    const caseId = assertUuid(input.caseId, 'caseId');
    const reason = input.reason?.trim() ? text(input.reason, 'reason', 1, 1000) : null;
    const muteHours = input.muteHours ?? DEFAULT_MUTE_HOURS;
    if (!Number.isInteger(muteHours) || muteHours < 1 || muteHours > MAX_MUTE_HOURS)
      throw new BadUserInputError(`"muteHours" must be between 1 and ${MAX_MUTE_HOURS}.`, 'muteHours');
    const acted = await this.dataSource.transaction(async (manager) => {
      const { kase, context } = await this.lockAllowed(viewer, manager, caseId, input.action);
      const now = this.clock.now();
      const before: ModerationSnapshot = { case: caseSnapshot(kase) };
      const after: ModerationSnapshot = { case: caseSnapshot(kase) };
      const changes: ModerationChange[] = [];

      if (input.action === 'MUTE' || input.action === 'BAN') {
        if (!kase.targetUserId)
          throw new InvalidModerationActionError('This case concerns nobody to act on.');
        const { row } = await this.memberships.lockRow(manager, kase.communityId, kase.targetUserId);
        this.access.requireOver(context, row);
        before.member = memberSnapshot(row);
        if (input.action === 'MUTE') {
          if (row.status !== 'ACTIVE') throw new InvalidMembershipStateError(row.status, 'be muted');
          Object.assign(row, { mutedUntil: new Date(now.getTime() + muteHours * 3_600_000), updatedAt: now });
          await manager.getRepository(MembershipEntity).save(row);
        } else {
          if (row.status === 'BANNED') throw new InvalidMembershipStateError(row.status, 'be banned');
          await this.memberships.deactivate(manager, row, 'BANNED', 'BANNED', {
            bannedAt: now,
            banReason: reason,
          });
        }
        after.member = memberSnapshot(row);
      } else if (kase.targetType !== 'MEMBER') {
        const state = await this.contentState(manager, kase);
        if (state === null) throw new NotFoundError(kase.targetType === 'POST' ? 'Post' : 'Comment');
        if (input.action !== 'APPROVE') await this.requireOverAuthor(manager, context, kase);
        const next =
          input.action === 'APPROVE'
            ? state === 'PENDING_REVIEW'
              ? 'VISIBLE'
              : state
            : CONTENT_STATE[input.action]!;
        before.content = { state };
        after.content = { state: next };
        if (next !== state)
          changes.push(
            await FeedModeration.setState(
              manager,
              { targetType: kase.targetType, targetId: kase.targetId },
              next,
            ),
          );
      } else if (input.action !== 'APPROVE') {
        throw new InvalidModerationActionError(
          `${input.action} applies to posts and comments, not to members.`,
        );
      }

      Object.assign(kase, {
        status: 'RESOLVED',
        resolution: input.action,
        resolvedAt: now,
        resolvedById: viewer.userId,
        approvedAt: input.action === 'APPROVE' ? now : kase.approvedAt,
        updatedAt: now,
      });
      await manager.getRepository(ModerationCaseEntity).save(kase);
      const closed = updatedRows<{ id: string }>(
        await manager.query(
          `UPDATE ${S}.moderation_reports SET status = 'CLOSED', closed_at = $2
           WHERE case_id = $1 AND status = 'OPEN' RETURNING id`,
          [kase.id, now],
        ),
      );
      after.case = caseSnapshot(kase);
      after.closedReportIds = closed.map((r) => r.id).sort();
      const action = await this.audit(manager, kase, {
        actorId: viewer.userId,
        action: input.action,
        reason,
        before,
        after,
        undoesActionId: null,
      });
      return { action, kase, changes };
    });
    await this.announce(acted.changes);
    return acted;
  }

  async undo(viewer: Viewer, input: { actionId: string; reason?: string | null }): Promise<Acted> {
    const actionId = assertUuid(input.actionId, 'actionId');
    const reason = input.reason?.trim() ? text(input.reason, 'reason', 1, 1000) : null;
    const acted = await this.dataSource.transaction(async (manager) => {
      const original = await manager.getRepository(ModerationActionEntity).findOneBy({ id: actionId });
      if (!original) throw new NotFoundError('Moderation action');
      const { kase, context } = await this.lockAllowed(viewer, manager, original.caseId, original.action);
      if (original.action === 'UNDO') throw new UndoNotAllowedError('UNDO', 'An undo cannot be undone.');
      const [blocking] = (await manager.query(
        `SELECT
           EXISTS (SELECT 1 FROM ${S}.moderation_actions WHERE undoes_action_id = $1) AS undone,
           EXISTS (
             SELECT 1 FROM ${S}.moderation_actions a
             WHERE a.case_id = $2 AND a.seq > $3 AND a.action <> 'UNDO'
               AND NOT EXISTS (SELECT 1 FROM ${S}.moderation_actions u WHERE u.undoes_action_id = a.id)
           ) AS later`,
        [original.id, original.caseId, original.seq],
      )) as { undone: boolean; later: boolean }[];
      if (blocking?.undone)
        throw new UndoNotAllowedError('ALREADY_UNDONE', 'This action was already undone.');
      if (blocking?.later)
        throw new UndoNotAllowedError('NOT_LATEST', 'Undo the later actions on this case first.');

      const now = this.clock.now();
      const current: ModerationSnapshot = { case: caseSnapshot(kase) };
      const changes: ModerationChange[] = [];
      const { before, after } = original;

      if (before.member && after.member && kase.targetUserId) {
        const { row } = await this.memberships.lockRow(manager, kase.communityId, kase.targetUserId);
        const present = memberSnapshot(row);
        if (present.status !== after.member.status || present.mutedUntil !== after.member.mutedUntil)
          throw new ModerationStateChangedError();
        // The rank the member had before the action (a banned admin ranks 0 now).
        this.access.requireOver(context, {
          userId: row.userId,
          role: before.member.role as MembershipEntity['role'],
          status: before.member.status as MembershipEntity['status'],
          customRoleId: before.member.customRoleId,
        });
        current.member = present;
        await this.restoreMember(manager, row, before.member);
      }
      if (before.content && after.content) {
        const state = await this.contentState(manager, kase);
        if (state !== after.content.state) throw new ModerationStateChangedError();
        if (original.action !== 'APPROVE') await this.requireOverAuthor(manager, context, kase);
        current.content = { state };
        if (before.content.state !== state)
          changes.push(
            await FeedModeration.setState(
              manager,
              { targetType: kase.targetType as 'POST' | 'COMMENT', targetId: kase.targetId },
              before.content.state as ModerationState,
            ),
          );
      }
      Object.assign(kase, {
        status: before.case.status,
        resolution: before.case.resolution,
        resolvedAt: dateOf(before.case.resolvedAt),
        resolvedById: before.case.resolvedById,
        approvedAt: dateOf(before.case.approvedAt),
        updatedAt: now,
      });
      await manager.getRepository(ModerationCaseEntity).save(kase);
      const reopened: { id: string }[] =
        after.closedReportIds && after.closedReportIds.length > 0
          ? updatedRows<{ id: string }>(
              await manager.query(
                `UPDATE ${S}.moderation_reports r SET status = 'OPEN', closed_at = NULL
               WHERE r.id = ANY($1::uuid[]) AND r.status = 'CLOSED'
                 AND NOT EXISTS (
                   SELECT 1 FROM ${S}.moderation_reports o
                   WHERE o.reporter_id = r.reporter_id AND o.target_type = r.target_type
                     AND o.target_id = r.target_id AND o.status = 'OPEN'
                 )
               RETURNING r.id`,
                [after.closedReportIds],
              ),
            )
          : [];
      const restored: ModerationSnapshot = {
        case: caseSnapshot(kase),
        ...(before.content ? { content: before.content } : {}),
        ...(before.member ? { member: before.member } : {}),
      };
      const action = await this.audit(manager, kase, {
        actorId: viewer.userId,
        action: 'UNDO',
        reason,
        before: { ...current, closedReportIds: after.closedReportIds ?? [] },
        after: { ...restored, closedReportIds: reopened.map((r) => r.id).sort() },
        undoesActionId: original.id,
      });
      return { action, kase, changes };
    });
    await this.announce(acted.changes);
    return acted;
  }

  /** Puts the membership back as it was before MUTE or BAN (a former ACTIVE member becomes one again). */
  private async restoreMember(
    manager: EntityManager,
    row: MembershipEntity,
    was: MemberSnapshot,
  ): Promise<void> {
    const fields = {
      role: was.role as MembershipEntity['role'],
      customRoleId: was.customRoleId,
      mutedUntil: dateOf(was.mutedUntil),
      joinedAt: dateOf(was.joinedAt),
      leftAt: dateOf(was.leftAt),
      bannedAt: dateOf(was.bannedAt),
      banReason: was.banReason,
    };
    if (was.status === 'ACTIVE' && row.status !== 'ACTIVE') {
      await this.memberships.activate(manager, row, fields);
      return;
    }
    Object.assign(row, fields, { status: was.status, updatedAt: this.clock.now() });
    await manager.getRepository(MembershipEntity).save(row);
  }

  /** Content actions on someone's post or comment need a higher rank than its author's (if still a member). */
  private async requireOverAuthor(
    manager: EntityManager,
    context: CommunityAccessContext,
    kase: ModerationCaseEntity,
  ): Promise<void> {
    if (!kase.targetUserId) return;
    const author = await manager
      .getRepository(MembershipEntity)
      .findOneBy({ communityId: kase.communityId, userId: kase.targetUserId });
    if (author && author.status === 'ACTIVE' && author.role !== 'MEMBER')
      this.access.requireOver(context, author);
  }

  /** Locks the case after checking REPORTS_HANDLE and the action's permission (NOT_FOUND when hidden). */
  private async lockAllowed(
    viewer: Viewer,
    manager: EntityManager,
    caseId: string,
    action: ModerationActionKind,
  ): Promise<{ kase: ModerationCaseEntity; context: CommunityAccessContext }> {
    const found = await manager.getRepository(ModerationCaseEntity).findOneBy({ id: caseId });
    if (!found) throw new NotFoundError('Moderation case');
    const context = await this.access.require(viewer, found.communityId, 'REPORTS_HANDLE', { manager });
    this.access.assert(context, ACTION_PERMISSION[action]);
    const kase = await manager
      .getRepository(ModerationCaseEntity)
      .findOneOrFail({ where: { id: caseId }, lock: { mode: 'pessimistic_write' } });
    return { kase, context };
  }

  /** Appends to the audit, records `community.moderation.action` and platform's `audit.recorded`. */
  private async audit(
    manager: EntityManager,
    kase: ModerationCaseEntity,
    entry: {
      actorId: string | null;
      action: ModerationActionKind;
      reason: string | null;
      before: ModerationSnapshot;
      after: ModerationSnapshot;
      undoesActionId: string | null;
    },
  ): Promise<ModerationActionEntity> {
    const now = this.clock.now();
    const row = Object.assign(new ModerationActionEntity(), {
      id: randomUUID(),
      communityId: kase.communityId,
      caseId: kase.id,
      targetType: kase.targetType,
      targetId: kase.targetId,
      targetUserId: kase.targetUserId,
      createdAt: now,
      ...entry,
    });
    await manager.getRepository(ModerationActionEntity).insert(row);
    const saved = await manager.getRepository(ModerationActionEntity).findOneByOrFail({ id: row.id });
    await recordCommunityEvent(manager, COMMUNITY_MODERATION_ACTION, {
      communityId: kase.communityId,
      caseId: kase.id,
      actionId: row.id,
      action: row.action,
      targetType: kase.targetType,
      targetId: kase.targetId,
      targetUserId: kase.targetUserId,
      actorId: row.actorId,
      undoneActionId: row.undoesActionId,
      occurredAt: now.toISOString(),
    });
    await recordEvent(manager, COMMUNITY_SCHEMA, {
      type: AUDIT_EVENT_TYPE,
      aggregateId: kase.targetId,
      payload: {
        actorId: row.actorId,
        action: `community.moderation.${row.action.toLowerCase()}`,
        targetType: `community.${kase.targetType.toLowerCase()}`,
        targetId: kase.targetId,
        requestId: null,
        ipHash: null,
        metadata: {
          communityId: kase.communityId,
          caseId: kase.id,
          actionId: row.id,
          reason: row.reason,
          undoesActionId: row.undoesActionId,
          before: row.before,
          after: row.after,
        },
        occurredAt: now.toISOString(),
      },
    });
    return saved;
  }

  /** After the commit: feed subscribers learn about posts that changed state. */
  private async announce(changes: ModerationChange[]): Promise<void> {
    const feed = this.feed();
    if (!feed) return;
    for (const change of changes)
      await feed.notify(this.dataSource.manager, change).catch((error: unknown) => {
        this.logger.warn({ err: error, change }, 'moderation: feed announcement failed');
      });
  }

  // --- reads ---

  async casesByIds(ids: readonly string[]): Promise<ModerationCaseEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(ModerationCaseEntity).findBy({ id: In(valid) });
  }

  /** One page of a community's queue: riskiest first, then newest; one statement. */
  async queue(communityId: string, args: QueueArgs): Promise<Connection<ModerationCaseEntity>> {
    const first = pageSize(args.first, MAX_QUEUE_PAGE);
    const cursor = args.after ? decodeCursor(args.after, 3) : null;
    if (
      cursor &&
      (typeof cursor[0] !== 'number' || typeof cursor[1] !== 'string' || !isUuid(String(cursor[2])))
    )
      throw new BadUserInputError('The cursor is not valid.', 'after');
    const qb = this.dataSource
      .getRepository(ModerationCaseEntity)
      .createQueryBuilder('c')
      .where('c.community_id = :communityId AND c.status = :status', { communityId, status: args.status })
      .orderBy('c.risk_score', 'DESC')
      .addOrderBy('c.opened_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .take(first + 1);
    if (args.severity) qb.andWhere('c.severity = :severity', { severity: args.severity });
    if (cursor)
      qb.andWhere('(c.risk_score, c.opened_at, c.id) < (:risk, :opened, :id)', {
        risk: cursor[0],
        opened: cursor[1],
        id: cursor[2],
      });
    const rows = await qb.getMany();
    const edges = rows.slice(0, first).map((node) => ({
      node,
      cursor: encodeCursor([node.riskScore, node.openedAt.toISOString(), node.id]),
    }));
    return {
      edges,
      pageInfo: {
        hasNextPage: rows.length > first,
        hasPreviousPage: Boolean(args.after),
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }

  /** Reports of several cases, newest first, at most `MAX_CASE_REPORTS` each (one statement). */
  async reportsOf(caseIds: readonly string[]): Promise<ModerationReportEntity[]> {
    return this.lateral(
      ModerationReportEntity,
      'moderation_reports',
      caseIds,
      'created_at DESC, id DESC',
      MAX_CASE_REPORTS,
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
    );
  }

  async flagsOf(caseIds: readonly string[]): Promise<ModerationFlagEntity[]> {
    return this.lateral(ModerationFlagEntity, 'moderation_flags', caseIds, 'kind', 10, (a, b) =>
      a.kind.localeCompare(b.kind),
    );
  }

  /** Actions of several cases in order, at most `MAX_CASE_ACTIONS` each (the latest ones). */
  async actionsOf(caseIds: readonly string[]): Promise<ModerationActionEntity[]> {
    return this.lateral(
      ModerationActionEntity,
      'moderation_actions',
      caseIds,
      'seq DESC',
      MAX_CASE_ACTIONS,
      (a, b) => Number(a.seq) - Number(b.seq),
    );
  }

  /** Ids of the given actions that were undone. */
  async undoneOf(actionIds: readonly string[]): Promise<Map<string, string>> {
    const valid = actionIds.filter(isUuid);
    if (valid.length === 0) return new Map();
    const rows: { id: string; undoes_action_id: string }[] = await this.dataSource.query(
      `SELECT id, undoes_action_id FROM ${S}.moderation_actions WHERE undoes_action_id = ANY($1::uuid[])`,
      [valid],
    );
    return new Map(rows.map((r) => [r.undoes_action_id, r.id]));
  }

  /** The current moderation state of posts and comments (`POST|id` / `COMMENT|id` keys). */
  async contentStates(keys: readonly string[]): Promise<Map<string, string | null>> {
    const ids = (type: string) =>
      keys
        .filter((k) => k.startsWith(`${type}|`))
        .map((k) => k.slice(type.length + 1))
        .filter(isUuid);
    const result = new Map<string, string | null>();
    for (const [type, table] of [
      ['POST', 'posts'],
      ['COMMENT', 'comments'],
    ] as const) {
      const wanted = ids(type);
      if (wanted.length === 0) continue;
      const rows: { id: string; moderation_state: string; deleted_at: Date | null }[] =
        await this.dataSource.query(
          `SELECT id, moderation_state, deleted_at FROM ${S}.${table} WHERE id = ANY($1::uuid[])`,
          [wanted],
        );
      for (const row of rows)
        result.set(`${type}|${row.id}`, row.deleted_at ? 'DELETED' : row.moderation_state);
    }
    return result;
  }

  /** Rows of `table` for several cases, at most `limit` per case by `order` — one statement. */
  private async lateral<T extends { id: string; caseId: string }>(
    entity: new () => T,
    table: string,
    caseIds: readonly string[],
    order: string,
    limit: number,
    compare: (a: T, b: T) => number,
  ): Promise<T[]> {
    const valid = caseIds.filter(isUuid);
    if (valid.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(entity)
      .createQueryBuilder('x')
      .where(
        `x.id IN (SELECT l.id FROM unnest(ARRAY[:...caseIds]::uuid[]) AS k(case_id)
           CROSS JOIN LATERAL (SELECT id FROM ${S}.${table} WHERE case_id = k.case_id ORDER BY ${order} LIMIT :limit) l)`,
        { caseIds: valid, limit },
      )
      .getMany();
    return rows.sort(compare);
  }
}
