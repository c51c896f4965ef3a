import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../common/clock.js';
import {
  codes,
  createLearningHarness,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';

const START = new Date('2026-05-04T08:00:00.000Z');
let h: LearningHarness;
let instructor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  h = await createLearningHarness('assignment', { now: START });
  instructor = await h.user(['INSTRUCTOR']);
  admin = await h.user(['ADMIN']);
});
afterAll(async () => {
  await h?.close();
});

const ADD = `mutation($input: AddAssignmentInput!) { addAssignment(input: $input) { assignment { id maxScore rubric { title points } } } }`;
const SUBMIT = `mutation($input: SubmitAssignmentInput!) {
  submitAssignment(input: $input) { submission { id attempt body status late assets { id } } }
}`;
const GRADE = `mutation($input: GradeSubmissionInput!) {
  gradeSubmission(input: $input) { submission { status score feedback } enrollment { status progressPercent } }
}`;
const VIEW = `query($id: ID!) {
  assignment(id: $id) { title instructions viewerDueAt access { state } viewerSubmissions { attempt status score feedback } }
}`;
const BOOK = `query($id: ID!) {
  course(id: $id) { gradeBook(first: 10) { edges { node { enrollment { user { id } } assignments { status score maxScore submissions late } } } } }
}`;

describe('assignments and grading', () => {
  it('learners submit and resubmit, the instructor grades with feedback, the grade book and completion follow', async () => {
    h.clock.set(START);
    const course = await h.publishedCourse(instructor, admin, { lessons: 1 });
    const moduleId = course.moduleIds[0]!;
    const rubric = [
      { title: 'Correctness', points: 6 },
      { title: 'Style', description: 'Readable code', points: 4 },
    ];
    expect(
      codes(
        await h.gql(
          ADD,
          { input: { moduleId, title: 'Bad rubric', instructionsHtml: '<p>x</p>', maxScore: 12, rubric } },
          instructor,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await h.gql(
          ADD,
          { input: { moduleId, title: 'Mine', instructionsHtml: '<p>x</p>', maxScore: 10 } },
          await h.user(['INSTRUCTOR']),
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const added = await h.ok<{ addAssignment: { assignment: { id: string } } }>(
      ADD,
      {
        input: {
          moduleId,
          title: 'Build a subgraph',
          instructionsHtml: '<p>Do it</p><script>x()</script>',
          maxScore: 10,
          passScore: 6,
          rubric,
          dueOffsetDays: 3,
        },
      },
      instructor,
    );
    const assignmentId = added.addAssignment.assignment.id;
    const learner = await h.user();
    const stranger = await h.user();
    await h.ok(
      `mutation($input: EnrollLearnerInput!) { enrollLearner(input: $input) { enrollment { id } } }`,
      { input: { courseId: course.courseId, userId: learner.id } },
      instructor,
    );

    // Strangers see the assignment exists, not its instructions, and may not submit.
    const hidden = await h.gql(VIEW, { id: assignmentId }, stranger);
    expect(codes(hidden)).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(SUBMIT, { input: { assignmentId, bodyHtml: '<p>x</p>' } }, stranger))).toEqual([
      'FORBIDDEN',
    ]);
    const seen = await h.ok<{ assignment: { instructions: string; viewerDueAt: string } }>(
      VIEW,
      { id: assignmentId },
      learner,
    );
    expect(seen.assignment).toMatchObject({
      instructions: '<p>Do it</p>',
      viewerDueAt: new Date(START.getTime() + 3 * DAY_MS).toISOString(),
    });

    expect(codes(await h.gql(SUBMIT, { input: { assignmentId } }, learner))).toEqual(['BAD_USER_INPUT']);
    const first = await h.ok<{
      submitAssignment: { submission: { id: string; attempt: number; late: boolean; body: string } };
    }>(
      SUBMIT,
      {
        input: {
          assignmentId,
          bodyHtml: '<p>My work</p><img src="x" onerror="y()">',
          assetIds: ['0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6'],
        },
      },
      learner,
    );
    expect(first.submitAssignment.submission).toMatchObject({
      attempt: 1,
      late: false,
      body: '<p>My work</p><img src="x" />',
    });
    // Graded below the pass score: not done yet.
    expect(
      codes(
        await h.gql(
          GRADE,
          { input: { submissionId: first.submitAssignment.submission.id, score: 11 } },
          instructor,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await h.gql(
          GRADE,
          { input: { submissionId: first.submitAssignment.submission.id, score: 5 } },
          learner,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const low = await h.ok<{
      gradeSubmission: { submission: unknown; enrollment: { progressPercent: number } };
    }>(
      GRADE,
      { input: { submissionId: first.submitAssignment.submission.id, score: 4, feedback: 'Tests missing' } },
      instructor,
    );
    expect(low.gradeSubmission.submission).toEqual({ status: 'GRADED', score: 4, feedback: 'Tests missing' });
    expect(low.gradeSubmission.enrollment.progressPercent).toBe(0);
    await h.ok(
      `mutation($id: ID!) { completeLesson(input: { lessonId: $id }) { progress { completed } } }`,
      { id: course.lessonIds[0]![0] },
      learner,
    );

    // Resubmitted after the due date: late; graded above the pass score, the course completes.
    h.clock.advance(4 * DAY_MS);
    const second = await h.ok<{
      submitAssignment: { submission: { id: string; attempt: number; late: boolean } };
    }>(SUBMIT, { input: { assignmentId, bodyHtml: '<p>With tests</p>' } }, learner);
    expect(second.submitAssignment.submission).toMatchObject({ attempt: 2, late: true });
    const passed = await h.ok<{
      gradeSubmission: { enrollment: { status: string; progressPercent: number } };
    }>(
      GRADE,
      { input: { submissionId: second.submitAssignment.submission.id, score: 9, feedback: 'Good' } },
      instructor,
    );
    expect(passed.gradeSubmission.enrollment).toEqual({ status: 'COMPLETED', progressPercent: 100 });
    const mine = await h.ok<{ assignment: { viewerSubmissions: unknown[] } }>(
      VIEW,
      { id: assignmentId },
      learner,
    );
    expect(mine.assignment.viewerSubmissions).toEqual([
      { attempt: 2, status: 'GRADED', score: 9, feedback: 'Good' },
      { attempt: 1, status: 'GRADED', score: 4, feedback: 'Tests missing' },
    ]);
    const book = await h.ok<{ course: { gradeBook: { edges: { node: unknown }[] } } }>(
      BOOK,
      { id: course.courseId },
      instructor,
    );
    expect(book.course.gradeBook.edges.map((e) => e.node)).toEqual([
      {
        enrollment: { user: { id: learner.id } },
        assignments: [{ status: 'GRADED', score: 9, maxScore: 10, submissions: 2, late: true }],
      },
    ]);
    expect(codes(await h.gql(BOOK, { id: course.courseId }, learner))).toEqual(['FORBIDDEN']);
    // The grading inbox reads every submission outside any transaction (no row lock needed).
    const inbox = await h.ok<{ assignment: { submissions: { id: string }[] } }>(
      'query($id: ID!) { assignment(id: $id) { submissions { id } } }',
      { id: assignmentId },
      instructor,
    );
    expect(inbox.assignment.submissions).toHaveLength(2);
    expect(
      codes(
        await h.gql(
          'query($id: ID!) { assignment(id: $id) { submissions { id } } }',
          { id: assignmentId },
          learner,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const graded = (await h.dataSource.query(
      `SELECT count(*)::int AS n FROM learning.outbox WHERE event_type = 'assignment.graded'`,
    )) as {
      n: number;
    }[];
    expect(graded).toEqual([{ n: 2 }]);
  });
});
