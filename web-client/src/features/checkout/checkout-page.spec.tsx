// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import {
  CheckoutDocument,
  ConfirmOrderPaymentDocument,
  MyCartDocument,
  PayOrderDocument,
  UnfinishedOrdersDocument,
} from '../../generated/graphql.js';
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
import { CheckoutPage } from './checkout-page.js';
import { attempt, cart, order } from './fixtures.js';

const unfinished = (orders: ReturnType<typeof order>[]) => ({
  request: { query: UnfinishedOrdersDocument },
  result: {
    data: {
      myOrders: {
        __typename: 'OrderConnection' as const,
        edges: orders.map((node) => ({ __typename: 'OrderEdge' as const, node })),
      },
    },
  },
});

let rendered: Rendered | null = null;
afterEach(() => {
  rendered?.unmount();
  rendered = null;
});

describe('CheckoutPage', () => {
  it('pays with the SANDBOX card: a decline is explained, the retry asks for 3-D Secure, confirming goes to the order', async () => {
    rendered = await renderPage(
      [
        { path: '/checkout', element: <CheckoutPage /> },
        { path: '/orders/:orderId', element: <h1>Order page</h1> },
      ],
      {
        mocks: [
          { request: { query: MyCartDocument }, result: { data: { myCart: cart } } },
          unfinished([order('PAID')]),
          {
            request: {
              query: CheckoutDocument,
              variables: {
                input: { billingCountry: 'US', provider: 'SANDBOX', paymentMethod: '4000000000000002' },
              },
            },
            result: { data: { checkout: attempt('PAYMENT_FAILED', 'FAILED', 'card_declined') } },
          },
          {
            request: {
              query: PayOrderDocument,
              variables: { input: { orderId: 'o1', paymentMethod: '4000002500003155' } },
            },
            result: { data: { payOrder: attempt('REQUIRES_ACTION', 'REQUIRES_ACTION') } },
          },
          {
            request: { query: ConfirmOrderPaymentDocument, variables: { input: { orderId: 'o1' } } },
            result: { data: { confirmOrderPayment: attempt('PAID', 'SUCCEEDED') } },
          },
        ],
      },
    );
    const { container, router } = rendered;
    await eventually(() =>
      expect(container.querySelector('ul[aria-label="Cart"]')?.textContent).toContain('Inclusive Design'),
    );
    expect(container.textContent).toContain('Total before tax: €29.00');
    expect(await axeViolations(container)).toEqual([]);

    await typeText(field(container, 'Card number'), '4000 0000 0000 0002');
    await click(button(container, 'Pay now'));
    await eventually(() =>
      expect(container.querySelector('[role="alert"]')?.textContent).toBe(
        'Your card was declined. Try another card.',
      ),
    );
    // the order exists now: its lines replace the cart, the country is fixed
    expect(container.querySelector('ul[aria-label="Order lines"]')?.textContent).toContain(
      'Inclusive Design',
    );
    expect(await axeViolations(container)).toEqual([]);

    await typeText(field(container, 'Card number'), '4000 0025 0000 3155');
    await click(button(container, 'Try again'));
    await eventually(() =>
      expect(container.querySelector('#checkout-confirm')?.textContent).toBe('Confirm with your bank'),
    );
    expect(await axeViolations(container)).toEqual([]);
    await click(button(container, 'Confirm payment'));
    await eventually(() => expect(router.state.location.pathname).toBe('/orders/o1'));
  });

  it('says when the cart is empty, and finishes a payment left waiting for 3-D Secure', async () => {
    rendered = await renderPage(
      [
        { path: '/checkout', element: <CheckoutPage /> },
        { path: '/orders/:orderId', element: <h1>Order page</h1> },
      ],
      {
        mocks: [
          {
            request: { query: MyCartDocument },
            result: { data: { myCart: { __typename: 'Cart', items: [] } } },
          },
          unfinished([order('REQUIRES_ACTION'), { ...order('PAID'), id: 'o2' }]),
          {
            request: { query: ConfirmOrderPaymentDocument, variables: { input: { orderId: 'o1' } } },
            result: { data: { confirmOrderPayment: attempt('PAID', 'SUCCEEDED') } },
          },
        ],
      },
    );
    const { container, router } = rendered;
    await eventually(() => expect(container.textContent).toContain('Your cart is empty.'));
    await eventually(() =>
      expect(container.querySelectorAll('ul[aria-label="Unfinished payments"] > li')).toHaveLength(1),
    );
    expect(container.querySelector('ul[aria-label="Unfinished payments"]')?.textContent).toContain(
      'waiting for your bank',
    );
    expect(await axeViolations(container)).toEqual([]);
    await click(
      container.querySelector<HTMLButtonElement>(
        'button[aria-label="Continue paying for Inclusive Design"]',
      )!,
    );
    await click(button(container, 'Confirm payment'));
    await eventually(() => expect(router.state.location.pathname).toBe('/orders/o1'));
  });
});
