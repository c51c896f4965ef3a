import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createLearningHarness,
  type LearningHarness,
  type TestUser,
} from '../../testing/learning-harness.js';

const START = new Date('2026-06-01T10:00:00.000Z');
let h: LearningHarness;
let instructor: TestUser;
let admin: TestUser;

beforeAll(async () => {
  h = await createLearningHarness('quiz', { now: START });
  instructor = await h.user(['INSTRUCTOR']);
  admin = await h.user(['ADMIN']);
});
afterAll(async () => {
  await h?.close();
});

const ADD = `mutation($input: AddQuizInput!) { addQuiz(input: $input) { quiz { id } } }`;
const QUESTIONS = `query($id: ID!) {
  quiz(id: $id) { title questionCount questions { id kind prompt options { id text } points correctOptionIds acceptedAnswers } }
}`;
const START_ATTEMPT = `mutation($id: ID!) { startQuizAttempt(input: { quizId: $id }) { id number deadlineAt submittedAt } }`;
const SUBMIT = `mutation($input: SubmitQuizAttemptInput!) {
  submitQuizAttempt(input: $input) {
    attempt { number score maxScore percent passed expired results { questionId correct } }
    enrollment { status progressPercent }
    certificate { verificationId }
  }
}`;

type Question = {
  id: string;
  kind: string;
  options: { id: string }[];
  correctOptionIds: string[] | null;
  acceptedAnswers: string[] | null;
};

async function quizCourse(options: { attemptLimit?: number; timeLimitSeconds?: number }) {
  const course = await h.publishedCourse(instructor, admin, { lessons: 1 });
  const added = await h.ok<{ addQuiz: { quiz: { id: string } } }>(
    ADD,
    {
      input: {
        moduleId: course.moduleIds[0],
        title: 'Checkpoint',
        passPercent: 70,
        ...options,
        questions: [
          {
            kind: 'SINGLE_CHOICE',
            prompt: 'Which directive keys an entity?',
            options: ['@shareable', '@key', '@external'],
            correctOptions: [1],
          },
          {
            kind: 'MULTIPLE_CHOICE',
            prompt: 'Federation 2 routers?',
            options: ['Apollo Router', 'Express', 'Apollo Gateway'],
            correctOptions: [0, 2],
            points: 2,
          },
          {
            kind: 'SHORT_ANSWER',
            prompt: 'The entities root field?',
            acceptedAnswers: ['_entities'],
            points: 2,
          },
        ],
      },
    },
    instructor,
  );
  const learner = await h.user();
  await h.ok(
    `mutation($input: EnrollLearnerInput!) { enrollLearner(input: $input) { enrollment { id } } }`,
    { input: { courseId: course.courseId, userId: learner.id } },
    instructor,
  );
  await h.ok(
    `mutation($id: ID!) { completeLesson(input: { lessonId: $id }) { progress { completed } } }`,
    { id: course.lessonIds[0]![0] },
    learner,
  );
  return { course, quizId: added.addQuiz.quiz.id, learner };
}

describe('quizzes', () => {
  it('auto-grades attempts, hides the answer key from learners, passes at the pass mark and completes the course', async () => {
    h.clock.set(START);
    const { quizId, learner } = await quizCourse({ attemptLimit: 3 });
    expect(
      codes(
        await h.gql(
          ADD,
          {
            input: {
              moduleId: '00000000-0000-4000-8000-000000000000',
              title: 'x',
              passPercent: 50,
              questions: [],
            },
          },
          instructor,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    const staffView = await h.ok<{ quiz: { questions: Question[] } }>(QUESTIONS, { id: quizId }, instructor);
    expect(staffView.quiz.questions.map((q) => q.correctOptionIds)).toEqual([['b'], ['a', 'c'], []]);
    const view = await h.ok<{ quiz: { questionCount: number; questions: Question[] } }>(
      QUESTIONS,
      { id: quizId },
      learner,
    );
    expect(view.quiz.questionCount).toBe(3);
    expect(view.quiz.questions.every((q) => q.correctOptionIds === null && q.acceptedAnswers === null)).toBe(
      true,
    );
    const [single, multiple, short] = view.quiz.questions as [Question, Question, Question];
    const stranger = await h.user();
    expect(codes(await h.gql(QUESTIONS, { id: quizId }, stranger))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(START_ATTEMPT, { id: quizId }, stranger))).toEqual(['FORBIDDEN']);

    const first = await h.ok<{ startQuizAttempt: { id: string; number: number } }>(
      START_ATTEMPT,
      { id: quizId },
      learner,
    );
    // Starting again returns the open attempt.
    expect(
      (await h.ok<{ startQuizAttempt: { id: string } }>(START_ATTEMPT, { id: quizId }, learner))
        .startQuizAttempt.id,
    ).toBe(first.startQuizAttempt.id);
    expect(
      codes(await h.gql(SUBMIT, { input: { attemptId: first.startQuizAttempt.id, answers: [] } }, stranger)),
    ).toEqual(['NOT_FOUND']);
    const failed = await h.ok<{
      submitQuizAttempt: { attempt: Record<string, unknown>; enrollment: { status: string } };
    }>(
      SUBMIT,
      {
        input: {
          attemptId: first.startQuizAttempt.id,
          answers: [
            { questionId: single.id, optionIds: ['b'] },
            { questionId: multiple.id, optionIds: ['a'] },
            { questionId: short.id, text: ' _Entities ' },
          ],
        },
      },
      learner,
    );
    expect(failed.submitQuizAttempt.attempt).toMatchObject({
      number: 1,
      score: 3,
      maxScore: 5,
      percent: 60,
      passed: false,
    });
    expect(failed.submitQuizAttempt.enrollment.status).toBe('ACTIVE');
    expect(
      codes(await h.gql(SUBMIT, { input: { attemptId: first.startQuizAttempt.id, answers: [] } }, learner)),
    ).toEqual(['ATTEMPT_CLOSED']);

    const second = await h.ok<{ startQuizAttempt: { id: string; number: number } }>(
      START_ATTEMPT,
      { id: quizId },
      learner,
    );
    expect(second.startQuizAttempt.number).toBe(2);
    const passed = await h.ok<{
      submitQuizAttempt: {
        attempt: Record<string, unknown>;
        enrollment: { status: string; progressPercent: number };
        certificate: unknown;
      };
    }>(
      SUBMIT,
      {
        input: {
          attemptId: second.startQuizAttempt.id,
          answers: [
            { questionId: single.id, optionIds: ['b'] },
            { questionId: multiple.id, optionIds: ['c', 'a'] },
            { questionId: short.id, text: 'nope' },
          ],
        },
      },
      learner,
    );
    expect(passed.submitQuizAttempt.attempt).toMatchObject({
      number: 2,
      score: 3,
      percent: 60,
      passed: false,
    });
    // 1 + 2 of 5 points is 60 %: still below 70 %. The third attempt gets everything right.
    const third = await h.ok<{ startQuizAttempt: { id: string } }>(START_ATTEMPT, { id: quizId }, learner);
    const done = await h.ok<{
      submitQuizAttempt: {
        attempt: Record<string, unknown>;
        enrollment: { status: string; progressPercent: number };
        certificate: unknown;
      };
    }>(
      SUBMIT,
      {
        input: {
          attemptId: third.startQuizAttempt.id,
          answers: [
            { questionId: single.id, optionIds: ['b'] },
            { questionId: multiple.id, optionIds: ['a', 'c'] },
            { questionId: short.id, text: '_entities' },
          ],
        },
      },
      learner,
    );
    expect(done.submitQuizAttempt.attempt).toMatchObject({
      number: 3,
      score: 5,
      percent: 100,
      passed: true,
      expired: false,
    });
    expect(done.submitQuizAttempt.enrollment).toEqual({ status: 'COMPLETED', progressPercent: 100 });
    expect(done.submitQuizAttempt.certificate).not.toBeNull();
    // The limit is used up (and the quiz passed): no fourth attempt.
    expect(codes(await h.gql(START_ATTEMPT, { id: quizId }, learner))).toEqual(['LIMIT_REACHED']);
  });

  it('enforces the attempt limit and the time limit with a controlled clock', async () => {
    h.clock.set(START);
    const { quizId, learner } = await quizCourse({ attemptLimit: 2, timeLimitSeconds: 60 });
    const view = await h.ok<{ quiz: { questions: Question[] } }>(QUESTIONS, { id: quizId }, learner);
    const single = view.quiz.questions[0]!;
    const first = await h.ok<{ startQuizAttempt: { id: string; deadlineAt: string } }>(
      START_ATTEMPT,
      { id: quizId },
      learner,
    );
    expect(first.startQuizAttempt.deadlineAt).toBe(new Date(START.getTime() + 60_000).toISOString());
    // Too late (past the limit and the grace): expired with 0 points, even with right answers.
    h.clock.advance(120_000);
    const late = await h.ok<{ submitQuizAttempt: { attempt: Record<string, unknown> } }>(
      SUBMIT,
      {
        input: {
          attemptId: first.startQuizAttempt.id,
          answers: [{ questionId: single.id, optionIds: ['b'] }],
        },
      },
      learner,
    );
    expect(late.submitQuizAttempt.attempt).toMatchObject({ score: 0, passed: false, expired: true });
    // The second attempt is abandoned; starting again after its deadline closes it, and the limit is reached.
    await h.ok(START_ATTEMPT, { id: quizId }, learner);
    h.clock.advance(61_000 + 5_000 + 1);
    expect(codes(await h.gql(START_ATTEMPT, { id: quizId }, learner))).toEqual(['LIMIT_REACHED']);
    const rows = (await h.dataSource.query(
      `SELECT number, expired, score FROM learning.quiz_attempts WHERE quiz_id = $1 ORDER BY number`,
      [quizId],
    )) as unknown[];
    expect(rows).toEqual([
      { number: 1, expired: true, score: 0 },
      { number: 2, expired: true, score: 0 },
    ]);
  });
});
