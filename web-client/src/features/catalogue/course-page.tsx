import { useMutation, useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Page, Spinner } from '../../components/index.js';
import { CourseDetailDocument, EnrollInFreeCourseDocument } from '../../generated/graphql.js';
import { useSession } from '../../lib/auth/session-context.js';
import { BuyButton } from '../checkout/buy-button.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { formatLevel, formatPrice, formatRating } from './format.js';

const KINDS = { VIDEO: 'Video', AUDIO: 'Audio', SLIDES: 'Slides', PDF: 'PDF', TEXT: 'Reading' } as const;

function minutes(seconds: number | null): string | null {
  return seconds ? `${Math.max(1, Math.round(seconds / 60))} min` : null;
}

export function CoursePage() {
  const { slug = '' } = useParams();
  const { state } = useSession();
  const { data, loading, error } = useQuery(CourseDetailDocument, { variables: { slug } });
  const [enroll, enrolling] = useMutation(EnrollInFreeCourseDocument, {
    refetchQueries: [{ query: CourseDetailDocument, variables: { slug } }],
  });
  if (loading && !data) return <Spinner label="Loading the course…" />;
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  const course = data?.course;
  if (!course)
    return (
      <Page title="Course not found">
        <p>
          There is no published course at this address. <Link to="/">Browse the catalogue</Link>.
        </p>
      </Page>
    );

  const enrolled =
    course.viewerEnrollment?.status === 'ACTIVE' || course.viewerEnrollment?.status === 'COMPLETED';
  return (
    <Page title={course.title}>
      <p className="eg-lead">{course.summary}</p>
      <dl className="eg-facts">
        <dt>Instructor</dt>
        <dd>{course.instructor.displayName}</dd>
        <dt>Level</dt>
        <dd>{formatLevel(course.level)}</dd>
        <dt>Rating</dt>
        <dd>{formatRating(course.rating)}</dd>
        <dt>Price</dt>
        <dd>{formatPrice(course)}</dd>
      </dl>
      <section aria-labelledby="course-access" className="eg-section">
        <h2 id="course-access">Access</h2>
        {enrolled ? (
          <>
            <Alert tone="success">You are enrolled in this course.</Alert>
            <p>
              <Link className="eg-button eg-button--primary" to={`/learn/${course.slug}`}>
                Start learning
              </Link>
            </p>
          </>
        ) : state.status !== 'signedIn' ? (
          <p>
            <Link to={`/sign-in?next=${encodeURIComponent(`/courses/${course.slug}`)}`}>Sign in</Link> to
            enroll.
          </p>
        ) : course.isFree ? (
          <Button
            busy={enrolling.loading}
            onClick={() =>
              void enroll({ variables: { input: { courseId: course.id } } }).catch(() => undefined)
            }
          >
            Enroll for free
          </Button>
        ) : course.product ? (
          <BuyButton productId={course.product.id} label={`Buy for ${formatPrice(course)}`} />
        ) : (
          <p>This course is not for sale yet.</p>
        )}
        {enrolling.error ? <Alert tone="error">{errorMessage(enrolling.error)}</Alert> : null}
      </section>
      <section aria-labelledby="course-outline" className="eg-section">
        <h2 id="course-outline">Course outline</h2>
        {course.modules.length === 0 ? <p>The outline is not published yet.</p> : null}
        <ol className="eg-outline">
          {course.modules.map((module) => (
            <li key={module.id}>
              <Card>
                <h3>{module.title}</h3>
                <ol className="eg-outline__lessons">
                  {module.lessons.map((lesson) => (
                    <li key={lesson.id}>
                      <span>{lesson.title}</span>{' '}
                      <span className="eg-muted">
                        {[
                          KINDS[lesson.contentKind],
                          minutes(lesson.durationSeconds),
                          lesson.isPreview ? 'free preview' : null,
                        ]
                          .filter(Boolean)
                          .join(' · ')}
                      </span>
                    </li>
                  ))}
                </ol>
              </Card>
            </li>
          ))}
        </ol>
      </section>
    </Page>
  );
}
