// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { MyLearningDocument, type MyLearningQuery } from '../../generated/graphql.js';
import { axeViolations, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { MyLearningPage } from './my-learning-page.js';

type Node = MyLearningQuery['myEnrollments']['edges'][number]['node'];

const node = (id: string, title: string, progressPercent: number, overrides: Partial<Node> = {}): Node => ({
  __typename: 'Enrollment',
  id,
  courseId: `c-${id}`,
  status: 'ACTIVE',
  progressPercent,
  lastActivityAt: progressPercent > 0 ? '2026-11-28T09:00:00.000Z' : null,
  completedAt: null,
  course: {
    __typename: 'Course',
    id: `c-${id}`,
    slug: title.toLowerCase().replace(/ /g, '-'),
    title,
    lessonCount: 4,
  },
  resumeLesson: { __typename: 'Lesson', id: `l-${id}`, title: 'Design tokens' },
  certificate: null,
  ...overrides,
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('MyLearningPage', () => {
  it('lists enrollments with progress, resume or start, and the certificate of a completed course', async () => {
    const edges = [
      node('e1', 'Inclusive Design', 50),
      node('e2', 'Accessible Interfaces', 0),
      node('e3', 'GraphQL Basics', 100, {
        status: 'COMPLETED',
        completedAt: '2026-11-27T09:00:00.000Z',
        certificate: { __typename: 'CourseCertificate', id: 'cert1', verificationId: 'VER-123' },
      }),
    ].map((n) => ({ __typename: 'EnrollmentEdge' as const, cursor: n.id, node: n }));
    rendered = await renderPage([{ path: '/my-learning', element: <MyLearningPage /> }], {
      mocks: [
        {
          request: { query: MyLearningDocument, variables: { first: 20 } },
          result: {
            data: {
              myEnrollments: {
                __typename: 'EnrollmentConnection',
                edges,
                pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'e3' },
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelectorAll('ul[aria-label="Your courses"] > li')).toHaveLength(3),
    );
    const cards = [...container.querySelectorAll('ul[aria-label="Your courses"] > li')];
    expect(cards[0]?.textContent).toContain('Course progress 50%');
    expect(cards[0]?.querySelector('a[aria-label="Resume Inclusive Design"]')?.getAttribute('href')).toBe(
      '/learn/inclusive-design/lessons/l-e1',
    );
    expect(cards[1]?.querySelector('a[aria-label="Start Accessible Interfaces"]')).not.toBeNull();
    expect(cards[2]?.textContent).toContain('Completed');
    expect(
      [...(cards[2]?.querySelectorAll('a') ?? [])]
        .find((a) => a.textContent === 'Certificate for GraphQL Basics')
        ?.getAttribute('href'),
    ).toBe('/certificates/VER-123');
    expect(await axeViolations(container)).toEqual([]);
  });
});
