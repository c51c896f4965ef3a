import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../common/clock.js';
import {
  codes,
  createLearningHarness,
  INTERNAL_TOKEN,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';
import { MEDIA_VIEW_RULE_PATH } from './media-view-rule.js';

const START = new Date('2026-03-02T09:00:00.000Z');
const ASSET = '7d1e2f30-4a5b-4c6d-8e7f-901a2b3c4d5e';

let h: LearningHarness;
let instructor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  h = await createLearningHarness('access', { now: START });
  instructor = await h.user(['INSTRUCTOR']);
  admin = await h.user(['ADMIN']);
});
afterAll(async () => {
  await h?.close();
});

const ADD_MODULE = `mutation($input: AddCourseModuleInput!) { addCourseModule(input: $input) { module { id } } }`;
const ADD_LESSON = `mutation($input: AddLessonInput!) { addLesson(input: $input) { lesson { id } } }`;
const GRANT = `mutation($input: EnrollLearnerInput!) { enrollLearner(input: $input) { enrollment { id activatedAt } } }`;
const OUTLINE = `query($id: ID!) {
  course(id: $id) { modules { title access { locked unlocksAt } lessons { title access { state locked unlocksAt } } } }
}`;
const LESSON_BODY = `query($id: ID!) { lesson(id: $id) { id title body } }`;
const LESSON_ASSET = `query($id: ID!) { lesson(id: $id) { id asset { id } } }`;
const OUTLINE_BODIES = `query($id: ID!) { course(id: $id) { modules { lessons { body } } } }`;
const ENTITY_BODY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Lesson { id body } } }`;
const SAVE = `mutation($id: ID!) { saveLessonPosition(input: { lessonId: $id, positionSeconds: 30 }) { progress { positionSeconds } } }`;
const COMPLETE = `mutation($id: ID!) { completeLesson(input: { lessonId: $id }) { progress { completed } } }`;

type Course = {
  courseId: string;
  /** Module 1 (no drip): text lesson + video lesson + preview; module 2: +7 days; module 3: fixed date; lesson with its own date. */
  lessons: { text: string; video: string; preview: string; week2: string; fixed: string; ownDate: string };
};

async function dripCourse(): Promise<Course> {
  const courseId = (
    await h.ok<{ createCourse: { course: { id: string } } }>(
      `mutation { createCourse(input: { title: "Drip course" }) { course { id } } }`,
      {},
      instructor,
    )
  ).createCourse.course.id;
  const moduleOf = async (input: Record<string, unknown>) =>
    (
      await h.ok<{ addCourseModule: { module: { id: string } } }>(
        ADD_MODULE,
        { input: { courseId, ...input } },
        instructor,
      )
    ).addCourseModule.module.id;
  const lessonOf = async (moduleId: string, input: Record<string, unknown>) =>
    (
      await h.ok<{ addLesson: { lesson: { id: string } } }>(
        ADD_LESSON,
        { input: { moduleId, contentKind: 'TEXT', bodyHtml: `<p>${String(input['title'])}</p>`, ...input } },
        instructor,
      )
    ).addLesson.lesson.id;
  const first = await moduleOf({ title: 'Week 1' });
  const second = await moduleOf({ title: 'Week 2', releaseOffsetDays: 7 });
  const third = await moduleOf({
    title: 'Launch',
    releaseAt: new Date(START.getTime() + 30 * DAY_MS).toISOString(),
  });
  const lessons = {
    text: await lessonOf(first, { title: 'Welcome' }),
    video: await lessonOf(first, { title: 'Video', contentKind: 'VIDEO', bodyHtml: null, assetId: ASSET }),
    preview: await lessonOf(first, { title: 'Preview', isPreview: true }),
    ownDate: await lessonOf(first, { title: 'Own date', releaseOffsetDays: 3 }),
    week2: await lessonOf(second, { title: 'Week 2 lesson' }),
    fixed: await lessonOf(third, { title: 'Launch lesson' }),
  };
  await h.ok(
    `mutation($id: ID!) { submitCourseForReview(input: { courseId: $id }) { course { id } } }`,
    { id: courseId },
    instructor,
  );
  await h.ok(
    `mutation($id: ID!) { approveCourse(input: { courseId: $id }) { course { id } } }`,
    { id: courseId },
    admin,
  );
  return { courseId, lessons };
}

async function mayView(viewer: TestUser, lessonId: string, assetId = ASSET, token = INTERNAL_TOKEN) {
  const response = await fetch(new URL(MEDIA_VIEW_RULE_PATH, h.server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      viewer: { userId: viewer.id, roles: viewer.roles },
      asset: {
        id: assetId,
        ownerId: instructor.id,
        ownerDomain: 'learning',
        subjectRef: `Lesson:${lessonId}`,
      },
    }),
  });
  return { status: response.status, body: (await response.json()) as { allow: boolean } };
}

describe('access to lesson content', () => {
  it('is denied to signed-out, non-enrolled, invited and cancelled users on every lesson path', async () => {
    const course = await dripCourse();
    const { text, video, preview } = course.lessons;
    const stranger = await h.user();
    const invited = await h.user();
    const cancelled = await h.user();
    await h.ok(GRANT, { input: { courseId: course.courseId, userId: invited.id, invite: true } }, instructor);
    const grant = await h.ok<{ enrollLearner: { enrollment: { id: string } } }>(
      GRANT,
      { input: { courseId: course.courseId, userId: cancelled.id } },
      instructor,
    );
    await h.ok(
      `mutation($id: ID!) { cancelEnrollment(input: { enrollmentId: $id }) { enrollment { id } } }`,
      { id: grant.enrollLearner.enrollment.id },
      cancelled,
    );

    for (const viewer of [null, stranger, invited, cancelled]) {
      const who = viewer?.id ?? 'anonymous';
      // The outline is public; content fields are not.
      const body = await h.gql<{ lesson: { title: string; body: null } }>(LESSON_BODY, { id: text }, viewer);
      expect(body.data?.lesson, who).toEqual({ id: text, title: 'Welcome', body: null });
      expect(codes(body), who).toEqual(['FORBIDDEN']);
      expect(codes(await h.gql(LESSON_ASSET, { id: video }, viewer)), who).toEqual(['FORBIDDEN']);
      const outline = await h.gql(OUTLINE_BODIES, { id: course.courseId }, viewer);
      // Five lessons, one a free preview: four denials.
      expect(codes(outline), who).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      const entity = await h.gql(ENTITY_BODY, { reps: [{ __typename: 'Lesson', id: text }] }, viewer);
      expect(codes(entity), who).toEqual(['FORBIDDEN']);
      if (viewer) {
        expect(codes(await h.gql(SAVE, { id: text }, viewer)), who).toEqual(['FORBIDDEN']);
        expect(codes(await h.gql(COMPLETE, { id: text }, viewer)), who).toEqual(['FORBIDDEN']);
        expect(await mayView(viewer, video), who).toEqual({ status: 200, body: { allow: false } });
      } else {
        expect(codes(await h.gql(SAVE, { id: text }, viewer))).toEqual(['UNAUTHENTICATED']);
      }
      // The free preview is open to everyone.
      const open = await h.gql<{ lesson: { body: string } }>(LESSON_BODY, { id: preview }, viewer);
      expect(open.data?.lesson.body, who).toBe('<p>Preview</p>');
    }
    const rows = (await h.dataSource.query(`SELECT count(*)::int AS n FROM learning.lesson_progress`)) as {
      n: number;
    }[];
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('the instructor, admins and enrolled learners get the content and the lesson asset', async () => {
    const course = await dripCourse();
    const learner = await h.user();
    await h.ok(GRANT, { input: { courseId: course.courseId, userId: learner.id } }, instructor);
    for (const viewer of [instructor, admin, learner]) {
      const body = await h.ok<{ lesson: { body: string } }>(LESSON_BODY, { id: course.lessons.text }, viewer);
      expect(body.lesson.body).toBe('<p>Welcome</p>');
      const asset = await h.ok<{ lesson: { asset: { id: string } } }>(
        LESSON_ASSET,
        { id: course.lessons.video },
        viewer,
      );
      expect(asset.lesson.asset).toEqual({ id: ASSET });
      expect(await mayView(viewer, course.lessons.video)).toEqual({ status: 200, body: { allow: true } });
    }
    // Media's rule: only the lesson's own asset, only learning's assets, only with the internal token.
    expect(await mayView(learner, course.lessons.text)).toEqual({ status: 200, body: { allow: false } });
    expect(await mayView(learner, course.lessons.video, 'a3f1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d')).toEqual({
      status: 200,
      body: { allow: false },
    });
    expect((await mayView(learner, course.lessons.video, ASSET, 'wrong-token')).status).toBe(401);
    const missing = await fetch(new URL(MEDIA_VIEW_RULE_PATH, h.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(missing.status).toBe(401);
    const malformed = await fetch(new URL(MEDIA_VIEW_RULE_PATH, h.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INTERNAL_TOKEN}` },
      body: JSON.stringify({
        viewer: { userId: learner.id },
        asset: { id: ASSET, ownerDomain: 'community' },
      }),
    });
    expect(malformed.status).toBe(400);
  });
});

describe('drip', () => {
  it('locks modules and lessons until their release, lists them as locked with unlocksAt and never serves them early', async () => {
    h.clock.set(START);
    const course = await dripCourse();
    const learner = await h.user();
    h.clock.set(new Date(START.getTime() + DAY_MS));
    const enrolledAt = h.clock.now();
    await h.ok(GRANT, { input: { courseId: course.courseId, userId: learner.id } }, instructor);
    const week2At = new Date(enrolledAt.getTime() + 7 * DAY_MS).toISOString();
    const ownAt = new Date(enrolledAt.getTime() + 3 * DAY_MS).toISOString();
    const launchAt = new Date(START.getTime() + 30 * DAY_MS).toISOString();

    const outline = async (viewer: TestUser) =>
      (
        await h.ok<{
          course: {
            modules: {
              title: string;
              access: { locked: boolean; unlocksAt: string | null };
              lessons: { title: string; access: { state: string; unlocksAt: string | null } }[];
            }[];
          };
        }>(OUTLINE, { id: course.courseId }, viewer)
      ).course.modules.map((m) => ({
        module: `${m.title}:${m.access.locked ? 'locked' : 'open'}:${m.access.unlocksAt ?? '-'}`,
        lessons: m.lessons.map((l) => `${l.title}:${l.access.state}:${l.access.unlocksAt ?? '-'}`),
      }));

    expect(await outline(learner)).toEqual([
      {
        module: 'Week 1:open:-',
        lessons: ['Welcome:OPEN:-', 'Video:OPEN:-', 'Preview:OPEN:-', `Own date:LOCKED:${ownAt}`],
      },
      { module: `Week 2:locked:${week2At}`, lessons: [`Week 2 lesson:LOCKED:${week2At}`] },
      { module: `Launch:locked:${launchAt}`, lessons: [`Launch lesson:LOCKED:${launchAt}`] },
    ]);
    // The instructor sees everything open.
    expect((await outline(instructor)).flatMap((m) => m.lessons).every((l) => l.includes(':OPEN:'))).toBe(
      true,
    );

    const locked = await h.gql(LESSON_BODY, { id: course.lessons.week2 }, learner);
    expect(codes(locked)).toEqual(['CONTENT_LOCKED']);
    expect((locked.errors?.[0]?.extensions as Record<string, unknown>)['unlocksAt']).toBe(week2At);
    expect(codes(await h.gql(COMPLETE, { id: course.lessons.week2 }, learner))).toEqual(['CONTENT_LOCKED']);
    expect(codes(await h.gql(LESSON_BODY, { id: course.lessons.ownDate }, learner))).toEqual([
      'CONTENT_LOCKED',
    ]);

    // Just before and at the lesson's own release time.
    h.clock.set(new Date(Date.parse(ownAt) - 1000));
    expect(codes(await h.gql(LESSON_BODY, { id: course.lessons.ownDate }, learner))).toEqual([
      'CONTENT_LOCKED',
    ]);
    h.clock.set(new Date(ownAt));
    expect(
      (await h.ok<{ lesson: { body: string } }>(LESSON_BODY, { id: course.lessons.ownDate }, learner)).lesson
        .body,
    ).toBe('<p>Own date</p>');
    // A week after enrollment: week 2 opens; the fixed-date module still waits.
    h.clock.set(new Date(week2At));
    expect(
      (await h.ok<{ lesson: { body: string } }>(LESSON_BODY, { id: course.lessons.week2 }, learner)).lesson
        .body,
    ).toBe('<p>Week 2 lesson</p>');
    expect(codes(await h.gql(LESSON_BODY, { id: course.lessons.fixed }, learner))).toEqual([
      'CONTENT_LOCKED',
    ]);
    h.clock.set(new Date(launchAt));
    expect((await outline(learner)).flatMap((m) => m.lessons).every((l) => l.includes(':OPEN:'))).toBe(true);
    expect(await mayView(learner, course.lessons.video)).toEqual({ status: 200, body: { allow: true } });
  });

  it('a lesson asset is not viewable through media before its release', async () => {
    h.clock.set(START);
    const courseId = (
      await h.ok<{ createCourse: { course: { id: string } } }>(
        `mutation { createCourse(input: { title: "Late video" }) { course { id } } }`,
        {},
        instructor,
      )
    ).createCourse.course.id;
    const moduleId = (
      await h.ok<{ addCourseModule: { module: { id: string } } }>(
        ADD_MODULE,
        { input: { courseId, title: 'Later', releaseOffsetDays: 2 } },
        instructor,
      )
    ).addCourseModule.module.id;
    const lessonId = (
      await h.ok<{ addLesson: { lesson: { id: string } } }>(
        ADD_LESSON,
        { input: { moduleId, title: 'Clip', contentKind: 'VIDEO', assetId: ASSET } },
        instructor,
      )
    ).addLesson.lesson.id;
    const learner = await h.user();
    await h.ok(GRANT, { input: { courseId, userId: learner.id } }, instructor);
    expect(await mayView(learner, lessonId)).toEqual({ status: 200, body: { allow: false } });
    expect(codes(await h.gql(LESSON_ASSET, { id: lessonId }, learner))).toEqual(['CONTENT_LOCKED']);
    h.clock.advance(2 * DAY_MS);
    expect(await mayView(learner, lessonId)).toEqual({ status: 200, body: { allow: true } });
  });
});
