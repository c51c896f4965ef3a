import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Spinner } from '../../components/index.js';
import {
  CompleteLessonDocument,
  CoursePlayerDocument,
  PlayerLessonDocument,
  SaveLessonPositionDocument,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { formatDuration, formatUnlock } from './format.js';
import { SafeHtml } from './safe-html.js';

/**
 * One lesson: its content (sanitised HTML, or the media asset), "Mark as complete", and the saved position —
 * opening a lesson makes it the resume point; media saves the playback second on pause and at the end.
 */
export function LessonView({ lessonId, slug }: { lessonId: string; slug: string }) {
  const { data, loading, error } = useQuery(PlayerLessonDocument, { variables: { id: lessonId } });
  const [complete, completing] = useMutation(CompleteLessonDocument, {
    refetchQueries: [
      { query: CoursePlayerDocument, variables: { slug } },
      { query: PlayerLessonDocument, variables: { id: lessonId } },
    ],
  });
  const [savePosition] = useMutation(SaveLessonPositionDocument);
  const lesson = data?.lesson;
  const open = lesson?.access.state === 'OPEN';
  const saved = useRef(false);

  // Opening the lesson is the new resume point (once per visit).
  useEffect(() => {
    if (!open || saved.current || !lesson) return;
    saved.current = true;
    const { positionSeconds, positionPage } = lesson.viewerProgress ?? {};
    void savePosition({
      variables: {
        input: {
          lessonId: lesson.id,
          ...(lesson.contentKind === 'TEXT' || lesson.contentKind === 'PDF' || lesson.contentKind === 'SLIDES'
            ? { positionPage: positionPage ?? 1 }
            : { positionSeconds: positionSeconds ?? 0 }),
        },
      },
    }).catch(() => undefined);
  }, [open, lesson, savePosition]);

  if (loading && !data) return <Spinner label="Loading the lesson…" />;
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  if (!lesson) return <Alert tone="error">This lesson was not found.</Alert>;

  // Completed as soon as the mutation says so, even before the lesson query is refetched.
  const completed =
    (lesson.viewerProgress?.completed ?? false) ||
    completing.data?.completeLesson.progress.lessonId === lesson.id;
  const saveSeconds = (seconds: number) =>
    void savePosition({
      variables: { input: { lessonId: lesson.id, positionSeconds: Math.floor(seconds) } },
    }).catch(() => undefined);

  return (
    <section aria-labelledby="lesson-title" className="eg-lesson">
      <h2 id="lesson-title">{lesson.title}</h2>
      {lesson.durationSeconds ? <p className="eg-muted">{formatDuration(lesson.durationSeconds)}</p> : null}
      {!open ? (
        <Alert tone="info">
          {lesson.access.state === 'LOCKED'
            ? `This lesson is not open yet. ${formatUnlock(lesson.access.unlocksAt)}.`
            : 'Enroll in the course to open this lesson.'}
        </Alert>
      ) : (
        <>
          {lesson.asset?.url && lesson.contentKind === 'VIDEO' ? (
            <video
              className="eg-lesson__media"
              controls
              src={lesson.asset.url}
              onLoadedMetadata={(event) => {
                const at = lesson.viewerProgress?.positionSeconds;
                if (at) event.currentTarget.currentTime = at;
              }}
              onPause={(event) => saveSeconds(event.currentTarget.currentTime)}
              onEnded={(event) => saveSeconds(event.currentTarget.duration)}
            />
          ) : lesson.asset?.url && lesson.contentKind === 'AUDIO' ? (
            <audio
              controls
              src={lesson.asset.url}
              onPause={(event) => saveSeconds(event.currentTarget.currentTime)}
            />
          ) : lesson.asset?.url ? (
            <p>
              <a href={lesson.asset.url}>Open {lesson.asset.fileName}</a>
            </p>
          ) : lesson.contentKind !== 'TEXT' ? (
            <p className="eg-muted">The media for this lesson is being prepared.</p>
          ) : null}
          {lesson.body ? <SafeHtml className="eg-rich-text" html={lesson.body} /> : null}
          <div className="eg-form__actions">
            {completed ? (
              <Alert tone="success">You completed this lesson.</Alert>
            ) : (
              <Button
                busy={completing.loading}
                onClick={() =>
                  void complete({ variables: { input: { lessonId: lesson.id } } }).catch(() => undefined)
                }
              >
                Mark as complete
              </Button>
            )}
          </div>
          {completing.error ? <Alert tone="error">{errorMessage(completing.error)}</Alert> : null}
          {completing.data?.completeLesson.certificate ? (
            <Alert tone="success">
              You finished the course!{' '}
              <Link to={`/certificates/${completing.data.completeLesson.certificate.verificationId}`}>
                View your certificate
              </Link>
            </Alert>
          ) : null}
        </>
      )}
    </section>
  );
}
