// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { CreateCourseDocument, TeachingCoursesDocument } from '../../generated/graphql.js';
import {
  axeViolations,
  button,
  click,
  eventually,
  field,
  renderPage,
  typeText,
  type Rendered,
} from '../../testing/render.js';
import { TeachingPage } from './teaching-page.js';

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('TeachingPage', () => {
  it('lists the instructor’s courses with their status and a returned note, and creates a course', async () => {
    rendered = await renderPage(
      [
        { path: '/teaching', element: <TeachingPage /> },
        { path: '/teaching/courses/:id', element: <p>builder</p> },
      ],
      {
        mocks: [
          {
            request: { query: TeachingCoursesDocument },
            result: {
              data: {
                courses: {
                  __typename: 'CourseConnection',
                  edges: [
                    {
                      __typename: 'CourseEdge',
                      node: {
                        __typename: 'Course',
                        id: 'c1',
                        slug: 'screen-readers',
                        title: 'Screen Readers',
                        status: 'DRAFT',
                        lessonCount: 1,
                        reviewNote: 'Add a quiz.',
                      },
                    },
                  ],
                },
              },
            },
          },
          {
            request: { query: CreateCourseDocument, variables: { input: { title: 'Braille Basics' } } },
            result: {
              data: {
                createCourse: {
                  __typename: 'CoursePayload',
                  course: {
                    __typename: 'Course',
                    id: 'c2',
                    slug: 'braille-basics',
                    title: 'Braille Basics',
                    status: 'DRAFT',
                  },
                },
              },
            },
          },
        ],
      },
    );
    const { container, router } = rendered;
    await eventually(() =>
      expect(container.querySelector('ul[aria-label="Your courses"] li')).not.toBeNull(),
    );
    const item = container.querySelector('ul[aria-label="Your courses"] li')!;
    expect(item.querySelector('a')?.getAttribute('href')).toBe('/teaching/courses/c1');
    expect(item.textContent).toContain('DRAFT');
    expect(item.textContent).toContain('Returned by the reviewer: Add a quiz.');
    expect(await axeViolations(container)).toEqual([]);
    await typeText(field(container, 'Course title'), 'Braille Basics');
    await click(button(container, 'Create course'));
    await eventually(() => expect(router.state.location.pathname).toBe('/teaching/courses/c2'));
  });
});
