import { useQuery } from '@apollo/client/react';
import { Link, NavLink, useParams } from 'react-router';
import { Alert, Page, Spinner } from '../../components/index.js';
import { CoursePlayerDocument, type CoursePlayerQuery } from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { AssignmentView } from './assignment-view.js';
import { formatUnlock, type ItemKind } from './format.js';
import { LessonView } from './lesson-view.js';
import { QuizView } from './quiz-view.js';
import './player.css';

type Course = NonNullable<CoursePlayerQuery['course']>;
type OutlineItem = {
  kind: ItemKind;
  id: string;
  title: string;
  locked: boolean;
  unlocksAt: string | null;
  completed: boolean;
};

/** Every openable thing of the course in order: per module its lessons, then assignments, then quizzes. */
export function outlineItems(course: Course): { module: Course['modules'][number]; items: OutlineItem[] }[] {
  return course.modules.map((module) => ({
    module,
    items: [
      ...module.lessons.map((lesson) => ({
        kind: 'lesson' as const,
        id: lesson.id,
        title: lesson.title,
        locked: lesson.access.locked,
        unlocksAt: lesson.access.unlocksAt,
        completed: lesson.viewerProgress?.completed ?? false,
      })),
      ...module.assignments.map((a) => ({
        kind: 'assignment' as const,
        id: a.id,
        title: a.title,
        locked: a.access.locked,
        unlocksAt: a.access.unlocksAt,
        completed: false,
      })),
      ...module.quizzes.map((q) => ({
        kind: 'quiz' as const,
        id: q.id,
        title: q.title,
        locked: q.access.locked,
        unlocksAt: q.access.unlocksAt,
        completed: false,
      })),
    ],
  }));
}

const KIND_LABEL: Record<ItemKind, string> = { lesson: 'Lesson', assignment: 'Assignment', quiz: 'Quiz' };
const KIND_PATH: Record<ItemKind, string> = { lesson: 'lessons', assignment: 'assignments', quiz: 'quizzes' };
const PATH_KIND: Record<string, ItemKind> = { lessons: 'lesson', assignments: 'assignment', quizzes: 'quiz' };

export const itemPath = (slug: string, kind: ItemKind, id: string) =>
  `/learn/${slug}/${KIND_PATH[kind]}/${id}`;

/**
 * The course player: the outline with drip locks (a locked item shows when it opens and is not a link), course
 * progress, the resume point and the certificate; the open lesson, assignment or quiz beside it.
 */
export function CoursePlayerPage() {
  const { slug = '', kind: kindPath, itemId } = useParams();
  const { data, loading, error } = useQuery(CoursePlayerDocument, { variables: { slug } });
  if (loading && !data) return <Spinner label="Loading the course…" />;
  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  const course = data?.course;
  if (!course)
    return (
      <Page title="Course not found">
        <p>
          There is no course at this address. <Link to="/my-learning">Back to my learning</Link>.
        </p>
      </Page>
    );
  const enrollment = course.viewerEnrollment;
  if (!enrollment || (enrollment.status !== 'ACTIVE' && enrollment.status !== 'COMPLETED'))
    return (
      <Page title={course.title}>
        <p>
          You are not enrolled in this course. <Link to={`/courses/${course.slug}`}>See the course</Link>.
        </p>
      </Page>
    );

  const modules = outlineItems(course);
  const flat = modules.flatMap((m) => m.items);
  const kind = kindPath ? PATH_KIND[kindPath] : undefined;
  const current = kind && itemId ? flat.find((item) => item.kind === kind && item.id === itemId) : undefined;
  const resume =
    flat.find((item) => item.kind === 'lesson' && item.id === enrollment.resumeLesson?.id) ??
    flat.find((item) => !item.locked && !item.completed) ??
    flat.find((item) => !item.locked);
  // resumeLesson is the first lesson until one is opened; the outline's progress tells whether one was
  const started =
    enrollment.progressPercent > 0 ||
    course.modules.some((m) => m.lessons.some((lesson) => lesson.viewerProgress !== null));
  const index = current ? flat.indexOf(current) : -1;
  const next = index >= 0 ? flat.slice(index + 1).find((item) => !item.locked) : undefined;

  return (
    <Page title={current ? `${current.title} · ${course.title}` : course.title} heading={course.title}>
      <div className="eg-player">
        <aside className="eg-player__outline" aria-labelledby="player-outline">
          <h2 id="player-outline">Course outline</h2>
          <CourseProgress percent={enrollment.progressPercent} />
          {enrollment.certificate ? (
            <p>
              <Link to={`/certificates/${enrollment.certificate.verificationId}`}>View your certificate</Link>
            </p>
          ) : null}
          <ol className="eg-player__modules">
            {modules.map(({ module, items }) => (
              <li key={module.id}>
                <h3 className="eg-player__module-title">{module.title}</h3>
                {module.access.locked ? (
                  <p className="eg-muted">{formatUnlock(module.access.unlocksAt)}</p>
                ) : null}
                <ol className="eg-player__items">
                  {items.map((item) => (
                    <li key={`${item.kind}:${item.id}`} className="eg-player__item">
                      {item.locked ? (
                        <span className="eg-player__locked" aria-disabled="true">
                          <span>{item.title}</span>
                          <span className="eg-muted">
                            {KIND_LABEL[item.kind]} · {formatUnlock(item.unlocksAt)}
                          </span>
                        </span>
                      ) : (
                        <NavLink to={itemPath(course.slug, item.kind, item.id)} className="eg-player__link">
                          <span>{item.title}</span>
                          <span className="eg-muted">
                            {KIND_LABEL[item.kind]}
                            {item.completed ? ' · Completed' : ''}
                          </span>
                        </NavLink>
                      )}
                    </li>
                  ))}
                </ol>
              </li>
            ))}
          </ol>
        </aside>
        <div className="eg-player__content">
          {current ? (
            current.locked ? (
              <Alert tone="info">
                {current.title} is not open yet. {formatUnlock(current.unlocksAt)}.
              </Alert>
            ) : current.kind === 'lesson' ? (
              <LessonView key={current.id} lessonId={current.id} slug={course.slug} />
            ) : current.kind === 'assignment' ? (
              <AssignmentView key={current.id} assignmentId={current.id} />
            ) : (
              <QuizView key={current.id} quizId={current.id} slug={course.slug} />
            )
          ) : kindPath ? (
            <Alert tone="error">This item is not part of the course.</Alert>
          ) : (
            <section aria-labelledby="player-start">
              <h2 id="player-start">{started ? 'Welcome back' : 'Ready to start'}</h2>
              {resume ? (
                <p>
                  <Link
                    className="eg-button eg-button--primary"
                    to={itemPath(course.slug, resume.kind, resume.id)}
                  >
                    {started ? 'Resume' : 'Start'}: {resume.title}
                  </Link>
                </p>
              ) : (
                <p>Nothing is open yet: locked items show when they unlock.</p>
              )}
            </section>
          )}
          {current && next ? (
            <p className="eg-player__next">
              <Link to={itemPath(course.slug, next.kind, next.id)}>Next: {next.title}</Link>
            </p>
          ) : null}
        </div>
      </div>
    </Page>
  );
}

export function CourseProgress({ percent }: { percent: number }) {
  return (
    <div className="eg-progress">
      <label>
        Course progress <strong>{percent}%</strong>
        <progress max={100} value={percent} aria-valuetext={`${percent}% complete`} />
      </label>
    </div>
  );
}
