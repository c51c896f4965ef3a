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
let admin: TestUser;

beforeAll(async () => {
  h = await createLearningHarness('progress');
  instructor = await h.user(['INSTRUCTOR']);
  admin = await h.user(['ADMIN']);
});
afterAll(async () => {
  await h?.close();
});

const SAVE = `mutation($input: SaveLessonPositionInput!) {
  saveLessonPosition(input: $input) { progress { lessonId completed positionSeconds positionPage } enrollment { progressPercent } }
}`;
const COMPLETE = `mutation($id: ID!) {
  completeLesson(input: { lessonId: $id }) {
    progress { completed completedAt }
    enrollment { status progressPercent completedAt }
    certificate { id verificationId courseTitle issuedAt holder { id } }
  }
}`;
const STATE = `query($id: ID!) {
  course(id: $id) {
    viewerEnrollment { status progressPercent resumeLesson { id title } certificate { verificationId } }
    modules { lessons { id viewerProgress { completed positionSeconds positionPage } } }
  }
}`;
const VERIFY = `query($v: String!) { certificate(verificationId: $v) { verificationId courseTitle courseId holder { id } issuedAt } }`;

type Completed = {
  completeLesson: {
    progress: { completed: boolean };
    enrollment: { status: string; progressPercent: number };
    certificate: { verificationId: string; courseTitle: string; holder: { id: string } } | null;
  };
};

async function events(type: string, userId: string): Promise<Record<string, unknown>[]> {
  const rows = (await h.dataSource.query(
    `SELECT payload FROM learning.outbox WHERE event_type = $1 AND payload->>'userId' = $2 ORDER BY occurred_at, id`,
    [type, userId],
  )) as { payload: Record<string, unknown> }[];
  return rows.map((r) => r.payload);
}

describe('progress', () => {
  it('positions become the resume point; completing every required lesson completes the course once, with a verifiable certificate', async () => {
    const course = await h.publishedCourse(instructor, admin, { modules: 2, lessons: 2, title: 'Finish me' });
    const [[l1, l2], [l3, optional]] = course.lessonIds as [[string, string], [string, string]];
    await h.ok(
      `mutation($input: UpdateLessonInput!) { updateLesson(input: $input) { lesson { id } } }`,
      { input: { lessonId: optional, isRequired: false } },
      instructor,
    );
    const learner = await h.user();
    await h.ok(
      `mutation($input: EnrollLearnerInput!) { enrollLearner(input: $input) { enrollment { id } } }`,
      { input: { courseId: course.courseId, userId: learner.id } },
      instructor,
    );
    // Before any progress the resume point is the first lesson.
    const fresh = await h.ok<{ course: { viewerEnrollment: { resumeLesson: { id: string } } } }>(
      STATE,
      { id: course.courseId },
      learner,
    );
    expect(fresh.course.viewerEnrollment.resumeLesson.id).toBe(l1);

    const saved = await h.ok<{ saveLessonPosition: { progress: Record<string, unknown> } }>(
      SAVE,
      { input: { lessonId: l3, positionSeconds: 95 } },
      learner,
    );
    expect(saved.saveLessonPosition.progress).toEqual({
      lessonId: l3,
      completed: false,
      positionSeconds: 95,
      positionPage: null,
    });
    await h.ok(SAVE, { input: { lessonId: l3, positionPage: 4 } }, learner);
    expect(codes(await h.gql(SAVE, { input: { lessonId: l3, positionSeconds: -1 } }, learner))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await h.gql(SAVE, { input: { lessonId: l3, positionPage: 0 } }, learner))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const state = await h.ok<{
      course: {
        viewerEnrollment: { resumeLesson: { id: string } };
        modules: { lessons: { id: string; viewerProgress: unknown }[] }[];
      };
    }>(STATE, { id: course.courseId }, learner);
    expect(state.course.viewerEnrollment.resumeLesson.id).toBe(l3);
    expect(state.course.modules[1]!.lessons[0]!.viewerProgress).toEqual({
      completed: false,
      positionSeconds: 95,
      positionPage: 4,
    });

    const first = await h.ok<Completed>(COMPLETE, { id: l1 }, learner);
    expect(first.completeLesson.enrollment).toMatchObject({ status: 'ACTIVE', progressPercent: 33 });
    expect(first.completeLesson.certificate).toBeNull();
    // Completing again changes nothing and records no second event.
    await h.ok(COMPLETE, { id: l1 }, learner);
    await h.ok(COMPLETE, { id: optional }, learner);
    expect(
      (await h.ok<Completed>(COMPLETE, { id: l2 }, learner)).completeLesson.enrollment.progressPercent,
    ).toBe(66);
    const done = await h.ok<Completed>(COMPLETE, { id: l3 }, learner);
    expect(done.completeLesson.enrollment).toMatchObject({ status: 'COMPLETED', progressPercent: 100 });
    const certificate = done.completeLesson.certificate!;
    expect(certificate).toMatchObject({ courseTitle: 'Finish me', holder: { id: learner.id } });
    expect(certificate.verificationId).toMatch(/^[A-Z2-7]{16}$/);

    // Anyone verifies it by its public id; a wrong id is simply null.
    const verified = await h.ok<{ certificate: Record<string, unknown> }>(
      VERIFY,
      { v: certificate.verificationId.toLowerCase() },
      null,
    );
    expect(verified.certificate).toMatchObject({
      verificationId: certificate.verificationId,
      courseId: course.courseId,
      courseTitle: 'Finish me',
      holder: { id: learner.id },
    });
    expect(
      (await h.ok<{ certificate: unknown }>(VERIFY, { v: 'AAAAAAAAAAAAAAAA' }, null)).certificate,
    ).toBeNull();
    expect((await h.ok<{ certificate: unknown }>(VERIFY, { v: "'; DROP" }, null)).certificate).toBeNull();

    // Completed learners keep access and can revisit; the certificate is not issued twice.
    const again = await h.ok<Completed>(COMPLETE, { id: l3 }, learner);
    expect(again.completeLesson.certificate?.verificationId).toBe(certificate.verificationId);
    expect((await events('lesson.completed', learner.id)).map((e) => e['lessonId'])).toEqual([
      l1,
      optional,
      l2,
      l3,
    ]);
    expect(await events('course.completed', learner.id)).toEqual([
      expect.objectContaining({ courseId: course.courseId, verificationId: certificate.verificationId }),
    ]);
    const rows = (await h.dataSource.query(`SELECT count(*)::int AS n FROM learning.certificates`)) as {
      n: number;
    }[];
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('unknown lessons are NOT_FOUND and other learners’ progress stays their own', async () => {
    const course = await h.publishedCourse(instructor, admin, { isFree: true, lessons: 1 });
    const a = await h.user();
    const b = await h.user();
    for (const learner of [a, b])
      await h.ok(
        `mutation($id: ID!) { enrollInCourse(input: { courseId: $id }) { enrollment { id } } }`,
        { id: course.courseId },
        learner,
      );
    await h.ok(COMPLETE, { id: course.lessonIds[0]![0] }, a);
    const seenByB = await h.ok<{
      course: { viewerEnrollment: { status: string }; modules: { lessons: { viewerProgress: unknown }[] }[] };
    }>(STATE, { id: course.courseId }, b);
    expect(seenByB.course.viewerEnrollment.status).toBe('ACTIVE');
    expect(seenByB.course.modules[0]!.lessons[0]!.viewerProgress).toBeNull();
    expect(codes(await h.gql(COMPLETE, { id: '5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f' }, a))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await h.gql(COMPLETE, { id: 'nope' }, a))).toEqual(['NOT_FOUND']);
  });
});
