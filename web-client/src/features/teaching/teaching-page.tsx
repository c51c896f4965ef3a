import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import { CreateCourseDocument, TeachingCoursesDocument } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import '../instructor/staff.css';

/** Instructors: their own courses in every state, with a link to the builder, and a new course. */
export function TeachingPage() {
  const { data, error } = useQuery(TeachingCoursesDocument, { fetchPolicy: 'cache-and-network' });
  const [createCourse, created] = useMutation(CreateCourseDocument);
  const [title, setTitle] = useState('');
  const navigate = useNavigate();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!title.trim()) return;
    const result = await createCourse({ variables: { input: { title: title.trim() } } }).catch(() => null);
    const id = result?.data?.createCourse.course.id;
    if (id) await navigate(`/teaching/courses/${id}`);
  };
  return (
    <Page
      title="Teaching"
      heading="Your courses"
      actions={
        <nav aria-label="Teaching">
          <Link to="/teaching/grading">Grading inbox</Link> · <Link to="/teaching/sales">Sales</Link>
        </nav>
      }
    >
      <Card>
        <h2>New course</h2>
        <form className="eg-form" onSubmit={(event) => void submit(event)}>
          <TextField
            label="Course title"
            value={title}
            required
            error={created.error ? errorMessage(created.error) : null}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
          <div className="eg-form__actions">
            <Button type="submit" busy={created.loading}>
              Create course
            </Button>
          </div>
        </form>
      </Card>
      {error && !data ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {!data && !error ? <Spinner label="Loading your courses…" /> : null}
      {data ? (
        data.courses.edges.length === 0 ? (
          <p>You have not created a course yet.</p>
        ) : (
          <ul className="eg-list" aria-label="Your courses">
            {data.courses.edges.map(({ node }) => (
              <li key={node.id}>
                <Link to={`/teaching/courses/${node.id}`}>{node.title}</Link>{' '}
                <span className="eg-badge">{node.status}</span>{' '}
                <span className="eg-muted">
                  {node.lessonCount} {node.lessonCount === 1 ? 'lesson' : 'lessons'}
                </span>
                {node.reviewNote && node.status === 'DRAFT' ? (
                  <p className="eg-muted">Returned by the reviewer: {node.reviewNote}</p>
                ) : null}
              </li>
            ))}
          </ul>
        )
      ) : null}
    </Page>
  );
}
