import type { CartViewFragment, CheckoutMutation, OrderViewFragment } from '../../generated/graphql.js';

const eur = (amount: number) => ({ __typename: 'Money' as const, amount, currency: 'EUR' });

export const cart: CartViewFragment = {
  __typename: 'Cart',
  items: [
    {
      __typename: 'CartItem',
      quantity: 1,
      subtotal: eur(2900),
      product: {
        __typename: 'Product',
        id: 'p1',
        kind: 'COURSE',
        refId: 'c1',
        title: 'Inclusive Design',
        price: eur(2900),
      },
    },
  ],
};

export function order(
  status: OrderViewFragment['status'],
  failureCode: string | null = null,
): OrderViewFragment {
  return {
    __typename: 'Order',
    id: 'o1',
    status,
    currency: 'EUR',
    failureCode,
    createdAt: '2026-11-28T10:00:00.000Z',
    paidAt: status === 'PAID' ? '2026-11-28T10:01:00.000Z' : null,
    subtotal: eur(2900),
    discount: eur(0),
    tax: eur(0),
    total: eur(2900),
    lines: [
      {
        __typename: 'OrderLine',
        id: 'ol1',
        kind: 'COURSE',
        refId: 'c1',
        title: 'Inclusive Design',
        quantity: 1,
        total: eur(2900),
      },
    ],
  };
}

export function attempt(
  status: OrderViewFragment['status'],
  payment: CheckoutMutation['checkout']['payment']['status'],
  failureCode: string | null = null,
): CheckoutMutation['checkout'] {
  return {
    __typename: 'CheckoutPayload',
    order: order(status, failureCode),
    payment: {
      __typename: 'PaymentSession',
      provider: 'SANDBOX',
      status: payment,
      failureCode,
      redirectUrl: null,
    },
  };
}
