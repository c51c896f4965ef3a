// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  AdminAuditEventsDocument,
  AdminFeatureFlagsDocument,
  ApproveCourseDocument,
  ReviewQueueDocument,
  SetFeatureFlagKillSwitchDocument,
} from '../../generated/graphql.js';
import { axeViolations, button, click, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { AdminPage } from './admin-page.js';
import { ReviewQueuePage } from './review-queue-page.js';

const flag = (killed: boolean) => ({
  __typename: 'FeatureFlag' as const,
  id: 'f1',
  key: 'ui-theme-rollout',
  description: 'Default theme pack',
  killed,
  strategy: 'PERCENTAGE' as const,
  booleanValue: true,
  percentage: 25,
  updatedAt: '2026-11-28T10:00:00.000Z',
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('AdminPage', () => {
  it('lists flags with their kill switch, audit events and the GraphiQL link, and kills a flag', async () => {
    rendered = await renderPage([{ path: '/admin', element: <AdminPage /> }], {
      mocks: [
        {
          request: { query: AdminFeatureFlagsDocument },
          result: {
            data: {
              featureFlags: {
                __typename: 'FeatureFlagConnection',
                edges: [{ __typename: 'FeatureFlagEdge', node: flag(false) }],
              },
            },
          },
        },
        {
          request: { query: AdminAuditEventsDocument, variables: { filter: null } },
          result: {
            data: {
              auditEvents: {
                __typename: 'AuditEventConnection',
                edges: [
                  {
                    __typename: 'AuditEventEdge',
                    node: {
                      __typename: 'AuditEvent',
                      id: 'e1',
                      action: 'flag.updated',
                      targetType: 'FeatureFlag',
                      targetId: 'f1',
                      source: 'platform',
                      occurredAt: '2026-11-28T10:00:00.000Z',
                      actor: { __typename: 'User', id: 'u1', displayName: 'Ada Admin' },
                    },
                  },
                ],
                pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: 'e1' },
              },
            },
          },
        },
        {
          request: {
            query: SetFeatureFlagKillSwitchDocument,
            variables: { key: 'ui-theme-rollout', killed: true },
          },
          result: {
            data: {
              setFeatureFlagKillSwitch: {
                __typename: 'FeatureFlagPayload',
                featureFlag: {
                  __typename: 'FeatureFlag',
                  id: 'f1',
                  key: 'ui-theme-rollout',
                  killed: true,
                  updatedAt: '2026-11-28T11:00:00.000Z',
                },
              },
            },
          },
        },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('input[role="switch"]')).not.toBeNull());
    await eventually(() => expect(container.textContent).toContain('flag.updated'));
    expect(container.textContent).toContain('percentage 25 %');
    expect(container.textContent).toContain('Ada Admin');
    expect(container.querySelector('a[href="/graphql"]')?.textContent).toBe('GraphQL explorer (GraphiQL)');
    expect(await axeViolations(container)).toEqual([]);
    const kill = container.querySelector<HTMLInputElement>('input[role="switch"]')!;
    expect(kill.checked).toBe(false);
    await click(kill);
    await eventually(() =>
      expect(container.querySelector<HTMLInputElement>('input[role="switch"]')!.checked).toBe(true),
    );
  });
});

describe('ReviewQueuePage', () => {
  it('approves a course and needs a note to return one', async () => {
    const queued = {
      __typename: 'Course' as const,
      id: 'c1',
      slug: 'screen-readers',
      title: 'Screen Readers',
      summary: 'Hear the web.',
      lessonCount: 3,
      submittedAt: '2026-11-28T09:00:00.000Z',
      instructor: { __typename: 'User' as const, id: 'u2', displayName: 'Ines Instructor' },
    };
    const queue = (nodes: (typeof queued)[]) => ({
      courses: {
        __typename: 'CourseConnection',
        edges: nodes.map((node) => ({ __typename: 'CourseEdge', node })),
      },
    });
    rendered = await renderPage([{ path: '/admin/review', element: <ReviewQueuePage /> }], {
      mocks: [
        { request: { query: ReviewQueueDocument }, result: { data: queue([queued]) } },
        {
          request: { query: ApproveCourseDocument, variables: { courseId: 'c1' } },
          result: {
            data: {
              approveCourse: {
                __typename: 'CoursePayload',
                course: { __typename: 'Course', id: 'c1', status: 'PUBLISHED' },
              },
            },
          },
        },
        { request: { query: ReviewQueueDocument }, result: { data: queue([]) } },
      ],
    });
    const { container } = rendered;
    await eventually(() => expect(container.querySelector('h2')?.textContent).toBe('Screen Readers'));
    expect(button(container, 'Return Screen Readers').disabled).toBe(true);
    expect(await axeViolations(container)).toEqual([]);
    await click(button(container, 'Approve Screen Readers'));
    await eventually(() => expect(container.textContent).toContain('“Screen Readers” is published.'));
    await eventually(() => expect(container.textContent).toContain('No course is waiting for review.'));
  });
});
