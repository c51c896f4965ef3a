// @vitest-environment jsdom
import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PlayerAssignmentDocument,
  SubmitAssignmentDocument,
  type PlayerAssignmentQuery,
  type SubmissionViewFragment,
} from '../../generated/graphql.js';
import { axeViolations, button, click, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { AssignmentView } from './assignment-view.js';
import { open } from './fixtures.js';

const graded: SubmissionViewFragment = {
  __typename: 'AssignmentSubmission',
  id: 's1',
  attempt: 1,
  body: '<p>My first try</p>',
  status: 'GRADED',
  score: 6,
  feedback: 'Name the tokens by role.',
  submittedAt: '2026-11-27T09:00:00.000Z',
  gradedAt: '2026-11-27T12:00:00.000Z',
  late: false,
};
const resubmitted: SubmissionViewFragment = {
  ...graded,
  id: 's2',
  attempt: 2,
  body: '<p>Role names &lt;3</p>',
  status: 'SUBMITTED',
  score: null,
  feedback: null,
  gradedAt: null,
};

const assignment = (viewerSubmissions: SubmissionViewFragment[]): PlayerAssignmentQuery => ({
  assignment: {
    __typename: 'Assignment',
    id: 'as1',
    title: 'Name your tokens',
    maxScore: 10,
    passScore: 5,
    instructions: '<p>List <em>five</em> tokens.</p><img src="x" onerror="steal()">',
    viewerDueAt: '2026-12-01T09:00:00.000Z',
    access: open,
    viewerSubmissions,
  },
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('AssignmentView', () => {
  it('shows the grade and feedback of a submission and hands in a new text answer', async () => {
    rendered = await renderPage([{ path: '/a', element: <AssignmentView assignmentId="as1" /> }], {
      mocks: [
        {
          request: { query: PlayerAssignmentDocument, variables: { id: 'as1' } },
          result: { data: assignment([graded]) },
        },
        {
          request: {
            query: SubmitAssignmentDocument,
            variables: { input: { assignmentId: 'as1', bodyHtml: '<p>Role names &lt;3</p>' } },
          },
          result: { data: { submitAssignment: { submission: resubmitted } } },
        },
        {
          request: { query: PlayerAssignmentDocument, variables: { id: 'as1' } },
          result: { data: assignment([graded, resubmitted]) },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('h2')?.textContent).toBe('Name your tokens'));
    expect(container.querySelector('.eg-rich-text')?.innerHTML).toBe('<p>List <em>five</em> tokens.</p>');
    const list = container.querySelector('ul[aria-label="Your submissions"]')!;
    expect(list.textContent).toContain('Grade: 6 of 10');
    expect(list.textContent).toContain('Feedback: Name the tokens by role.');
    expect(await axeViolations(container)).toEqual([]);

    const textarea = container.querySelector('textarea')!;
    expect(container.querySelector(`label[for="${textarea.id}"]`)?.textContent).toBe('Resubmit your answer');
    await act(async () => {
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')?.set?.call(
        textarea,
        'Role names <3',
      );
      textarea.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await click(button(container, 'Submit assignment'));
    await eventually(() => expect(container.textContent).toContain('Your work was submitted.'));
    await eventually(() => expect(list.querySelectorAll('li')).toHaveLength(2));
    expect(list.querySelector('li')?.textContent).toContain('Attempt 2');
    expect(list.querySelector('li')?.textContent).toContain('Waiting for a grade.');
  });
});
