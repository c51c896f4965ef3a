import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../../testing/commerce-harness.js';

/** Every mutation and every restricted query, tried by callers who must be refused. */
describe('access: buyers see their orders, sellers their sales, FINANCE/ADMIN everything', () => {
  let h: CommerceHarness;
  let buyer: TestUser;
  let stranger: TestUser;
  let instructor: TestUser;
  let finance: TestUser;
  let admin: TestUser;
  let orderId: string;
  let failedOrderId: string;
  let productId: string;

  beforeAll(async () => {
    h = await createCommerceHarness('access');
    [buyer, stranger, instructor, finance, admin] = await Promise.all([
      h.user(),
      h.user(),
      h.user(['INSTRUCTOR']),
      h.user(['FINANCE']),
      h.user(['ADMIN']),
    ]);
    productId = await h.product(instructor);
    orderId = (await h.buy(buyer, [productId])).data!.checkout.order.id;
    failedOrderId = (await h.buy(buyer, [await h.product(instructor)], { paymentMethod: '4000000000000002' }))
      .data!.checkout.order.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const id = () => crypto.randomUUID();
  const MUTATIONS: { name: string; query: string; input: () => Record<string, unknown> }[] = [
    {
      name: 'setProductPrice',
      query: `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
      input: () => ({ kind: 'COURSE', refId: id(), title: 't', amount: 100, currency: 'USD' }),
    },
    {
      name: 'addToCart',
      query: `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
      input: () => ({ productId }),
    },
    {
      name: 'removeFromCart',
      query: `mutation($input: RemoveFromCartInput!) { removeFromCart(input: $input) { cart { items { quantity } } } }`,
      input: () => ({ productId }),
    },
    {
      name: 'checkout',
      query: `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id } } }`,
      input: () => ({ billingCountry: 'US', paymentMethod: '4242424242424242' }),
    },
    {
      name: 'payOrder',
      query: `mutation($input: PayOrderInput!) { payOrder(input: $input) { order { id } } }`,
      input: () => ({ orderId: failedOrderId, paymentMethod: '4242424242424242' }),
    },
    {
      name: 'confirmOrderPayment',
      query: `mutation($input: OrderIdInput!) { confirmOrderPayment(input: $input) { order { id } } }`,
      input: () => ({ orderId: failedOrderId }),
    },
    {
      name: 'cancelOrder',
      query: `mutation($input: OrderIdInput!) { cancelOrder(input: $input) { order { id } } }`,
      input: () => ({ orderId: failedOrderId }),
    },
    {
      name: 'createCoupon',
      query: `mutation($input: CreateCouponInput!) { createCoupon(input: $input) { coupon { id } } }`,
      input: () => ({ code: `C${id().slice(0, 8)}`, kind: 'PERCENT', percentOff: 10 }),
    },
    {
      name: 'setTaxRate',
      query: `mutation($input: SetTaxRateInput!) { setTaxRate(input: $input) { taxRate { id } } }`,
      input: () => ({ country: 'NL', rateBps: 2100, inclusive: true }),
    },
    {
      name: 'refundOrder',
      query: `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { refund { id } } }`,
      input: () => ({ orderId, amount: 100 }),
    },
  ];

  it.each(MUTATIONS)('$name refuses anonymous callers (UNAUTHENTICATED)', async ({ query, input }) => {
    expect(codes(await h.gql(query, { input: input() }, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses role-gated mutations to callers without the role', async () => {
    const denied: [string, TestUser][] = [
      ['setProductPrice', buyer],
      ['createCoupon', buyer],
      ['createCoupon', instructor],
      ['setTaxRate', instructor],
      ['refundOrder', buyer],
      ['refundOrder', instructor],
    ];
    for (const [name, as] of denied) {
      const m = MUTATIONS.find((x) => x.name === name)!;
      expect([name, codes(await h.gql(m.query, { input: m.input() }, as))]).toEqual([name, ['FORBIDDEN']]);
    }
  });

  it('refuses another buyer’s order to pay, confirm or cancel (FORBIDDEN), and changes nothing', async () => {
    for (const name of ['payOrder', 'confirmOrderPayment', 'cancelOrder']) {
      const m = MUTATIONS.find((x) => x.name === name)!;
      expect([name, codes(await h.gql(m.query, { input: m.input() }, stranger))]).toEqual([
        name,
        ['FORBIDDEN'],
      ]);
    }
    const [row] = (await h.dataSource.query(
      `SELECT status, payment_attempts FROM "commerce".orders WHERE id = $1`,
      [failedOrderId],
    )) as {
      status: string;
      payment_attempts: number;
    }[];
    expect(row).toEqual({ status: 'PAYMENT_FAILED', payment_attempts: 1 });
  });

  it('shows an order to its buyer, FINANCE and ADMIN only (not to strangers or its seller)', async () => {
    const q = `query($id: ID!) { order(id: $id) { id lines { title } } }`;
    for (const as of [buyer, finance, admin]) expect(codes(await h.gql(q, { id: orderId }, as))).toEqual([]);
    for (const as of [stranger, instructor])
      expect(codes(await h.gql(q, { id: orderId }, as))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(q, { id: orderId }, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('lists own orders and own sales only; finance queries need FINANCE or ADMIN', async () => {
    const mine = await h.gql<{ myOrders: { edges: unknown[] } }>(
      `{ myOrders { edges { node { id } } } }`,
      {},
      stranger,
    );
    expect(mine.data!.myOrders.edges).toEqual([]);
    const sales = await h.gql<{ mySales: { edges: unknown[] } }>(
      `{ mySales { edges { node { id } } } }`,
      {},
      buyer,
    );
    expect(sales.data!.mySales.edges).toEqual([]);
    for (const q of [
      `{ orders { edges { node { id } } } }`,
      `{ ledgerBalances { balance } }`,
      `{ coupons { id } }`,
      `query { orderLedger(orderId: "${orderId}") { id } }`,
    ]) {
      expect([q, codes(await h.gql(q, {}, instructor))]).toEqual([q, ['FORBIDDEN']]);
      expect([q, codes(await h.gql(q, {}, finance))]).toEqual([q, []]);
      expect([q, codes(await h.gql(q, {}, admin))]).toEqual([q, []]);
    }
    const ledger = await h.gql<{ orderLedger: { kind: string; entries: { amount: number }[] }[] }>(
      `query($id: ID!) { orderLedger(orderId: $id) { kind entries { amount } } }`,
      { id: orderId },
      finance,
    );
    expect(ledger.data!.orderLedger).toHaveLength(1);
    expect(ledger.data!.orderLedger[0]!.entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
  });

  it('pages orders and sales with a bounded number of queries', async () => {
    for (let i = 0; i < 4; i += 1) await h.buy(buyer, [await h.product(instructor)]);
    const { result, queries } = await h.counter.measure(() =>
      h.gql<{ myOrders: { edges: { node: { lines: unknown[]; refunds: unknown[] } }[] } }>(
        `{ myOrders(first: 10) { edges { node { id lines { title } refunds { id } } } } }`,
        {},
        buyer,
      ),
    );
    expect(result.data!.myOrders.edges.length).toBeGreaterThanOrEqual(5);
    expect(queries).toBeLessThanOrEqual(3);
    const sales = await h.counter.measure(() =>
      h.gql(`{ mySales(first: 10) { edges { node { id total { amount } } } } }`, {}, instructor),
    );
    expect(sales.queries).toBeLessThanOrEqual(3);
  });
});
