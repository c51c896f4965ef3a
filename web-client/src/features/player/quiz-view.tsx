import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Card, Spinner } from '../../components/index.js';
import {
  CoursePlayerDocument,
  PlayerQuizDocument,
  StartQuizAttemptDocument,
  SubmitQuizAttemptDocument,
  type PlayerQuizQuery,
  type QuizAnswerInput,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { formatDateTime, formatDuration } from './format.js';

type Quiz = NonNullable<PlayerQuizQuery['quiz']>;
type Answers = Record<string, { optionIds: string[]; text: string }>;

/** The answers as the API takes them: options for choice questions, text for short answers. */
export function toAnswerInputs(quiz: Quiz, answers: Answers): QuizAnswerInput[] {
  return quiz.questions.map((question) => {
    const answer = answers[question.id] ?? { optionIds: [], text: '' };
    return question.kind === 'SHORT_ANSWER'
      ? { questionId: question.id, text: answer.text }
      : { questionId: question.id, optionIds: answer.optionIds };
  });
}

/** A quiz: its rules (pass mark, attempt limit, time limit), start an attempt, answer, submit, see the score. */
export function QuizView({ quizId, slug }: { quizId: string; slug: string }) {
  const { data, loading, error } = useQuery(PlayerQuizDocument, { variables: { id: quizId } });
  const refetch = [
    { query: PlayerQuizDocument, variables: { id: quizId } },
    { query: CoursePlayerDocument, variables: { slug } },
  ];
  const [start, starting] = useMutation(StartQuizAttemptDocument, { refetchQueries: refetch });
  const [submit, submitting] = useMutation(SubmitQuizAttemptDocument, { refetchQueries: refetch });
  const [answers, setAnswers] = useState<Answers>({});

  if (loading && !data) return <Spinner label="Loading the quiz…" />;
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  const quiz = data?.quiz;
  if (!quiz) return <Alert tone="error">This quiz was not found.</Alert>;

  const attempts = [...quiz.viewerAttempts].sort((a, b) => b.number - a.number);
  const active = attempts.find((a) => !a.submittedAt && !a.expired);
  const used = attempts.length;
  const left = quiz.attemptLimit === null ? null : Math.max(0, quiz.attemptLimit - used);
  const last = submitting.data?.submitQuizAttempt.attempt;

  const answer = (questionId: string, change: (current: Answers[string]) => Answers[string]) =>
    setAnswers((all) => ({ ...all, [questionId]: change(all[questionId] ?? { optionIds: [], text: '' }) }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!active) return;
    try {
      await submit({
        variables: { input: { attemptId: active.id, answers: toAnswerInputs(quiz, answers) } },
      });
      setAnswers({});
    } catch {
      // shown from submitting.error
    }
  };

  return (
    <section aria-labelledby="quiz-title">
      <h2 id="quiz-title">{quiz.title}</h2>
      <dl className="eg-facts">
        <dt>Questions</dt>
        <dd>{quiz.questionCount}</dd>
        <dt>Pass mark</dt>
        <dd>{quiz.passPercent}%</dd>
        <dt>Attempts</dt>
        <dd>
          {quiz.attemptLimit === null ? `${used} used, no limit` : `${used} of ${quiz.attemptLimit} used`}
        </dd>
        <dt>Time limit</dt>
        <dd>{quiz.timeLimitSeconds ? formatDuration(quiz.timeLimitSeconds) : 'None'}</dd>
      </dl>
      {last?.submittedAt ? (
        <Alert tone={last.passed ? 'success' : 'info'}>
          You scored {last.score ?? 0} of {last.maxScore} ({last.percent ?? 0}%):{' '}
          {last.passed ? 'passed' : 'not passed yet'}.
        </Alert>
      ) : null}
      {active ? (
        <form className="eg-form" onSubmit={(event) => void onSubmit(event)}>
          {active.deadlineAt ? (
            <p role="note">
              Submit by <strong>{formatDateTime(active.deadlineAt)}</strong>.{' '}
              <TimeLeft deadline={active.deadlineAt} />
            </p>
          ) : null}
          {[...quiz.questions]
            .sort((a, b) => a.position - b.position)
            .map((question, index) => {
              const current = answers[question.id] ?? { optionIds: [], text: '' };
              const name = `q-${question.id}`;
              return (
                <fieldset key={question.id} className="eg-quiz__question">
                  <legend>
                    {index + 1}. {question.prompt}{' '}
                    <span className="eg-muted">
                      ({question.points} point{question.points === 1 ? '' : 's'}
                      {question.kind === 'MULTIPLE_CHOICE' ? ', choose all that apply' : ''})
                    </span>
                  </legend>
                  {question.kind === 'SHORT_ANSWER' ? (
                    <label className="eg-field">
                      <span className="eg-field__label">Your answer</span>
                      <input
                        className="eg-field__input"
                        name={name}
                        value={current.text}
                        onChange={(event) => answer(question.id, (a) => ({ ...a, text: event.target.value }))}
                      />
                    </label>
                  ) : (
                    question.options.map((option) => (
                      <label key={option.id} className="eg-quiz__option">
                        <input
                          type={question.kind === 'SINGLE_CHOICE' ? 'radio' : 'checkbox'}
                          name={name}
                          value={option.id}
                          checked={current.optionIds.includes(option.id)}
                          onChange={(event) =>
                            answer(question.id, (a) => ({
                              ...a,
                              optionIds:
                                question.kind === 'SINGLE_CHOICE'
                                  ? [option.id]
                                  : event.target.checked
                                    ? [...a.optionIds, option.id]
                                    : a.optionIds.filter((id) => id !== option.id),
                            }))
                          }
                        />
                        {option.text}
                      </label>
                    ))
                  )}
                </fieldset>
              );
            })}
          <div className="eg-form__actions">
            <Button type="submit" busy={submitting.loading}>
              Submit answers
            </Button>
          </div>
        </form>
      ) : left === 0 ? (
        <Alert tone="info">You have used every attempt for this quiz.</Alert>
      ) : quiz.access.locked ? (
        <Alert tone="info">This quiz is not open yet.</Alert>
      ) : (
        <Button
          busy={starting.loading}
          onClick={() => void start({ variables: { input: { quizId } } }).catch(() => undefined)}
        >
          {used > 0 ? 'Try again' : 'Start the quiz'}
        </Button>
      )}
      {starting.error ? <Alert tone="error">{errorMessage(starting.error)}</Alert> : null}
      {submitting.error ? <Alert tone="error">{errorMessage(submitting.error)}</Alert> : null}
      {attempts.some((a) => a.submittedAt) ? (
        <>
          <h3>Your attempts</h3>
          <ul className="eg-list" aria-label="Your attempts">
            {attempts
              .filter((a) => a.submittedAt)
              .map((attempt) => (
                <Card as="li" key={attempt.id}>
                  Attempt {attempt.number}: {attempt.score ?? 0} of {attempt.maxScore} ({attempt.percent ?? 0}
                  %) · {attempt.passed ? 'passed' : 'not passed'}
                  {attempt.expired ? ' · submitted after the time limit' : ''}
                </Card>
              ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** Minutes and seconds until `deadline`, "m:ss" (never negative). */
export function formatTimeLeft(deadline: string, now: number): string {
  const seconds = Math.max(0, Math.ceil((Date.parse(deadline) - now) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A countdown to the attempt's deadline (a timer region: not announced every second). */
function TimeLeft({ deadline }: { deadline: string }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <span role="timer" aria-live="off">
      Time left: {formatTimeLeft(deadline, now)}
    </span>
  );
}
