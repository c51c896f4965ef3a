// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  OrderDetailDocument,
  PurchaseAccessDocument,
  type PurchaseAccessQuery,
} from '../../generated/graphql.js';
import { axeViolations, eventually, renderPage, type Rendered } from '../../testing/render.js';
import { order } from './fixtures.js';
import { OrderPage } from './order-page.js';

const access = (enrolled: boolean): PurchaseAccessQuery => ({
  myEnrollments: {
    __typename: 'EnrollmentConnection',
    edges: enrolled
      ? [
          {
            __typename: 'EnrollmentEdge',
            node: {
              __typename: 'Enrollment',
              id: 'e1',
              courseId: 'c1',
              status: 'ACTIVE',
              course: { __typename: 'Course', id: 'c1', slug: 'inclusive-design', title: 'Inclusive Design' },
            },
          },
        ]
      : [],
  },
  viewer: { __typename: 'User', id: 'u1', library: { __typename: 'EbookConnection', edges: [] } },
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('OrderPage', () => {
  it('shows a pending state until order.paid has enrolled the buyer, then "Start learning"', async () => {
    rendered = await renderPage([{ path: '/orders/:orderId', element: <OrderPage /> }], {
      at: '/orders/o1',
      mocks: [
        {
          request: { query: OrderDetailDocument, variables: { id: 'o1' } },
          result: { data: { order: order('PAID') } },
        },
        // learning has not consumed order.paid yet…
        { request: { query: PurchaseAccessDocument }, result: { data: access(false) } },
        // …and has on the next poll
        { request: { query: PurchaseAccessDocument }, result: { data: access(true) } },
      ],
    });
    const { container } = rendered;
    await eventually(() =>
      expect(container.querySelector('.eg-spinner')?.textContent).toBe(
        'Payment received. Setting up your access…',
      ),
    );
    expect(await axeViolations(container)).toEqual([]);
    await eventually(() =>
      expect(
        container.querySelector('a[aria-label="Start learning: Inclusive Design"]')?.getAttribute('href'),
      ).toBe('/learn/inclusive-design'),
    );
    expect(container.textContent).toContain('Payment received. Everything you bought is ready.');
    expect(await axeViolations(container)).toEqual([]);
  });
});
