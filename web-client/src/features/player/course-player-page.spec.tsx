// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  CompleteLessonDocument,
  CoursePlayerDocument,
  PlayerLessonDocument,
  PlayerQuizDocument,
  SaveLessonPositionDocument,
  StartQuizAttemptDocument,
  SubmitQuizAttemptDocument,
} from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  renderPage,
  typeText,
  type Rendered,
} from '../../testing/render.js';
import { CoursePlayerPage } from './course-player-page.js';
import { attempt, course, enrollment, lesson, lockedUntil, module, outlineLesson, quiz } from './fixtures.js';

const slug = 'inclusive-design';
const quizItem = {
  __typename: 'Quiz' as const,
  id: 'q1',
  title: 'Tokens check',
  isRequired: true,
  access: { __typename: 'LessonAccess' as const, state: 'OPEN' as const, locked: false, unlocksAt: null },
};

function outline(progress: number, firstCompleted: boolean) {
  return course(
    [
      module('m1', 'Basics', {
        lessons: [
          outlineLesson('l1', 'Design tokens', {
            viewerProgress: firstCompleted
              ? { __typename: 'LessonProgress', lessonId: 'l1', completed: true }
              : null,
          }),
          outlineLesson('l2', 'Components', { position: 2 }),
        ],
        quizzes: [quizItem],
      }),
      module('m2', 'Audits', {
        access: { __typename: 'ModuleAccess', locked: true, unlocksAt: '2026-12-05T09:00:00.000Z' },
        lessons: [
          outlineLesson('l3', 'Audit checklist', { access: lockedUntil('2026-12-05T09:00:00.000Z') }),
        ],
      }),
    ],
    enrollment(progress),
  );
}

const playerRoutes = [
  { path: '/learn/:slug', element: <CoursePlayerPage /> },
  { path: '/learn/:slug/:kind/:itemId', element: <CoursePlayerPage /> },
];

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('CoursePlayerPage', () => {
  it('shows the outline with drip locks and the resume point', async () => {
    rendered = await renderPage(playerRoutes, {
      at: `/learn/${slug}`,
      mocks: [
        {
          request: { query: CoursePlayerDocument, variables: { slug } },
          result: { data: outline(0, false) },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('h2#player-outline')).not.toBeNull());
    const links = [...container.querySelectorAll('.eg-player__outline a')].map((a) => a.textContent);
    expect(links).toEqual(['Design tokensLesson', 'ComponentsLesson', 'Tokens checkQuiz']);
    // the locked lesson is not a link and says when it opens
    const locked = container.querySelector('.eg-player__locked');
    expect(locked?.textContent).toMatch(/^Audit checklistLesson · Unlocks /);
    expect(container.textContent).toContain('Course progress 0%');
    expect(container.querySelector('progress')?.getAttribute('value')).toBe('0');
    const start = [...container.querySelectorAll('a')].find((a) => a.textContent === 'Start: Design tokens');
    expect(start?.getAttribute('href')).toBe(`/learn/${slug}/lessons/l1`);
    expect(await axeViolations(container)).toEqual([]);
  });

  it('opens a lesson with its HTML sanitised, saves the position, marks it complete and shows the new progress', async () => {
    rendered = await renderPage(playerRoutes, {
      at: `/learn/${slug}/lessons/l1`,
      mocks: [
        {
          request: { query: CoursePlayerDocument, variables: { slug } },
          result: { data: outline(0, false) },
        },
        {
          request: { query: PlayerLessonDocument, variables: { id: 'l1' } },
          result: {
            data: lesson(
              'l1',
              'Design tokens',
              '<p onclick="steal()">Tokens name <strong>decisions</strong>.</p><script>steal()</script>',
              false,
            ),
          },
        },
        {
          request: {
            query: SaveLessonPositionDocument,
            variables: { input: { lessonId: 'l1', positionPage: 1 } },
          },
          result: {
            data: {
              saveLessonPosition: {
                progress: {
                  __typename: 'LessonProgress',
                  lessonId: 'l1',
                  positionSeconds: null,
                  positionPage: 1,
                  updatedAt: '2026-11-28T10:00:00.000Z',
                },
                enrollment: {
                  __typename: 'Enrollment',
                  id: 'e1',
                  resumeLesson: { __typename: 'Lesson', id: 'l1' },
                },
              },
            },
          },
        },
        {
          request: { query: CompleteLessonDocument, variables: { input: { lessonId: 'l1' } } },
          result: {
            data: {
              completeLesson: {
                progress: {
                  __typename: 'LessonProgress',
                  lessonId: 'l1',
                  completed: true,
                  completedAt: '2026-11-28T10:00:00.000Z',
                  updatedAt: '2026-11-28T10:00:00.000Z',
                },
                enrollment: enrollment(50),
                certificate: null,
              },
            },
          },
        },
        {
          request: { query: CoursePlayerDocument, variables: { slug } },
          result: { data: outline(50, true) },
        },
        {
          request: { query: PlayerLessonDocument, variables: { id: 'l1' } },
          result: {
            data: lesson('l1', 'Design tokens', '<p>Tokens name <strong>decisions</strong>.</p>', true),
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('h2#lesson-title')?.textContent).toBe('Design tokens'),
    );
    const body = container.querySelector('.eg-rich-text');
    expect(body?.innerHTML).toBe('<p>Tokens name <strong>decisions</strong>.</p>');
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('[aria-current="page"]')?.textContent).toBe('Design tokensLesson');
    expect(await axeViolations(container)).toEqual([]);

    await click(button(container, 'Mark as complete'));
    await eventually(() => expect(container.textContent).toContain('You completed this lesson.'));
    await eventually(() => expect(container.textContent).toContain('Course progress 50%'));
    await eventually(() =>
      expect(container.querySelector('[aria-current="page"]')?.textContent).toBe(
        'Design tokensLesson · Completed',
      ),
    );
    expect(container.textContent).toContain('Next: Components');
  });

  it('runs a quiz: rules shown, an attempt started, single, multiple and short answers submitted, the score shown', async () => {
    const started = attempt({});
    const submitted = attempt({
      submittedAt: '2026-11-28T10:05:00.000Z',
      score: 2,
      percent: 67,
      passed: true,
    });
    const refetchOutline = {
      request: { query: CoursePlayerDocument, variables: { slug } },
      result: { data: outline(0, false) },
    };
    rendered = await renderPage(playerRoutes, {
      at: `/learn/${slug}/quizzes/q1`,
      mocks: [
        {
          request: { query: CoursePlayerDocument, variables: { slug } },
          result: { data: outline(0, false) },
        },
        { request: { query: PlayerQuizDocument, variables: { id: 'q1' } }, result: { data: quiz([]) } },
        {
          request: { query: StartQuizAttemptDocument, variables: { input: { quizId: 'q1' } } },
          result: { data: { startQuizAttempt: started } },
        },
        {
          request: { query: PlayerQuizDocument, variables: { id: 'q1' } },
          result: { data: quiz([started]) },
        },
        refetchOutline,
        {
          request: {
            query: SubmitQuizAttemptDocument,
            variables: {
              input: {
                attemptId: 'a1',
                answers: [
                  { questionId: 'qq1', optionIds: ['o1'] },
                  { questionId: 'qq2', optionIds: ['o3', 'o5'] },
                  { questionId: 'qq3', text: '4 px' },
                ],
              },
            },
          },
          result: {
            data: { submitQuizAttempt: { attempt: submitted, enrollment: enrollment(0) } },
          },
        },
        {
          request: { query: PlayerQuizDocument, variables: { id: 'q1' } },
          result: { data: quiz([submitted]) },
        },
        refetchOutline,
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('h2#quiz-title')?.textContent).toBe('Tokens check'),
    );
    const facts = container.querySelector('dl')?.textContent;
    expect(facts).toContain('Pass mark60%');
    expect(facts).toContain('Attempts0 of 2 used');
    expect(facts).toContain('Time limit10 minutes');
    await click(button(container, 'Start the quiz'));
    await eventually(() => expect(container.querySelectorAll('fieldset')).toHaveLength(3));
    expect(container.textContent).toContain('Submit by');
    expect(await axeViolations(container)).toEqual([]);

    const option = (text: string) =>
      [...container.querySelectorAll('label')].find((l) => l.textContent === text)!.querySelector('input')!;
    await click(option('decisions'));
    await click(option('primary'));
    await click(option('danger'));
    await typeText(container.querySelector('input[name="q-qq3"]')!, '4 px');
    await click(button(container, 'Submit answers'));
    await eventually(() =>
      expect(container.querySelector('[role="status"].eg-alert')?.textContent).toBe(
        'You scored 2 of 3 (67%): passed.',
      ),
    );
    await eventually(() => expect(container.textContent).toContain('Attempt 1: 2 of 3 (67%) · passed'));
    expect(container.textContent).toContain('Try again');
  });
});
