// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  GradeSubmissionDocument,
  GradingInboxDocument,
  type GradingInboxQuery,
} from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  field,
  renderPage,
  type Rendered,
} from '../../testing/render.js';
import { typeText } from '../../testing/render.js';
import { GradingInboxPage } from './grading-inbox-page.js';

type Submission =
  GradingInboxQuery['courses']['edges'][number]['node']['modules'][number]['assignments'][number]['submissions'][number];

const submission = (
  id: string,
  status: 'SUBMITTED' | 'GRADED',
  learner: string,
  day: number,
): Submission => ({
  __typename: 'AssignmentSubmission',
  id,
  attempt: 1,
  body: `<p>Essay by ${learner}</p><script>alert(1)</script>`,
  status,
  score: status === 'GRADED' ? 8 : null,
  feedback: null,
  submittedAt: `2026-11-2${day}T10:00:00.000Z`,
  late: day > 5,
  learner: { __typename: 'User', id: `u-${id}`, displayName: learner },
});

const inbox = (submissions: Submission[]): GradingInboxQuery => ({
  courses: {
    __typename: 'CourseConnection',
    edges: [
      {
        __typename: 'CourseEdge',
        node: {
          __typename: 'Course',
          id: 'c1',
          title: 'Screen Readers',
          modules: [
            {
              __typename: 'CourseModule',
              id: 'm1',
              assignments: [
                { __typename: 'Assignment', id: 'a1', title: 'Essay', maxScore: 10, submissions },
              ],
            },
          ],
        },
      },
    ],
  },
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('GradingInboxPage', () => {
  it('lists only ungraded submissions, oldest first, refuses an out-of-range score and grades with feedback', async () => {
    const waiting = [submission('s2', 'SUBMITTED', 'Lea', 7), submission('s1', 'SUBMITTED', 'Sam', 3)];
    rendered = await renderPage([{ path: '/teaching/grading', element: <GradingInboxPage /> }], {
      mocks: [
        {
          request: { query: GradingInboxDocument },
          result: { data: inbox([...waiting, submission('s0', 'GRADED', 'Old', 1)]) },
        },
        {
          request: {
            query: GradeSubmissionDocument,
            variables: { input: { submissionId: 's1', score: 9, feedback: 'Clear and well argued.' } },
          },
          result: {
            data: {
              gradeSubmission: {
                __typename: 'AssignmentSubmissionPayload',
                submission: {
                  __typename: 'AssignmentSubmission',
                  id: 's1',
                  status: 'GRADED',
                  score: 9,
                  feedback: 'Clear and well argued.',
                  gradedAt: '2026-11-28T11:00:00.000Z',
                },
              },
            },
          },
        },
        { request: { query: GradingInboxDocument }, result: { data: inbox([waiting[0]!]) } },
      ],
    });
    const { container } = rendered;
    const headings = () => [...container.querySelectorAll('h2')].map((h) => h.textContent);
    await eventually(() => expect(headings()).toEqual(['Sam · Essay', 'Lea · Essay']));
    expect(container.innerHTML).not.toContain('<script>');
    expect(container.textContent).toContain('late');
    expect(await axeViolations(container)).toEqual([]);

    const first = container.querySelector('li')!;
    await typeText(field(first, 'Score (out of 10)'), '11');
    await click(button(first, 'Save grade'));
    expect(first.textContent).toContain('Enter a whole number from 0 to 10.');
    await typeText(field(first, 'Score (out of 10)'), '9');
    const feedback = first.querySelector('textarea')!;
    const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set;
    setter?.call(feedback, 'Clear and well argued.');
    feedback.dispatchEvent(new Event('input', { bubbles: true }));
    await click(button(first, 'Save grade'));
    await eventually(() => expect(headings()).toEqual(['Lea · Essay']));
    expect([...container.querySelectorAll('[role="status"]')].map((status) => status.textContent)).toContain(
      'Graded Sam · Essay: 9 of 10.',
    );
  });
});
