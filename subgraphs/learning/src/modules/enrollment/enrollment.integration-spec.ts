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
  h = await createLearningHarness('enrollment');
  instructor = await h.user(['INSTRUCTOR']);
  admin = await h.user(['ADMIN']);
});
afterAll(async () => {
  await h?.close();
});

const ENROLL = `mutation($id: ID!) { enrollInCourse(input: { courseId: $id }) { enrollment { id status source activatedAt } } }`;
const GRANT = `mutation($input: EnrollLearnerInput!) { enrollLearner(input: $input) { enrollment { id status source } } }`;
const ACCEPT = `mutation($id: ID!) { acceptCourseInvitation(input: { courseId: $id }) { enrollment { id status } } }`;
const CANCEL = `mutation($id: ID!) { cancelEnrollment(input: { enrollmentId: $id }) { enrollment { id status } } }`;
const MINE = `query { myEnrollments { edges { node { id status course { id } } } } }`;
const ROSTER = `query($id: ID!) { course(id: $id) { enrollments { edges { node { id status user { id } } } } } }`;
const VIEWER = `query($id: ID!) { course(id: $id) { viewerEnrollment { status } } }`;

async function statusOf(courseId: string, userId: string): Promise<string | null> {
  const rows = (await h.dataSource.query(
    `SELECT status FROM learning.enrollments WHERE course_id = $1 AND user_id = $2`,
    [courseId, userId],
  )) as { status: string }[];
  return rows[0]?.status ?? null;
}

describe('enrollment', () => {
  it('learners enroll themselves in free published courses only, once', async () => {
    const learner = await h.user();
    const free = await h.publishedCourse(instructor, admin, { isFree: true });
    const paid = await h.publishedCourse(instructor, admin, { isFree: false });
    const enrolled = await h.ok<{ enrollInCourse: { enrollment: { status: string; source: string } } }>(
      ENROLL,
      { id: free.courseId },
      learner,
    );
    expect(enrolled.enrollInCourse.enrollment).toMatchObject({ status: 'ACTIVE', source: 'FREE' });
    expect(codes(await h.gql(ENROLL, { id: free.courseId }, learner))).toEqual(['ALREADY_ENROLLED']);
    expect(codes(await h.gql(ENROLL, { id: paid.courseId }, learner))).toEqual(['COURSE_NOT_FREE']);
    expect(codes(await h.gql(ENROLL, { id: free.courseId }, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await h.gql(ENROLL, { id: 'x' }, learner))).toEqual(['BAD_USER_INPUT']);
    expect(await statusOf(paid.courseId, learner.id)).toBeNull();
    const mine = await h.ok<{
      myEnrollments: { edges: { node: { status: string; course: { id: string } } }[] };
    }>(MINE, {}, learner);
    expect(mine.myEnrollments.edges.map((e) => e.node)).toEqual([
      expect.objectContaining({ status: 'ACTIVE', course: { id: free.courseId } }),
    ]);
    const events = (await h.dataSource.query(
      `SELECT payload FROM learning.outbox WHERE event_type = 'enrollment.activated'`,
    )) as { payload: Record<string, unknown> }[];
    expect(events.map((e) => e.payload)).toContainEqual(
      expect.objectContaining({ courseId: free.courseId, userId: learner.id, source: 'FREE' }),
    );
  });

  it('prerequisites must be completed before self-enrollment', async () => {
    const learner = await h.user();
    const first = await h.publishedCourse(instructor, admin, { isFree: true, lessons: 1 });
    const second = await h.publishedCourse(instructor, admin, { isFree: true });
    await h.ok(
      `mutation($input: SetCoursePrerequisitesInput!) { setCoursePrerequisites(input: $input) { course { id } } }`,
      { input: { courseId: second.courseId, prerequisiteIds: [first.courseId] } },
      instructor,
    );
    const denied = await h.gql(ENROLL, { id: second.courseId }, learner);
    expect(codes(denied)).toEqual(['PREREQUISITES_NOT_MET']);
    expect(await statusOf(second.courseId, learner.id)).toBeNull();
    await h.ok(ENROLL, { id: first.courseId }, learner);
    await h.ok(
      `mutation($id: ID!) { completeLesson(input: { lessonId: $id }) { enrollment { status } } }`,
      { id: first.lessonIds[0]![0] },
      learner,
    );
    await h.ok(ENROLL, { id: second.courseId }, learner);
    expect(await statusOf(second.courseId, learner.id)).toBe('ACTIVE');
  });

  it('the instructor enrolls or invites learners; invitations are accepted; others may not grant', async () => {
    const course = await h.publishedCourse(instructor, admin);
    const direct = await h.user();
    const invited = await h.user();
    const other = await h.user(['INSTRUCTOR']);
    expect(
      codes(await h.gql(GRANT, { input: { courseId: course.courseId, userId: direct.id } }, other)),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(await h.gql(GRANT, { input: { courseId: course.courseId, userId: direct.id } }, direct)),
    ).toEqual(['FORBIDDEN']);
    expect(await statusOf(course.courseId, direct.id)).toBeNull();
    const granted = await h.ok<{ enrollLearner: { enrollment: { status: string; source: string } } }>(
      GRANT,
      { input: { courseId: course.courseId, userId: direct.id } },
      instructor,
    );
    expect(granted.enrollLearner.enrollment).toMatchObject({ status: 'ACTIVE', source: 'INSTRUCTOR' });
    expect(
      codes(await h.gql(GRANT, { input: { courseId: course.courseId, userId: direct.id } }, instructor)),
    ).toEqual(['ALREADY_ENROLLED']);
    const invitation = await h.ok<{ enrollLearner: { enrollment: { status: string } } }>(
      GRANT,
      { input: { courseId: course.courseId, userId: invited.id, invite: true } },
      instructor,
    );
    expect(invitation.enrollLearner.enrollment.status).toBe('INVITED');
    expect(
      (
        await h.ok<{ course: { viewerEnrollment: { status: string } } }>(
          VIEWER,
          { id: course.courseId },
          invited,
        )
      ).course.viewerEnrollment.status,
    ).toBe('INVITED');
    expect(codes(await h.gql(ACCEPT, { id: course.courseId }, direct))).toEqual(['INVALID_ENROLLMENT_STATE']);
    const accepted = await h.ok<{ acceptCourseInvitation: { enrollment: { status: string } } }>(
      ACCEPT,
      { id: course.courseId },
      invited,
    );
    expect(accepted.acceptCourseInvitation.enrollment.status).toBe('ACTIVE');
    // The roster is for the instructor and admins.
    const roster = await h.ok<{ course: { enrollments: { edges: { node: { user: { id: string } } }[] } } }>(
      ROSTER,
      { id: course.courseId },
      instructor,
    );
    expect(roster.course.enrollments.edges.map((e) => e.node.user.id).sort()).toEqual(
      [direct.id, invited.id].sort(),
    );
    expect(codes(await h.gql(ROSTER, { id: course.courseId }, direct))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(ROSTER, { id: course.courseId }, null))).toEqual(['FORBIDDEN']);
  });

  it('cancelling ends access; only the learner, the instructor or an admin may cancel', async () => {
    const course = await h.publishedCourse(instructor, admin, { isFree: true });
    const learner = await h.user();
    const stranger = await h.user();
    const id = (
      await h.ok<{ enrollInCourse: { enrollment: { id: string } } }>(ENROLL, { id: course.courseId }, learner)
    ).enrollInCourse.enrollment.id;
    expect(codes(await h.gql(CANCEL, { id }, stranger))).toEqual(['NOT_FOUND']);
    expect(await statusOf(course.courseId, learner.id)).toBe('ACTIVE');
    await h.ok(CANCEL, { id }, instructor);
    expect(codes(await h.gql(CANCEL, { id }, learner))).toEqual(['INVALID_ENROLLMENT_STATE']);
    const body = await h.gql(
      `query($id: ID!) { lesson(id: $id) { body } }`,
      { id: course.lessonIds[0]![0] },
      learner,
    );
    expect(codes(body)).toEqual(['FORBIDDEN']);
    // Enrolling again reactivates the same enrollment.
    const again = await h.ok<{ enrollInCourse: { enrollment: { id: string; status: string } } }>(
      ENROLL,
      { id: course.courseId },
      learner,
    );
    expect(again.enrollInCourse.enrollment).toMatchObject({ id, status: 'ACTIVE' });
  });
});
