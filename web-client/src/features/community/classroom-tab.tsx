import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { Alert, Spinner } from '../../components/index.js';
import { CommunityClassroomDocument } from '../../generated/graphql.js';

/** Learning courses linked to the community, in order. */
export function ClassroomTab({ communityId }: { communityId: string }) {
  const { data, loading, error } = useQuery(CommunityClassroomDocument, { variables: { communityId } });
  const courses = (data?.community?.classroom.edges ?? []).flatMap((e) =>
    e.node.course ? [e.node.course] : [],
  );
  return (
    <div className="eg-classroom">
      {error ? <Alert tone="error">The classroom could not be loaded: {error.message}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {data && courses.length === 0 ? <p>No courses are linked to this community yet.</p> : null}
      <ul aria-label="Classroom courses">
        {courses.map((c) => (
          <li key={c.id}>
            <Link to={`/courses/${c.slug}`}>{c.title}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
