import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createLearningHarness,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';

let h: LearningHarness;
let instructor: TestUser;
let otherInstructor: TestUser;
let admin: TestUser;
let learner: TestUser;

beforeAll(async () => {
  h = await createLearningHarness('course');
  instructor = await h.user(['INSTRUCTOR']);
  otherInstructor = await h.user(['INSTRUCTOR']);
  admin = await h.user(['ADMIN']);
  learner = await h.user(['LEARNER']);
});
afterAll(async () => {
  await h?.close();
});

const CREATE = `mutation($input: CreateCourseInput!) {
  createCourse(input: $input) { course { id slug title status level tags languages isFree instructor { id } } }
}`;
const UPDATE = `mutation($input: UpdateCourseInput!) { updateCourse(input: $input) { course { id title slug } } }`;
const COURSE = `query($id: ID, $slug: String) {
  course(id: $id, slug: $slug) { id slug title status reviewNote publishedAt modules { id title position lessons { id title position } } }
}`;
const ADD_MODULE = `mutation($input: AddCourseModuleInput!) { addCourseModule(input: $input) { module { id position } } }`;
const MOVE_MODULE = `mutation($input: MoveCourseModuleInput!) { moveCourseModule(input: $input) { modules { id title position } } }`;
const DELETE_MODULE = `mutation($input: CourseModuleIdInput!) { deleteCourseModule(input: $input) { modules { title position } } }`;
const ADD_LESSON = `mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id position moduleId } } }`;
const UPDATE_LESSON = `mutation($input: UpdateLessonInput!) { updateLesson(input: $input) { lesson { id title contentKind } } }`;
const MOVE_LESSON = `mutation($input: MoveLessonInput!) { moveLesson(input: $input) { lesson { id position moduleId } } }`;
const DELETE_LESSON = `mutation($input: LessonIdInput!) { deleteLesson(input: $input) { module { lessons { title position } } } }`;
const LESSON_BODY = `query($id: ID!) { lesson(id: $id) { id body } }`;
const SUBMIT = `mutation($id: ID!) { submitCourseForReview(input: { courseId: $id }) { course { status submittedAt } } }`;
const APPROVE = `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { status publishedAt } } }`;
const REJECT = `mutation($id: ID!, $note: String!) { rejectCourse(input: { courseId: $id, note: $note }) { course { status reviewNote } } }`;
const ARCHIVE = `mutation($id: ID!) { archiveCourse(input: { courseId: $id }) { course { status } } }`;
const COURSES = `query($filter: CoursesFilter, $first: Int, $after: String) {
  courses(filter: $filter, first: $first, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } }
}`;
const PREREQS = `mutation($input: SetCoursePrerequisitesInput!) {
  setCoursePrerequisites(input: $input) { course { id prerequisites { id } } }
}`;

async function createCourse(as: TestUser, input: Record<string, unknown>): Promise<string> {
  const data = await h.ok<{ createCourse: { course: { id: string } } }>(CREATE, { input }, as);
  return data.createCourse.course.id;
}

async function titles(courseId: string): Promise<string[][]> {
  const data = await h.ok<{
    course: {
      modules: { title: string; position: number; lessons: { title: string; position: number }[] }[];
    };
  }>(COURSE, { id: courseId }, instructor);
  return data.course.modules.map((m) => [
    `${m.position}:${m.title}`,
    ...m.lessons.map((l) => `${l.position}:${l.title}`),
  ]);
}

describe('course authoring', () => {
  it('an instructor creates a DRAFT course with a slug from its title; others may not', async () => {
    const data = await h.ok<{ createCourse: { course: Record<string, unknown> } }>(
      CREATE,
      {
        input: {
          title: '  Léarn GraphQL: the Basics ',
          tags: ['GraphQL', 'graphql', 'API'],
          languages: ['en', 'pt-BR'],
          level: 'BEGINNER',
        },
      },
      instructor,
    );
    expect(data.createCourse.course).toMatchObject({
      slug: 'learn-graphql-the-basics',
      title: 'Léarn GraphQL: the Basics',
      status: 'DRAFT',
      level: 'BEGINNER',
      tags: ['graphql', 'api'],
      languages: ['en', 'pt-BR'],
      isFree: false,
      instructor: { id: instructor.id },
    });
    // The same title again gets a unique slug; an explicit taken slug is refused.
    const again = await h.ok<{ createCourse: { course: { slug: string } } }>(
      CREATE,
      { input: { title: 'Learn GraphQL: the basics' } },
      otherInstructor,
    );
    expect(again.createCourse.course.slug).toMatch(/^learn-graphql-the-basics-[0-9a-f]{6}$/);
    expect(
      codes(await h.gql(CREATE, { input: { title: 'X', slug: 'learn-graphql-the-basics' } }, instructor)),
    ).toEqual(['SLUG_TAKEN']);
    expect(codes(await h.gql(CREATE, { input: { title: 'Nope' } }, learner))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(CREATE, { input: { title: 'Nope' } }, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await h.gql(CREATE, { input: { title: '   ' } }, instructor))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(CREATE, { input: { title: 'A', languages: ['english'] } }, instructor))).toEqual(
      ['BAD_USER_INPUT'],
    );
    const rows = (await h.dataSource.query(`SELECT count(*)::int AS n FROM learning.courses`)) as {
      n: number;
    }[];
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('only the owner or an admin updates a course; bad input changes nothing', async () => {
    const id = await createCourse(instructor, { title: 'Owned' });
    expect(
      codes(await h.gql(UPDATE, { input: { courseId: id, title: 'Hijacked' } }, otherInstructor)),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(await h.gql(UPDATE, { input: { courseId: id, title: 'Ok', slug: 'Not a slug' } }, instructor)),
    ).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.gql(UPDATE, { input: { courseId: 'nope', title: 'x' } }, instructor))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const updated = await h.ok<{ updateCourse: { course: { title: string; slug: string } } }>(
      UPDATE,
      { input: { courseId: id, title: 'Renamed', slug: 'renamed-course' } },
      admin,
    );
    expect(updated.updateCourse.course).toEqual({ id, title: 'Renamed', slug: 'renamed-course' });
    const bySlug = await h.ok<{ course: { id: string } }>(COURSE, { slug: 'renamed-course' }, instructor);
    expect(bySlug.course.id).toBe(id);
    expect(codes(await h.gql(COURSE, { id, slug: 'renamed-course' }, instructor))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });

  it('modules and lessons keep gapless positions through inserts, moves and deletes', async () => {
    const id = await createCourse(instructor, { title: 'Ordering' });
    const modules: string[] = [];
    for (const title of ['A', 'B', 'C']) {
      const data = await h.ok<{ addCourseModule: { module: { id: string } } }>(
        ADD_MODULE,
        { input: { courseId: id, title } },
        instructor,
      );
      modules.push(data.addCourseModule.module.id);
    }
    // Insert at the front.
    await h.ok(ADD_MODULE, { input: { courseId: id, title: 'Intro', position: 1 } }, instructor);
    const lessons: string[] = [];
    for (const title of ['a1', 'a2', 'a3'])
      lessons.push(
        (
          await h.ok<{ addLesson: { lesson: { id: string } } }>(
            ADD_LESSON,
            { input: { moduleId: modules[0], title, contentKind: 'TEXT', bodyHtml: `<p>${title}</p>` } },
            instructor,
          )
        ).addLesson.lesson.id,
      );
    expect(await titles(id)).toEqual([['1:Intro'], ['2:A', '1:a1', '2:a2', '3:a3'], ['3:B'], ['4:C']]);

    const moved = await h.ok<{ moveCourseModule: { modules: { title: string; position: number }[] } }>(
      MOVE_MODULE,
      { input: { moduleId: modules[2], position: 1 } },
      instructor,
    );
    expect(moved.moveCourseModule.modules.map((m) => `${m.position}:${m.title}`)).toEqual([
      '1:C',
      '2:Intro',
      '3:A',
      '4:B',
    ]);
    await h.ok(MOVE_MODULE, { input: { moduleId: modules[2], position: 99 } }, instructor);

    await h.ok(MOVE_LESSON, { input: { lessonId: lessons[2], position: 1 } }, instructor);
    const across = await h.ok<{ moveLesson: { lesson: { position: number; moduleId: string } } }>(
      MOVE_LESSON,
      { input: { lessonId: lessons[0], position: 1, moduleId: modules[1] } },
      instructor,
    );
    expect(across.moveLesson.lesson).toEqual({ id: lessons[0], position: 1, moduleId: modules[1] });
    expect(await titles(id)).toEqual([['1:Intro'], ['2:A', '1:a3', '2:a2'], ['3:B', '1:a1'], ['4:C']]);

    const deleted = await h.ok<{
      deleteLesson: { module: { lessons: { title: string; position: number }[] } };
    }>(DELETE_LESSON, { input: { lessonId: lessons[2] } }, instructor);
    expect(deleted.deleteLesson.module.lessons).toEqual([{ title: 'a2', position: 1 }]);
    const dropped = await h.ok<{ deleteCourseModule: { modules: { title: string; position: number }[] } }>(
      DELETE_MODULE,
      { input: { moduleId: modules[1] } },
      instructor,
    );
    expect(dropped.deleteCourseModule.modules).toEqual([
      { title: 'Intro', position: 1 },
      { title: 'A', position: 2 },
      { title: 'C', position: 3 },
    ]);
    // Another instructor may not reorder; an unknown module is NOT_FOUND; a lesson cannot leave its course.
    expect(
      codes(await h.gql(MOVE_MODULE, { input: { moduleId: modules[0], position: 1 } }, otherInstructor)),
    ).toEqual(['FORBIDDEN']);
    const foreign = await createCourse(instructor, { title: 'Elsewhere' });
    const foreignModule = (
      await h.ok<{ addCourseModule: { module: { id: string } } }>(
        ADD_MODULE,
        { input: { courseId: foreign, title: 'X' } },
        instructor,
      )
    ).addCourseModule.module.id;
    expect(
      codes(
        await h.gql(
          MOVE_LESSON,
          { input: { lessonId: lessons[1], position: 1, moduleId: foreignModule } },
          instructor,
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(await titles(id)).toEqual([['1:Intro'], ['2:A', '1:a2'], ['3:C']]);
  });

  it('sanitises rich text and checks lesson content', async () => {
    const id = await createCourse(instructor, { title: 'Content' });
    const moduleId = (
      await h.ok<{ addCourseModule: { module: { id: string } } }>(
        ADD_MODULE,
        { input: { courseId: id, title: 'M' } },
        instructor,
      )
    ).addCourseModule.module.id;
    const added = await h.ok<{ addLesson: { lesson: { id: string } } }>(
      ADD_LESSON,
      {
        input: {
          moduleId,
          title: 'Rich',
          contentKind: 'TEXT',
          bodyHtml:
            '<h2 onclick="x()">Hi</h2><script>alert(1)</script><a href="javascript:alert(1)">link</a>',
        },
      },
      instructor,
    );
    const lessonId = added.addLesson.lesson.id;
    const body = await h.ok<{ lesson: { body: string } }>(LESSON_BODY, { id: lessonId }, instructor);
    expect(body.lesson.body).toBe('<h2>Hi</h2><a rel="noopener noreferrer nofollow">link</a>');
    expect(
      codes(
        await h.gql(ADD_LESSON, { input: { moduleId, title: 'No body', contentKind: 'TEXT' } }, instructor),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await h.gql(ADD_LESSON, { input: { moduleId, title: 'No asset', contentKind: 'VIDEO' } }, instructor),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await h.gql(
          ADD_LESSON,
          {
            input: {
              moduleId,
              title: 'Both',
              contentKind: 'TEXT',
              bodyHtml: '<p/>',
              releaseOffsetDays: 1,
              releaseAt: new Date().toISOString(),
            },
          },
          instructor,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    // Switching to a video needs an asset; the failed update leaves the lesson as it was.
    expect(
      codes(await h.gql(UPDATE_LESSON, { input: { lessonId, contentKind: 'VIDEO' } }, instructor)),
    ).toEqual(['BAD_USER_INPUT']);
    const video = await h.ok<{ updateLesson: { lesson: { contentKind: string } } }>(
      UPDATE_LESSON,
      {
        input: {
          lessonId,
          contentKind: 'VIDEO',
          assetId: '6f0c8a4e-3b9d-4c51-9a57-2d1e8f7b6c30',
          bodyHtml: null,
          title: 'Watch',
        },
      },
      instructor,
    );
    expect(video.updateLesson.lesson).toEqual({ id: lessonId, title: 'Watch', contentKind: 'VIDEO' });
    expect(
      codes(await h.gql(UPDATE_LESSON, { input: { lessonId, title: 'Mine now' } }, otherInstructor)),
    ).toEqual(['FORBIDDEN']);
  });
});

describe('review and publication', () => {
  it('draft → review → (rejected → draft → review) → published → archived, approvals by admins', async () => {
    const id = await createCourse(instructor, { title: 'Reviewed course' });
    expect(codes(await h.gql(SUBMIT, { id }, instructor))).toEqual(['COURSE_INCOMPLETE']);
    const moduleId = (
      await h.ok<{ addCourseModule: { module: { id: string } } }>(
        ADD_MODULE,
        { input: { courseId: id, title: 'M' } },
        instructor,
      )
    ).addCourseModule.module.id;
    await h.ok(
      ADD_LESSON,
      { input: { moduleId, title: 'L', contentKind: 'TEXT', bodyHtml: '<p>x</p>' } },
      instructor,
    );
    expect(codes(await h.gql(SUBMIT, { id }, otherInstructor))).toEqual(['FORBIDDEN']);
    expect(
      (await h.ok<{ submitCourseForReview: { course: { status: string } } }>(SUBMIT, { id }, instructor))
        .submitCourseForReview.course.status,
    ).toBe('REVIEW');
    expect(codes(await h.gql(SUBMIT, { id }, instructor))).toEqual(['INVALID_COURSE_STATE']);
    // Instructors cannot approve, not even their own course.
    expect(codes(await h.gql(APPROVE, { id }, instructor))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(REJECT, { id, note: 'x' }, instructor))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(REJECT, { id, note: '  ' }, admin))).toEqual(['BAD_USER_INPUT']);
    const rejected = await h.ok<{ rejectCourse: { course: { status: string; reviewNote: string } } }>(
      REJECT,
      { id, note: 'Add a summary.' },
      admin,
    );
    expect(rejected.rejectCourse.course).toEqual({ status: 'DRAFT', reviewNote: 'Add a summary.' });
    expect(
      (await h.ok<{ course: { reviewNote: string } }>(COURSE, { id }, instructor)).course.reviewNote,
    ).toBe('Add a summary.');
    await h.ok(SUBMIT, { id }, instructor);
    // The review queue: admins list REVIEW courses; others may not.
    const queue = await h.ok<{ courses: { edges: { node: { id: string } }[] } }>(
      COURSES,
      { filter: { status: 'REVIEW' } },
      admin,
    );
    expect(queue.courses.edges.map((e) => e.node.id)).toContain(id);
    expect(codes(await h.gql(COURSES, { filter: { status: 'REVIEW' } }, learner))).toEqual(['FORBIDDEN']);
    // Not visible to others before publication.
    expect((await h.ok<{ course: unknown }>(COURSE, { id }, learner)).course).toBeNull();
    expect((await h.ok<{ course: unknown }>(COURSE, { id }, null)).course).toBeNull();
    const approved = await h.ok<{ approveCourse: { course: { status: string; publishedAt: string } } }>(
      APPROVE,
      { id },
      admin,
    );
    expect(approved.approveCourse.course.status).toBe('PUBLISHED');
    expect(codes(await h.gql(APPROVE, { id }, admin))).toEqual(['INVALID_COURSE_STATE']);
    const seen = await h.ok<{ course: { id: string; reviewNote: string | null } }>(COURSE, { id }, null);
    expect(seen.course).toMatchObject({ id, reviewNote: null });
    const events = (await h.dataSource.query(
      `SELECT event_type, payload FROM learning.outbox WHERE aggregate_id = $1`,
      [id],
    )) as { event_type: string; payload: Record<string, unknown> }[];
    expect(events).toEqual([
      {
        event_type: 'course.published',
        payload: expect.objectContaining({ courseId: id, instructorId: instructor.id }),
      },
    ]);
    const listed = await h.ok<{ courses: { edges: { node: { id: string } }[] } }>(
      COURSES,
      { first: 100 },
      null,
    );
    expect(listed.courses.edges.map((e) => e.node.id)).toContain(id);

    expect(codes(await h.gql(ARCHIVE, { id }, otherInstructor))).toEqual(['FORBIDDEN']);
    await h.ok(ARCHIVE, { id }, instructor);
    const after = await h.ok<{ courses: { edges: { node: { id: string } }[] } }>(
      COURSES,
      { first: 100 },
      null,
    );
    expect(after.courses.edges.map((e) => e.node.id)).not.toContain(id);
    expect(codes(await h.gql(UPDATE, { input: { courseId: id, title: 'Again' } }, instructor))).toEqual([
      'INVALID_COURSE_STATE',
    ]);
    // The instructor still sees it among their own courses.
    const mine = await h.ok<{ courses: { edges: { node: { id: string; status: string } }[] } }>(
      COURSES,
      { filter: { mine: true, status: 'ARCHIVED' } },
      instructor,
    );
    expect(mine.courses.edges.map((e) => e.node)).toContainEqual({ id, status: 'ARCHIVED' });
  });

  it('prerequisites must exist, be published and never form a cycle', async () => {
    const a = await h.publishedCourse(instructor, admin, { title: 'Prereq A' });
    const b = await h.publishedCourse(instructor, admin, { title: 'Prereq B' });
    const set = await h.ok<{ setCoursePrerequisites: { course: { prerequisites: { id: string }[] } } }>(
      PREREQS,
      { input: { courseId: b.courseId, prerequisiteIds: [a.courseId] } },
      instructor,
    );
    expect(set.setCoursePrerequisites.course.prerequisites).toEqual([{ id: a.courseId }]);
    expect(
      codes(
        await h.gql(PREREQS, { input: { courseId: a.courseId, prerequisiteIds: [b.courseId] } }, instructor),
      ),
    ).toEqual(['PREREQUISITE_CYCLE']);
    expect(
      codes(
        await h.gql(PREREQS, { input: { courseId: a.courseId, prerequisiteIds: [a.courseId] } }, instructor),
      ),
    ).toEqual(['PREREQUISITE_CYCLE']);
    const draft = await createCourse(otherInstructor, { title: 'Draft elsewhere' });
    expect(
      codes(await h.gql(PREREQS, { input: { courseId: a.courseId, prerequisiteIds: [draft] } }, instructor)),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await h.gql(
          PREREQS,
          { input: { courseId: a.courseId, prerequisiteIds: ['0b1c2d3e-4f50-4a61-8b72-c3d4e5f60718'] } },
          instructor,
        ),
      ),
    ).toEqual(['NOT_FOUND']);
    expect(
      codes(await h.gql(PREREQS, { input: { courseId: b.courseId, prerequisiteIds: [] } }, learner)),
    ).toEqual(['FORBIDDEN']);
  });
});
