import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import { ApproveCourseDocument, RejectCourseDocument, ReviewQueueDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';

/** Admins: courses submitted for review, approved (published) or returned to the instructor with a note. */
export function ReviewQueuePage() {
  const { data, error, refetch } = useQuery(ReviewQueueDocument, { fetchPolicy: 'cache-and-network' });
  const [approve] = useMutation(ApproveCourseDocument);
  const [reject] = useMutation(RejectCourseDocument);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const act = async (work: Promise<unknown>, done: string) => {
    try {
      await work;
      setMessage({ tone: 'success', text: done });
      await refetch();
    } catch (e) {
      setMessage({ tone: 'error', text: errorMessage(e) });
    }
  };
  return (
    <Page title="Course review" heading="Courses waiting for review">
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {error && !data ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {!data && !error ? <Spinner label="Loading courses…" /> : null}
      {data?.courses.edges.length === 0 ? <p>No course is waiting for review.</p> : null}
      <ul className="eg-list" aria-label="Courses in review">
        {data?.courses.edges.map(({ node }) => (
          <Card as="li" key={node.id}>
            <h2>
              <Link to={`/courses/${node.slug}`}>{node.title}</Link>
            </h2>
            <p>{node.summary}</p>
            <p className="eg-muted">
              By {node.instructor.displayName} · {node.lessonCount} lessons
            </p>
            <TextField
              label={`Note for the instructor of ${node.title}`}
              hint="Needed to return the course."
              value={notes[node.id] ?? ''}
              onChange={(e) => setNotes({ ...notes, [node.id]: e.currentTarget.value })}
            />
            <div className="eg-form__actions">
              <Button
                onClick={() =>
                  void act(approve({ variables: { courseId: node.id } }), `“${node.title}” is published.`)
                }
              >
                Approve {node.title}
              </Button>
              <Button
                variant="danger"
                disabled={!notes[node.id]?.trim()}
                onClick={() =>
                  void act(
                    reject({ variables: { courseId: node.id, note: notes[node.id]!.trim() } }),
                    `“${node.title}” was returned to its instructor.`,
                  )
                }
              >
                Return {node.title}
              </Button>
            </div>
          </Card>
        ))}
      </ul>
    </Page>
  );
}
