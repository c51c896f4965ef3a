import { useApolloClient, useQuery } from '@apollo/client/react';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { Alert, Button, Card, Page, Spinner, TextField } from '../../components/index.js';
import {
  AddCourseModuleDocument,
  AddLessonDocument,
  BuilderCourseDocument,
  DeleteCourseModuleDocument,
  DeleteLessonDocument,
  MoveCourseModuleDocument,
  MoveLessonDocument,
  RenameCourseModuleDocument,
  SetCoursePriceDocument,
  SubmitCourseForReviewDocument,
  UpdateCourseDocument,
  UpdateLessonDocument,
  type BuilderCourseQuery,
  type BuilderLessonFragment,
  type BuilderModuleFragment,
  type CourseLevel,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { LessonUpload } from './lesson-upload.js';
import { RichTextEditor } from './rich-text-editor.js';
import './staff.css';

type BuilderCourse = NonNullable<BuilderCourseQuery['course']>;
type Run = <R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  variables: V,
  announce: string,
  focusKey?: string,
) => Promise<R | null>;

const LEVELS: CourseLevel[] = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED', 'ALL_LEVELS'];

/** Instructors build a course: details, price, modules and lessons (order, body, files), then submit it. */
export function CourseBuilderPage() {
  const { courseId = '' } = useParams();
  const client = useApolloClient();
  const { data, error } = useQuery(BuilderCourseDocument, { variables: { id: courseId } });
  const [announcement, setAnnouncement] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const focusAfter = useRef<string | null>(null);

  useEffect(() => {
    if (!focusAfter.current) return;
    const target = document.querySelector<HTMLElement>(`[data-focus-key="${focusAfter.current}"]`);
    if (target && !(target as HTMLButtonElement).disabled) target.focus();
    else document.querySelector<HTMLElement>(`[data-focus-fallback="${focusAfter.current}"]`)?.focus();
    focusAfter.current = null;
  }, [data]);

  const run: Run = async <R, V extends Record<string, unknown>>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    announce: string,
    focusKey?: string,
  ) => {
    setFailure(null);
    try {
      const result = await client.mutate({ mutation: document, variables: variables as never });
      focusAfter.current = focusKey ?? null;
      await client.refetchQueries({ include: [BuilderCourseDocument] });
      setAnnouncement(announce);
      return (result.data as R | undefined) ?? null;
    } catch (e) {
      setFailure(errorMessage(e));
      return null;
    }
  };

  if (error && !data) return <Alert tone="error">{errorMessage(error)}</Alert>;
  if (!data) return <Spinner label="Loading the course…" />;
  const course = data.course;
  if (!course) return <Alert tone="error">This course was not found.</Alert>;
  const editable = course.status === 'DRAFT';

  return (
    <Page title={`Edit ${course.title}`} heading={course.title}>
      <p>
        Status: <strong className="eg-badge">{course.status}</strong>{' '}
        <Link to={`/courses/${course.slug}`}>View course page</Link> ·{' '}
        <Link to="/teaching">All your courses</Link>
      </p>
      {course.reviewNote && course.status === 'DRAFT' ? (
        <Alert tone="info">Reviewer’s note: {course.reviewNote}</Alert>
      ) : null}
      <div role="status" className="eg-visually-hidden-status">
        {announcement}
      </div>
      {failure ? <Alert tone="error">{failure}</Alert> : null}
      <DetailsForm course={course} run={run} />
      <PriceForm course={course} run={run} />
      <section className="eg-section" aria-labelledby="builder-modules">
        <h2 id="builder-modules">Modules and lessons</h2>
        {course.modules.length === 0 ? <p>No modules yet. Add the first one below.</p> : null}
        <ol className="eg-list eg-builder__modules">
          {course.modules.map((module, index) => (
            <ModuleEditor
              key={module.id}
              module={module}
              first={index === 0}
              last={index === course.modules.length - 1}
              run={run}
            />
          ))}
        </ol>
        <AddForm
          label="New module title"
          action="Add module"
          onAdd={(title) =>
            run(
              AddCourseModuleDocument,
              { input: { courseId: course.id, title } },
              `Module “${title}” added.`,
            )
          }
        />
      </section>
      <section className="eg-section" aria-labelledby="builder-review">
        <h2 id="builder-review">Review</h2>
        {editable ? (
          <>
            <p>
              When the course has at least one lesson, submit it; an admin approves or returns it with a note.
            </p>
            <Button
              onClick={() =>
                void run(
                  SubmitCourseForReviewDocument,
                  { courseId: course.id },
                  'Course submitted for review.',
                )
              }
            >
              Submit for review
            </Button>
          </>
        ) : (
          <p>This course is {course.status.toLowerCase()}; only drafts are submitted for review.</p>
        )}
      </section>
    </Page>
  );
}

function DetailsForm({ course, run }: { course: BuilderCourse; run: Run }) {
  const [title, setTitle] = useState(course.title);
  const [summary, setSummary] = useState(course.summary);
  const [level, setLevel] = useState<CourseLevel>(course.level);
  const [isFree, setIsFree] = useState(course.isFree);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void run(
      UpdateCourseDocument,
      { input: { courseId: course.id, title, summary, level, isFree } },
      'Course details saved.',
    );
  };
  return (
    <Card>
      <h2>Details</h2>
      <form className="eg-form" onSubmit={submit}>
        <TextField label="Title" value={title} required onChange={(e) => setTitle(e.currentTarget.value)} />
        <TextField label="Summary" value={summary} onChange={(e) => setSummary(e.currentTarget.value)} />
        <div className="eg-field">
          <label className="eg-field__label" htmlFor="builder-level">
            Level
          </label>
          <select
            id="builder-level"
            className="eg-field__input"
            value={level}
            onChange={(e) => setLevel(e.currentTarget.value as CourseLevel)}
          >
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l.replace('_', ' ').toLowerCase()}
              </option>
            ))}
          </select>
        </div>
        <div className="eg-field">
          <label>
            <input type="checkbox" checked={isFree} onChange={(e) => setIsFree(e.currentTarget.checked)} />{' '}
            Free course
          </label>
        </div>
        <div className="eg-form__actions">
          <Button type="submit">Save details</Button>
        </div>
      </form>
    </Card>
  );
}

function PriceForm({ course, run }: { course: BuilderCourse; run: Run }) {
  const current = course.product?.price;
  const [amount, setAmount] = useState(current ? (current.amount / 100).toFixed(2) : '');
  const [currency, setCurrency] = useState(current?.currency ?? 'EUR');
  const [error, setError] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const minor = Math.round(Number(amount) * 100);
    if (!Number.isFinite(minor) || minor < 50) {
      setError('Enter a price of at least 0.50.');
      return;
    }
    setError(null);
    void run(
      SetCoursePriceDocument,
      { input: { kind: 'COURSE', refId: course.id, title: course.title, amount: minor, currency } },
      `Price set to ${(minor / 100).toFixed(2)} ${currency}.`,
    );
  };
  return (
    <Card>
      <h2>Price</h2>
      <p>
        {current
          ? `Current price: ${(current.amount / 100).toFixed(2)} ${current.currency}.`
          : 'No price yet: learners can only enrol if the course is free.'}
      </p>
      <form className="eg-form" onSubmit={submit}>
        <TextField
          label="Price"
          inputMode="decimal"
          value={amount}
          error={error}
          hint="In the currency’s main unit, e.g. 49.00"
          onChange={(e) => setAmount(e.currentTarget.value)}
        />
        <TextField
          label="Currency"
          value={currency}
          maxLength={3}
          onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
        />
        <div className="eg-form__actions">
          <Button type="submit">Set price</Button>
        </div>
      </form>
    </Card>
  );
}

function AddForm({
  label,
  action,
  onAdd,
}: {
  label: string;
  action: string;
  onAdd: (title: string) => Promise<unknown>;
}) {
  const [title, setTitle] = useState('');
  return (
    <form
      className="eg-form eg-builder__add"
      onSubmit={(event) => {
        event.preventDefault();
        if (!title.trim()) return;
        void onAdd(title.trim()).then(() => setTitle(''));
      }}
    >
      <TextField label={label} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
      <div className="eg-form__actions">
        <Button type="submit">{action}</Button>
      </div>
    </form>
  );
}

function MoveButtons({
  name,
  focusKey,
  first,
  last,
  onMove,
}: {
  name: string;
  focusKey: string;
  first: boolean;
  last: boolean;
  onMove: (delta: -1 | 1, key: string) => void;
}) {
  return (
    <>
      <Button
        variant="secondary"
        aria-label={`Move ${name} up`}
        data-focus-key={`${focusKey}:up`}
        data-focus-fallback={`${focusKey}:down`}
        disabled={first}
        onClick={() => onMove(-1, `${focusKey}:up`)}
      >
        ↑ Up
      </Button>
      <Button
        variant="secondary"
        aria-label={`Move ${name} down`}
        data-focus-key={`${focusKey}:down`}
        data-focus-fallback={`${focusKey}:up`}
        disabled={last}
        onClick={() => onMove(1, `${focusKey}:down`)}
      >
        ↓ Down
      </Button>
    </>
  );
}

function ModuleEditor({
  module,
  first,
  last,
  run,
}: {
  module: BuilderModuleFragment;
  first: boolean;
  last: boolean;
  run: Run;
}) {
  const [title, setTitle] = useState(module.title);
  const headingId = `module-${module.id}`;
  return (
    <li className="eg-card eg-builder__module" aria-labelledby={headingId}>
      <h3 id={headingId}>
        Module {module.position}: {module.title}
      </h3>
      <div className="eg-form__actions">
        <MoveButtons
          name={`module ${module.title}`}
          focusKey={`module-${module.id}`}
          first={first}
          last={last}
          onMove={(delta, key) =>
            void run(
              MoveCourseModuleDocument,
              { moduleId: module.id, position: module.position + delta },
              `Module “${module.title}” moved to position ${module.position + delta}.`,
              key,
            )
          }
        />
        <Button
          variant="danger"
          aria-label={`Delete module ${module.title}`}
          onClick={() => {
            if (window.confirm(`Delete “${module.title}” and its lessons?`))
              void run(
                DeleteCourseModuleDocument,
                { moduleId: module.id },
                `Module “${module.title}” deleted.`,
              );
          }}
        >
          Delete
        </Button>
      </div>
      <form
        className="eg-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(
            RenameCourseModuleDocument,
            { moduleId: module.id, title },
            `Module renamed to “${title}”.`,
          );
        }}
      >
        <TextField
          label={`Title of module ${module.position}`}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <div className="eg-form__actions">
          <Button type="submit" variant="secondary">
            Rename module
          </Button>
        </div>
      </form>
      <ol className="eg-list">
        {module.lessons.map((lesson, index) => (
          <LessonEditor
            key={lesson.id}
            lesson={lesson}
            first={index === 0}
            last={index === module.lessons.length - 1}
            run={run}
          />
        ))}
      </ol>
      <AddForm
        label={`New lesson in ${module.title}`}
        action="Add lesson"
        onAdd={(lessonTitle) =>
          run(
            AddLessonDocument,
            { input: { moduleId: module.id, title: lessonTitle, contentKind: 'TEXT', bodyHtml: '<p></p>' } },
            `Lesson “${lessonTitle}” added.`,
          )
        }
      />
    </li>
  );
}

function LessonEditor({
  lesson,
  first,
  last,
  run,
}: {
  lesson: BuilderLessonFragment;
  first: boolean;
  last: boolean;
  run: Run;
}) {
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(lesson.title);
  const [body, setBody] = useState(lesson.body ?? '');
  return (
    <li className="eg-builder__lesson">
      <div className="eg-form__actions">
        <span>
          {lesson.position}. {lesson.title}{' '}
          <span className="eg-muted">({lesson.contentKind.toLowerCase()})</span>
        </span>
        <Button variant="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Close' : 'Edit'} <span className="eg-visually-hidden-status">{lesson.title}</span>
        </Button>
        <MoveButtons
          name={`lesson ${lesson.title}`}
          focusKey={`lesson-${lesson.id}`}
          first={first}
          last={last}
          onMove={(delta, key) =>
            void run(
              MoveLessonDocument,
              { lessonId: lesson.id, position: lesson.position + delta },
              `Lesson “${lesson.title}” moved to position ${lesson.position + delta}.`,
              key,
            )
          }
        />
        <Button
          variant="danger"
          aria-label={`Delete lesson ${lesson.title}`}
          onClick={() => {
            if (window.confirm(`Delete the lesson “${lesson.title}”?`))
              void run(DeleteLessonDocument, { lessonId: lesson.id }, `Lesson “${lesson.title}” deleted.`);
          }}
        >
          Delete
        </Button>
      </div>
      {open ? (
        <form
          className="eg-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(
              UpdateLessonDocument,
              { input: { lessonId: lesson.id, title, bodyHtml: body } },
              `Lesson “${title}” saved.`,
            );
          }}
        >
          <TextField label="Lesson title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
          <RichTextEditor label="Lesson text" initialHtml={lesson.body ?? ''} onChange={setBody} />
          <LessonUpload lessonId={lesson.id} asset={lesson.asset ?? null} />
          <div className="eg-form__actions">
            <Button type="submit">Save lesson</Button>
          </div>
        </form>
      ) : null}
    </li>
  );
}
