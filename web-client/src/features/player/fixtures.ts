import type {
  CoursePlayerQuery,
  PlayerLessonQuery,
  PlayerQuizQuery,
  PlayerEnrollmentFragment,
} from '../../generated/graphql.js';

type Course = NonNullable<CoursePlayerQuery['course']>;
type Module = Course['modules'][number];
type OutlineLesson = Module['lessons'][number];

export const open = {
  __typename: 'LessonAccess' as const,
  state: 'OPEN' as const,
  locked: false,
  unlocksAt: null,
};
export const lockedUntil = (unlocksAt: string) => ({
  __typename: 'LessonAccess' as const,
  state: 'LOCKED' as const,
  locked: true,
  unlocksAt,
});

export function enrollment(progressPercent: number, overrides: Partial<PlayerEnrollmentFragment> = {}) {
  return {
    __typename: 'Enrollment' as const,
    id: 'e1',
    status: 'ACTIVE' as const,
    progressPercent,
    completedAt: null,
    resumeLesson: null,
    certificate: null,
    ...overrides,
  };
}

export function outlineLesson(
  id: string,
  title: string,
  overrides: Partial<OutlineLesson> = {},
): OutlineLesson {
  return {
    __typename: 'Lesson',
    id,
    title,
    position: 1,
    contentKind: 'TEXT',
    durationSeconds: 300,
    isRequired: true,
    access: open,
    viewerProgress: null,
    ...overrides,
  };
}

export function course(modules: Module[], viewerEnrollment: Course['viewerEnrollment']): CoursePlayerQuery {
  return {
    course: {
      __typename: 'Course',
      id: 'c1',
      slug: 'inclusive-design',
      title: 'Inclusive Design',
      viewerEnrollment,
      modules,
    },
  };
}

export function module(id: string, title: string, parts: Partial<Module>): Module {
  return {
    __typename: 'CourseModule',
    id,
    title,
    position: 1,
    access: { __typename: 'ModuleAccess', locked: false, unlocksAt: null },
    lessons: [],
    assignments: [],
    quizzes: [],
    ...parts,
  };
}

export function lesson(id: string, title: string, body: string, completed: boolean): PlayerLessonQuery {
  return {
    lesson: {
      __typename: 'Lesson',
      id,
      title,
      contentKind: 'TEXT',
      durationSeconds: 300,
      body,
      access: open,
      asset: null,
      viewerProgress: completed
        ? {
            __typename: 'LessonProgress',
            lessonId: id,
            completed: true,
            completedAt: '2026-11-28T10:00:00.000Z',
            positionSeconds: null,
            positionPage: 1,
            updatedAt: '2026-11-28T10:00:00.000Z',
          }
        : null,
    },
  };
}

type Quiz = NonNullable<PlayerQuizQuery['quiz']>;
export type Attempt = Quiz['viewerAttempts'][number];

export function attempt(overrides: Partial<Attempt>): Attempt {
  return {
    __typename: 'QuizAttempt',
    id: 'a1',
    quizId: 'q1',
    number: 1,
    startedAt: '2026-11-28T10:00:00.000Z',
    deadlineAt: '2026-11-28T10:10:00.000Z',
    submittedAt: null,
    score: null,
    maxScore: 3,
    percent: null,
    passed: null,
    expired: false,
    results: [],
    ...overrides,
  };
}

export function quiz(viewerAttempts: Attempt[]): PlayerQuizQuery {
  return {
    quiz: {
      __typename: 'Quiz',
      id: 'q1',
      title: 'Tokens check',
      passPercent: 60,
      attemptLimit: 2,
      timeLimitSeconds: 600,
      questionCount: 3,
      access: open,
      questions: [
        {
          __typename: 'QuizQuestion',
          id: 'qq1',
          position: 1,
          kind: 'SINGLE_CHOICE',
          prompt: 'Tokens name…',
          points: 1,
          options: [
            { __typename: 'QuizOption', id: 'o1', text: 'decisions' },
            { __typename: 'QuizOption', id: 'o2', text: 'files' },
          ],
        },
        {
          __typename: 'QuizQuestion',
          id: 'qq2',
          position: 2,
          kind: 'MULTIPLE_CHOICE',
          prompt: 'Which are colours?',
          points: 1,
          options: [
            { __typename: 'QuizOption', id: 'o3', text: 'primary' },
            { __typename: 'QuizOption', id: 'o4', text: 'spacing' },
            { __typename: 'QuizOption', id: 'o5', text: 'danger' },
          ],
        },
        {
          __typename: 'QuizQuestion',
          id: 'qq3',
          position: 3,
          kind: 'SHORT_ANSWER',
          prompt: 'The unit of the grid?',
          points: 1,
          options: [],
        },
      ],
      viewerAttempts,
    },
  };
}
