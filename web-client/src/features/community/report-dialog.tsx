import { useMutation } from '@apollo/client/react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Alert, Button } from '../../components/index.js';
import {
  ReportContentDocument,
  type ModerationReportReason,
  type ModerationTargetType,
} from '../../generated/graphql.js';
import { errorCode, errorMessage } from '../../lib/graphql-errors.js';
import './moderation.css';

/** The reasons `reportContent` accepts, in the order shown. */
export const REPORT_REASONS: readonly { value: ModerationReportReason; label: string }[] = [
  { value: 'SPAM', label: 'Spam' },
  { value: 'HARASSMENT', label: 'Harassment or bullying' },
  { value: 'HATE', label: 'Hate speech' },
  { value: 'VIOLENCE', label: 'Violence or threats' },
  { value: 'SEXUAL', label: 'Sexual content' },
  { value: 'MISINFORMATION', label: 'Misinformation' },
  { value: 'OFF_TOPIC', label: 'Off topic' },
  { value: 'OTHER', label: 'Something else' },
];

const NOTE_LIMIT = 1000;

/**
 * "Report" for a post or a comment: opens a small non-modal dialog (reason, optional note) in place. The outcome
 * is announced politely (role=status): sent, or already reported (the API keeps one open report per person and
 * target: ALREADY_REPORTED).
 */
export function ReportButton({
  communityId,
  targetType,
  targetId,
  subject,
}: {
  communityId: string;
  targetType: Extract<ModerationTargetType, 'POST' | 'COMMENT'>;
  targetId: string;
  /** What is reported, for the accessible names ("Hello from Sam", "comment by Ada"). */
  subject: string;
}) {
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const close = (message: string | null) => {
    setOpen(false);
    if (message) setOutcome(message);
    wrapper.current?.querySelector('button')?.focus();
  };
  return (
    <div ref={wrapper} className="eg-report__wrapper">
      <Button
        variant="link"
        aria-expanded={open}
        aria-label={`Report ${subject}`}
        onClick={() => {
          setOutcome(null);
          setOpen((o) => !o);
        }}
      >
        Report
      </Button>
      <div role="status" className="eg-report__outcome">
        {outcome}
      </div>
      {open ? (
        <ReportDialog
          communityId={communityId}
          targetType={targetType}
          targetId={targetId}
          subject={subject}
          onClose={close}
        />
      ) : null}
    </div>
  );
}

export function ReportDialog({
  communityId,
  targetType,
  targetId,
  subject,
  onClose,
}: {
  communityId: string;
  targetType: Extract<ModerationTargetType, 'POST' | 'COMMENT'>;
  targetId: string;
  subject: string;
  /** Called with the message to announce (null: cancelled). */
  onClose: (message: string | null) => void;
}) {
  const headingId = useId();
  const noteId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [reason, setReason] = useState<ModerationReportReason | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [report, { loading }] = useMutation(ReportContentDocument);
  useEffect(() => heading.current?.focus(), []);
  const what = targetType === 'POST' ? 'post' : 'comment';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (!reason) return setProblem('Choose a reason.');
    try {
      await report({
        variables: {
          input: { communityId, targetType, targetId, reason, ...(note.trim() ? { note: note.trim() } : {}) },
        },
      });
      onClose(`Thank you — your report about this ${what} was sent to the moderators.`);
    } catch (error) {
      if (errorCode(error) === 'ALREADY_REPORTED')
        return onClose(`You already reported this ${what}; the moderators have your report.`);
      setProblem(`The report was not sent: ${errorMessage(error)}`);
    }
  };
  return (
    <div
      role="dialog"
      aria-labelledby={headingId}
      className="eg-report"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose(null);
      }}
    >
      <form onSubmit={(e) => void submit(e)}>
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          Report {subject}
        </h3>
        <fieldset className="eg-report__reasons">
          <legend>Why are you reporting this {what}?</legend>
          {REPORT_REASONS.map((r) => (
            <label key={r.value} className="eg-community__check">
              <input
                type="radio"
                name={`report-reason-${targetId}`}
                value={r.value}
                checked={reason === r.value}
                onChange={() => setReason(r.value)}
              />{' '}
              {r.label}
            </label>
          ))}
        </fieldset>
        <div className="eg-field">
          <label htmlFor={noteId} className="eg-field__label">
            Note for the moderators (optional)
          </label>
          <textarea
            id={noteId}
            className="eg-field__input"
            rows={2}
            maxLength={NOTE_LIMIT}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
        </div>
        {problem ? <Alert tone="error">{problem}</Alert> : null}
        <div className="eg-report__buttons">
          <Button type="submit" busy={loading}>
            Send report
          </Button>
          <Button variant="secondary" onClick={() => onClose(null)}>
            Cancel
          </Button>
        </div>
      </form>
    </div>
  );
}
