import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import { GradeSubmissionDocument, GradingInboxDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { SafeHtml } from '../player/safe-html.js';
import '../instructor/staff.css';

type Pending = {
  id: string;
  course: string;
  assignment: string;
  maxScore: number;
  attempt: number;
  body: string;
  submittedAt: string;
  late: boolean;
  learner: string;
};

/** Submissions waiting for a grade across the instructor's courses, oldest first, graded with score + feedback. */
export function GradingInboxPage() {
  const { data, error, refetch } = useQuery(GradingInboxDocument, { fetchPolicy: 'cache-and-network' });
  // The graded card leaves the list; this says what happened (a status region, announced).
  const [saved, setSaved] = useState<string | null>(null);
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  if (!data) return <Spinner label="Loading submissions…" />;
  const pending: Pending[] = data.courses.edges
    .flatMap(({ node: course }) =>
      course.modules.flatMap((module) =>
        module.assignments.flatMap((assignment) =>
          assignment.submissions
            .filter((s) => s.status === 'SUBMITTED')
            .map((s) => ({
              id: s.id,
              course: course.title,
              assignment: assignment.title,
              maxScore: assignment.maxScore,
              attempt: s.attempt,
              body: s.body,
              submittedAt: s.submittedAt,
              late: s.late,
              learner: s.learner.displayName,
            })),
        ),
      ),
    )
    .sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  return (
    <Page title="Grading" heading="Grading inbox">
      <p role="status">{saved}</p>
      {pending.length === 0 ? <p>Nothing to grade: every submission has a grade.</p> : null}
      <ul className="eg-list" aria-label="Submissions to grade">
        {pending.map((submission) => (
          <GradeCard
            key={submission.id}
            submission={submission}
            onGraded={(score) => {
              setSaved(
                `Graded ${submission.learner} · ${submission.assignment}: ${score} of ${submission.maxScore}.`,
              );
              void refetch();
            }}
          />
        ))}
      </ul>
    </Page>
  );
}

function GradeCard({ submission, onGraded }: { submission: Pending; onGraded: (score: number) => void }) {
  const [grade, { loading, error }] = useMutation(GradeSubmissionDocument);
  const [score, setScore] = useState('');
  const [feedback, setFeedback] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const headingId = `submission-${submission.id}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(score);
    if (!Number.isInteger(value) || value < 0 || value > submission.maxScore) {
      setInvalid(`Enter a whole number from 0 to ${submission.maxScore}.`);
      return;
    }
    setInvalid(null);
    const result = await grade({
      variables: { input: { submissionId: submission.id, score: value, feedback: feedback || null } },
    }).catch(() => null);
    if (result?.data) onGraded(value);
  };
  return (
    <Card as="li">
      <h2 id={headingId}>
        {submission.learner} · {submission.assignment}
      </h2>
      <p className="eg-muted">
        {submission.course} · attempt {submission.attempt} · submitted{' '}
        {new Date(submission.submittedAt).toLocaleString()}
        {submission.late ? ' · late' : ''}
      </p>
      <SafeHtml html={submission.body} />
      <form className="eg-form" aria-labelledby={headingId} onSubmit={(event) => void submit(event)}>
        <TextField
          label={`Score (out of ${submission.maxScore})`}
          inputMode="numeric"
          value={score}
          error={invalid}
          onChange={(e) => setScore(e.currentTarget.value)}
        />
        <div className="eg-field">
          <label className="eg-field__label" htmlFor={`feedback-${submission.id}`}>
            Feedback
          </label>
          <textarea
            id={`feedback-${submission.id}`}
            className="eg-field__input"
            rows={4}
            value={feedback}
            onChange={(e) => setFeedback(e.currentTarget.value)}
          />
        </div>
        {error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
        <div className="eg-form__actions">
          <Button type="submit" busy={loading}>
            Save grade
          </Button>
        </div>
      </form>
    </Card>
  );
}
