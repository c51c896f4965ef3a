import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { Alert, Button, Card, Spinner } from '../../components/index.js';
import { PlayerAssignmentDocument, SubmitAssignmentDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { formatDateTime } from './format.js';
import { SafeHtml, textToHtml } from './safe-html.js';

/** An assignment: instructions, the due date, a text answer to hand in (again), each submission's grade and feedback. */
export function AssignmentView({ assignmentId }: { assignmentId: string }) {
  const { data, loading, error } = useQuery(PlayerAssignmentDocument, { variables: { id: assignmentId } });
  const [submit, submitting] = useMutation(SubmitAssignmentDocument, {
    refetchQueries: [{ query: PlayerAssignmentDocument, variables: { id: assignmentId } }],
    awaitRefetchQueries: true,
  });
  const [answer, setAnswer] = useState('');
  const [sent, setSent] = useState(false);
  const answerId = useId();

  if (loading && !data) return <Spinner label="Loading the assignment…" />;
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  const assignment = data?.assignment;
  if (!assignment) return <Alert tone="error">This assignment was not found.</Alert>;

  const submissions = [...assignment.viewerSubmissions].sort((a, b) => b.attempt - a.attempt);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    try {
      await submit({ variables: { input: { assignmentId, bodyHtml: textToHtml(answer) } } });
      setAnswer('');
      setSent(true);
    } catch {
      // shown from submitting.error
    }
  };

  return (
    <section aria-labelledby="assignment-title">
      <h2 id="assignment-title">{assignment.title}</h2>
      <dl className="eg-facts">
        <dt>Points</dt>
        <dd>
          {assignment.maxScore}
          {assignment.passScore !== null ? ` (pass at ${assignment.passScore})` : ''}
        </dd>
        {assignment.viewerDueAt ? (
          <>
            <dt>Due</dt>
            <dd>{formatDateTime(assignment.viewerDueAt)}</dd>
          </>
        ) : null}
      </dl>
      {assignment.instructions ? <SafeHtml className="eg-rich-text" html={assignment.instructions} /> : null}
      {assignment.access.locked ? (
        <Alert tone="info">This assignment is not open for submissions yet.</Alert>
      ) : (
        <form className="eg-form" onSubmit={(event) => void onSubmit(event)}>
          <div className="eg-field">
            <label htmlFor={answerId} className="eg-field__label">
              {submissions.length > 0 ? 'Resubmit your answer' : 'Your answer'}
            </label>
            <textarea
              id={answerId}
              className="eg-textarea"
              required
              value={answer}
              onChange={(event) => setAnswer(event.target.value)}
            />
          </div>
          <div className="eg-form__actions">
            <Button type="submit" busy={submitting.loading} disabled={!answer.trim()}>
              Submit assignment
            </Button>
          </div>
        </form>
      )}
      {sent ? <Alert tone="success">Your work was submitted.</Alert> : null}
      {submitting.error ? <Alert tone="error">{errorMessage(submitting.error)}</Alert> : null}
      <h3>Your submissions</h3>
      {submissions.length === 0 ? <p>You have not submitted anything yet.</p> : null}
      <ul className="eg-list" aria-label="Your submissions">
        {submissions.map((submission) => (
          <Card as="li" key={submission.id}>
            <p>
              <strong>Attempt {submission.attempt}</strong> · submitted{' '}
              {formatDateTime(submission.submittedAt)}
              {submission.late ? ' · late' : ''}
            </p>
            {submission.status === 'GRADED' ? (
              <p>
                Grade: <strong>{submission.score ?? 0}</strong> of {assignment.maxScore}
              </p>
            ) : (
              <p className="eg-muted">Waiting for a grade.</p>
            )}
            {submission.feedback ? (
              <p>
                Feedback: <span>{submission.feedback}</span>
              </p>
            ) : null}
            <SafeHtml className="eg-rich-text" html={submission.body} />
          </Card>
        ))}
      </ul>
    </section>
  );
}
