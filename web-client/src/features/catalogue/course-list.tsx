import { useQuery } from '@apollo/client/react';
import { Alert, Button, Spinner } from '../../components/index.js';
import { CatalogueDocument, type CoursesFilter } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { CourseCard } from './course-card.js';

export const PAGE_SIZE = 12;

/** A page of courses (learning's `courses` connection) with "Load more". */
export function CourseList({
  filter,
  empty,
  label,
}: {
  filter: CoursesFilter | null;
  empty: string;
  label: string;
}) {
  const { data, loading, error, fetchMore } = useQuery(CatalogueDocument, {
    variables: { first: PAGE_SIZE, filter },
    notifyOnNetworkStatusChange: true,
  });
  const connection = data?.courses;
  if (error && !connection) return <Alert tone="error">{errorMessage(error)}</Alert>;
  if (!connection) return <Spinner label="Loading courses…" />;
  return (
    <>
      {connection.edges.length === 0 ? <p>{empty}</p> : null}
      <ul className="eg-grid" aria-label={label}>
        {connection.edges.map(({ node }) => (
          <CourseCard key={node.id} course={node} />
        ))}
      </ul>
      {connection.pageInfo.hasNextPage ? (
        <Button
          variant="secondary"
          busy={loading}
          onClick={() => void fetchMore({ variables: { after: connection.pageInfo.endCursor } })}
        >
          Load more courses
        </Button>
      ) : null}
    </>
  );
}
