import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useId, useRef, useState } from 'react';
import { Alert, Button, Card, Spinner, TextField } from '../../components/index.js';
import {
  ModerateDocument,
  ModerationQueueDocument,
  UndoModerationActionDocument,
  type CommunityPermission,
  type ContentModerationState,
  type ModerationActionEntryFragment,
  type ModerationActionType,
  type ModerationCaseItemFragment,
  type ModerationCaseStatus,
  type ModerationSeverity,
  type ModeratorAction,
} from '../../generated/graphql.js';
import { errorCode, errorMessage } from '../../lib/graphql-errors.js';
import { can, formatDateTime } from './format.js';
import { ModerationSettingsForm } from './moderation-settings-form.js';
import { MuteDurationSelect } from './mute-duration-select.js';
import './moderation.css';
import { REPORT_REASONS } from './report-dialog.js';

const ACTION_LABELS: Record<ModerationActionType, string> = {
  APPROVE: 'Approve',
  REJECT: 'Reject',
  SUPPRESS: 'Suppress',
  RESTORE: 'Restore',
  MUTE: 'Mute',
  BAN: 'Ban',
  AUTO_SUPPRESS: 'Automatic hold',
  UNDO: 'Undo',
};

const CONTENT_STATES: Record<string, string> = {
  VISIBLE: 'Visible',
  PENDING_REVIEW: 'Held for review',
  SUPPRESSED: 'Suppressed',
  REMOVED: 'Removed',
  DELETED: 'Deleted by its author',
};

/** The content states a post or comment can be in (`contentState` also says DELETED). */
const MARKED_STATES: Record<ContentModerationState, true> = {
  VISIBLE: true,
  PENDING_REVIEW: true,
  SUPPRESSED: true,
  REMOVED: true,
};

const SEVERITY_LABELS = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', CRITICAL: 'Critical' } as const;

const TARGET_LABELS = { POST: 'Post', COMMENT: 'Comment', MEMBER: 'Member' } as const;

/** The permission each action needs besides REPORTS_HANDLE (as the API checks it). */
const ACTION_PERMISSION: Record<ModeratorAction, CommunityPermission> = {
  APPROVE: 'REPORTS_HANDLE',
  REJECT: 'POST_MODERATE',
  SUPPRESS: 'POST_MODERATE',
  RESTORE: 'POST_MODERATE',
  MUTE: 'MEMBER_MUTE',
  BAN: 'MEMBER_BAN',
};

const reasonLabel = (reason: string) => REPORT_REASONS.find((r) => r.value === reason)?.label ?? reason;

/** The case's latest standing action (not an undo, not undone): what "Undo" reverts. */
export function undoableAction(
  actions: readonly ModerationActionEntryFragment[],
): ModerationActionEntryFragment | null {
  for (let i = actions.length - 1; i >= 0; i -= 1) {
    const action = actions[i]!;
    if (action.action !== 'UNDO' && !action.undoneBy) return action;
  }
  return null;
}

/** Typed moderation errors as a moderator should read them. */
export function moderationProblem(error: unknown): string {
  const message = errorMessage(error);
  switch (errorCode(error)) {
    case 'UNDO_NOT_ALLOWED':
      return `This action cannot be undone: ${message}`;
    case 'MODERATION_STATE_CHANGED':
      return `The content changed since this action (edited, deleted or moderated elsewhere): ${message}`;
    case 'INVALID_MODERATION_ACTION':
      return `This action does not apply here: ${message}`;
    case 'INVALID_MEMBERSHIP_STATE':
      return `The member’s standing does not allow it: ${message}`;
    case 'FORBIDDEN':
      return `You are not allowed to do this: ${message}`;
    case 'NOT_FOUND':
      return `It no longer exists: ${message}`;
    default:
      return message;
  }
}

/** The community's moderation: the queue of cases (open or resolved), their actions and audit, the settings. */
export function ModerationTab({
  communityId,
  permissions,
}: {
  communityId: string;
  permissions: readonly CommunityPermission[];
}) {
  const severityId = useId();
  const [status, setStatus] = useState<ModerationCaseStatus>('OPEN');
  const [severity, setSeverity] = useState<ModerationSeverity | null>(null);
  const { data, loading, error, refetch, fetchMore } = useQuery(ModerationQueueDocument, {
    variables: { communityId, status, ...(severity ? { severity } : {}) },
    fetchPolicy: 'cache-and-network',
  });
  const edges = data?.community?.moderationQueue.edges ?? [];
  const pageInfo = data?.community?.moderationQueue.pageInfo;
  return (
    <div className="eg-moderation">
      <div className="eg-moderation__toolbar" role="group" aria-label="Cases shown">
        {(['OPEN', 'RESOLVED'] as const).map((s) => (
          <Button
            key={s}
            variant={status === s ? 'primary' : 'secondary'}
            aria-pressed={status === s}
            onClick={() => setStatus(s)}
          >
            {s === 'OPEN' ? 'Open cases' : 'Resolved cases'}
          </Button>
        ))}
        <label htmlFor={severityId}>Severity</label>
        <select
          id={severityId}
          className="eg-field__input eg-moderation__severity"
          value={severity ?? ''}
          onChange={(e) => setSeverity((e.target.value || null) as ModerationSeverity | null)}
        >
          <option value="">All</option>
          {(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const).map((s) => (
            <option key={s} value={s}>
              {SEVERITY_LABELS[s]}
            </option>
          ))}
        </select>
        <Button variant="link" busy={loading && !!data} onClick={() => void refetch().catch(() => undefined)}>
          Refresh
        </Button>
      </div>
      {error ? <Alert tone="error">The queue could not be loaded: {errorMessage(error)}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {data && edges.length === 0 ? (
        <p>
          {severity
            ? `No ${status === 'OPEN' ? 'open' : 'resolved'} cases of ${SEVERITY_LABELS[severity].toLowerCase()} severity.`
            : status === 'OPEN'
              ? 'No open cases. Nothing needs a look.'
              : 'No resolved cases yet.'}
        </p>
      ) : null}
      <ul className="eg-moderation__list" aria-label={status === 'OPEN' ? 'Open cases' : 'Resolved cases'}>
        {edges.map(({ node }) => (
          <CaseCard key={node.id} kase={node} permissions={permissions} />
        ))}
      </ul>
      {pageInfo?.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() =>
            void fetchMore({
              variables: { after: pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) =>
                prev.community && fetchMoreResult.community
                  ? {
                      community: {
                        ...fetchMoreResult.community,
                        moderationQueue: {
                          ...fetchMoreResult.community.moderationQueue,
                          edges: [
                            ...prev.community.moderationQueue.edges,
                            ...fetchMoreResult.community.moderationQueue.edges,
                          ],
                        },
                      },
                    }
                  : prev,
            }).catch(() => undefined)
          }
        >
          Load more cases
        </Button>
      ) : null}
      {can(permissions, 'REPORTS_HANDLE') ? <ModerationSettingsForm communityId={communityId} /> : null}
    </div>
  );
}

function CaseCard({
  kase,
  permissions,
}: {
  kase: ModerationCaseItemFragment;
  permissions: readonly CommunityPermission[];
}) {
  const headingId = useId();
  const [reason, setReason] = useState('');
  const [confirmingBan, setConfirmingBan] = useState(false);
  const [muting, setMuting] = useState(false);
  const [muteHours, setMuteHours] = useState(24);
  const muteId = useId();
  const confirmRef = useRef<HTMLDivElement>(null);
  // an opened confirmation takes the focus: the safe choice for a ban, the duration for a mute
  useEffect(() => {
    if (confirmingBan) confirmRef.current?.querySelector<HTMLElement>('button:last-of-type')?.focus();
    else if (muting) confirmRef.current?.querySelector<HTMLElement>('select')?.focus();
  }, [confirmingBan, muting]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [moderate, moderating] = useMutation(ModerateDocument);
  const [undo, undoing] = useMutation(UndoModerationActionDocument);
  const busy = moderating.loading || undoing.loading;
  const client = useApolloClient();
  /** The feed shows moderated content with a marker: keep the cached post or comment's state in step. */
  const syncContent = (moderated: { contentState?: string | null } | undefined) => {
    const next = moderated?.contentState;
    if (!next || !(next in MARKED_STATES) || kase.targetType === 'MEMBER') return;
    const id = client.cache.identify({
      __typename: kase.targetType === 'POST' ? 'Post' : 'Comment',
      id: kase.targetId,
    });
    if (id) client.cache.modify({ id, fields: { moderationState: () => next } });
  };
  const author = kase.targetUser?.displayName ?? 'someone';
  const title = `${TARGET_LABELS[kase.targetType]} by ${author}`;
  const content = kase.targetType !== 'MEMBER';
  const state = kase.contentState ?? null;
  const last = undoableAction(kase.actions);

  const act = async (action: ModeratorAction) => {
    setProblem(null);
    setDone(null);
    setConfirmingBan(false);
    setMuting(false);
    try {
      const result = await moderate({
        variables: {
          input: {
            caseId: kase.id,
            action,
            ...(reason.trim() ? { reason: reason.trim() } : {}),
            ...(action === 'MUTE' ? { muteHours } : {}),
          },
        },
      });
      syncContent(result.data?.moderate.moderationCase);
      setReason('');
      setDone(`${ACTION_LABELS[action]}: done. The case is resolved.`);
    } catch (error) {
      setProblem(moderationProblem(error));
    }
  };
  const revert = async (actionId: string, label: string) => {
    setProblem(null);
    setDone(null);
    try {
      const result = await undo({
        variables: { input: { actionId, ...(reason.trim() ? { reason: reason.trim() } : {}) } },
      });
      syncContent(result.data?.undoModerationAction.moderationCase);
      setReason('');
      setDone(`${label} undone.`);
    } catch (error) {
      setProblem(moderationProblem(error));
    }
  };

  const available: ModeratorAction[] = (
    content
      ? (['APPROVE', 'REJECT', 'SUPPRESS', 'RESTORE', 'MUTE', 'BAN'] as const)
      : (['APPROVE', 'MUTE', 'BAN'] as const)
  ).filter((a) => {
    if (!can(permissions, ACTION_PERMISSION[a])) return false;
    if (a === 'SUPPRESS') return state !== 'SUPPRESSED';
    if (a === 'RESTORE') return state !== null && state !== 'VISIBLE';
    if (a === 'REJECT') return state !== 'REMOVED';
    if (a === 'BAN' || a === 'MUTE') return !!kase.targetUser;
    return true;
  });

  return (
    <Card as="li" className="eg-case">
      <article aria-labelledby={headingId}>
        <h2 id={headingId}>{title}</h2>
        <p>
          <span className="eg-case__severity">Severity: {SEVERITY_LABELS[kase.severity]}</span> · risk{' '}
          {kase.riskScore}/100 · {kase.status === 'OPEN' ? 'Open' : 'Resolved'}
          {kase.resolution ? ` (${ACTION_LABELS[kase.resolution]})` : ''}
        </p>
        {kase.excerpt ? <blockquote className="eg-case__excerpt">{kase.excerpt}</blockquote> : null}
        <dl className="eg-case__facts">
          <dt>Author</dt>
          <dd>{author}</dd>
          <dt>Opened</dt>
          <dd>
            <time dateTime={kase.openedAt}>{formatDateTime(kase.openedAt)}</time>
          </dd>
          {content ? (
            <>
              <dt>Content</dt>
              <dd>{state ? (CONTENT_STATES[state] ?? state) : 'Deleted'}</dd>
            </>
          ) : null}
          <dt>Reports</dt>
          <dd>
            {kase.reportCount === 1 ? '1 report' : `${kase.reportCount} reports`}
            {kase.reports.length ? (
              <ul aria-label="Reasons">
                {kase.reports.map((r) => (
                  <li key={r.id}>
                    {reasonLabel(r.reason)} — {r.reporter.displayName}
                    {r.note ? `: “${r.note}”` : ''}
                  </li>
                ))}
              </ul>
            ) : null}
          </dd>
          {kase.flags.length ? (
            <>
              <dt>Automatic flags</dt>
              <dd>
                <ul aria-label="Automatic flags">
                  {kase.flags.map((f) => (
                    <li key={f.kind}>
                      {f.kind === 'BAD_WORDS' ? 'Blocked words' : 'Link spam'} (+{f.score})
                      {f.details.length ? `: ${f.details.join(', ')}` : ''}
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
        {available.length || last ? (
          <div className="eg-case__controls">
            <TextField
              label="Reason for the audit (optional)"
              value={reason}
              maxLength={1000}
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="eg-case__actions" role="group" aria-label={`Actions on ${title}`}>
              {available.map((a) => (
                <Button
                  key={a}
                  variant={a === 'BAN' || a === 'REJECT' ? 'danger' : 'secondary'}
                  disabled={busy}
                  aria-expanded={a === 'BAN' ? confirmingBan : a === 'MUTE' ? muting : undefined}
                  onClick={() =>
                    a === 'BAN'
                      ? (setMuting(false), setConfirmingBan(true))
                      : a === 'MUTE'
                        ? (setConfirmingBan(false), setMuting(true))
                        : void act(a)
                  }
                >
                  {ACTION_LABELS[a]}
                </Button>
              ))}
              {last ? (
                <Button
                  variant="link"
                  disabled={busy}
                  onClick={() => void revert(last.id, ACTION_LABELS[last.action])}
                >
                  Undo {ACTION_LABELS[last.action].toLowerCase()}
                </Button>
              ) : null}
            </div>
            {muting ? (
              <div role="group" aria-label={`Mute ${author}`} className="eg-report" ref={confirmRef}>
                <p>
                  A muted member can still read and react, but cannot post or comment until the mute ends.
                </p>
                <div className="eg-field">
                  <label htmlFor={muteId} className="eg-field__label">
                    Mute for
                  </label>
                  <MuteDurationSelect id={muteId} hours={muteHours} onChange={setMuteHours} />
                </div>
                <div className="eg-report__buttons">
                  <Button variant="danger" busy={moderating.loading} onClick={() => void act('MUTE')}>
                    Mute {author}
                  </Button>
                  <Button variant="secondary" onClick={() => setMuting(false)}>
                    Cancel
                  </Button>
                </div>
              </div>
            ) : null}
            {confirmingBan ? (
              <div role="alertdialog" aria-label={`Ban ${author}?`} className="eg-report" ref={confirmRef}>
                <p>
                  Ban {author} from the community? They lose access at once; you can undo it from this case.
                </p>
                <div className="eg-report__buttons">
                  <Button variant="danger" busy={moderating.loading} onClick={() => void act('BAN')}>
                    Ban {author}
                  </Button>
                  <Button variant="secondary" onClick={() => setConfirmingBan(false)}>
                    Keep {author}
                  </Button>
                </div>
              </div>
            ) : null}
          </div>
        ) : null}
        <div role="status">{done}</div>
        {problem ? <Alert tone="error">{problem}</Alert> : null}
        <details className="eg-case__audit">
          <summary>Audit trail ({kase.actions.length})</summary>
          {kase.actions.length === 0 ? (
            <p>No actions yet.</p>
          ) : (
            <ol>
              {kase.actions.map((a) => (
                <li key={a.id}>
                  {ACTION_LABELS[a.action]} by {a.actor?.displayName ?? 'automatic moderation'} ·{' '}
                  <time dateTime={a.createdAt}>{formatDateTime(a.createdAt)}</time>
                  {a.reason ? ` — ${a.reason}` : ''}
                  {a.undoneBy ? ' (undone)' : ''}
                </li>
              ))}
            </ol>
          )}
        </details>
      </article>
    </Card>
  );
}
