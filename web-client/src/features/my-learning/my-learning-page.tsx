import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { Alert, Button, Card, Page, Spinner } from '../../components/index.js';
import { MyLearningDocument, type EnrollmentStatus } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { CourseProgress } from '../player/course-player-page.js';

const PAGE_SIZE = 20;
const STATUS: Record<EnrollmentStatus, string> = {
  INVITED: 'Invited',
  ACTIVE: 'In progress',
  COMPLETED: 'Completed',
  CANCELLED: 'Cancelled',
};

/** The learner's enrollments (`myEnrollments`, newest first) with progress, resume point and certificate. */
export function MyLearningPage() {
  const { data, loading, error, fetchMore } = useQuery(MyLearningDocument, {
    variables: { first: PAGE_SIZE },
    fetchPolicy: 'cache-and-network',
  });
  if (loading && !data) return <Spinner label="Loading your courses…" />;
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  const connection = data?.myEnrollments;
  const enrollments = connection?.edges.map((edge) => edge.node) ?? [];
  return (
    <Page title="My learning">
      {enrollments.length === 0 ? (
        <p>
          You are not enrolled in a course yet. <Link to="/">Browse the catalogue</Link>.
        </p>
      ) : (
        <ul className="eg-list eg-grid" aria-label="Your courses">
          {enrollments.map((enrollment) => {
            const course = enrollment.course;
            if (!course) return null;
            const open = enrollment.status === 'ACTIVE' || enrollment.status === 'COMPLETED';
            // resumeLesson is the first lesson until the learner opens one
            const started = enrollment.progressPercent > 0 || enrollment.lastActivityAt !== null;
            return (
              <Card as="li" key={enrollment.id}>
                <h2>{course.title}</h2>
                <p className="eg-muted">
                  {STATUS[enrollment.status]} · {course.lessonCount} lesson
                  {course.lessonCount === 1 ? '' : 's'}
                </p>
                <CourseProgress percent={enrollment.progressPercent} />
                {open ? (
                  <p>
                    <Link
                      className="eg-button eg-button--primary"
                      to={
                        enrollment.resumeLesson
                          ? `/learn/${course.slug}/lessons/${enrollment.resumeLesson.id}`
                          : `/learn/${course.slug}`
                      }
                      aria-label={`${started ? 'Resume' : 'Start'} ${course.title}`}
                    >
                      {started ? 'Resume' : 'Start'}
                    </Link>
                  </p>
                ) : null}
                {started && enrollment.resumeLesson ? (
                  <p className="eg-muted">Last lesson: {enrollment.resumeLesson.title}</p>
                ) : null}
                {enrollment.certificate ? (
                  <p>
                    <Link to={`/certificates/${enrollment.certificate.verificationId}`}>
                      Certificate for {course.title}
                    </Link>
                  </p>
                ) : null}
              </Card>
            );
          })}
        </ul>
      )}
      {connection?.pageInfo.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() =>
            void fetchMore({
              variables: { after: connection.pageInfo.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                myEnrollments: {
                  ...fetchMoreResult.myEnrollments,
                  edges: [...previous.myEnrollments.edges, ...fetchMoreResult.myEnrollments.edges],
                },
              }),
            })
          }
        >
          Show more
        </Button>
      ) : null}
    </Page>
  );
}
