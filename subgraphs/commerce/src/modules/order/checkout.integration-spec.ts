import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKOUT,
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../../testing/commerce-harness.js';

const ORDER = `query($id: ID!) { order(id: $id) { id status subtotal { amount } discount { amount } tax { amount } total { amount currency }
  lines { kind refId quantity unitPrice { amount } subtotal { amount } discount { amount } tax { amount } total { amount } seller { id } } } }`;

describe('checkout with the SANDBOX provider', () => {
  let h: CommerceHarness;
  let instructor: TestUser;
  let tutor: TestUser;
  let finance: TestUser;

  beforeAll(async () => {
    h = await createCommerceHarness('checkout');
    [instructor, tutor, finance] = await Promise.all([
      h.user(['INSTRUCTOR']),
      h.user(['INSTRUCTOR']),
      h.user(['FINANCE']),
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function ledgerOf(orderId: string) {
    return h.dataSource.query(
      `SELECT t.kind AS tx, a.kind, a.owner_id, e.amount_minor::int AS amount FROM "commerce".ledger_entries e
       JOIN "commerce".ledger_transactions t ON t.id = e.transaction_id JOIN "commerce".ledger_accounts a ON a.id = e.account_id
       WHERE t.order_id = $1 ORDER BY e.id`,
      [orderId],
    ) as Promise<{ tx: string; kind: string; owner_id: string | null; amount: number }[]>;
  }

  it('pays with a succeeding test card: PAID, ledger sale with commission and seller shares, order.paid in the outbox', async () => {
    const buyer = await h.user();
    const course = await h.product(instructor, { amount: 10_000 });
    const hours = await h.product(tutor, { kind: 'TUTOR_HOURS', amount: 4_000 });
    await h.gql(
      `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
      {
        input: { productId: hours, quantity: 2 },
      },
      buyer,
    );
    const result = await h.buy(buyer, [course]);
    expect(result.errors).toBeUndefined();
    const { order, payment } = result.data!.checkout;
    expect(payment).toMatchObject({ provider: 'SANDBOX', status: 'SUCCEEDED' });
    expect(order).toMatchObject({ status: 'PAID', total: { amount: 18_000, currency: 'USD' } });

    // Course 10000 × 5 % = 500; tutor hours 8000 × 2.5 % = 200.
    const entries = await ledgerOf(order.id);
    expect(entries.map((e) => [e.kind, e.owner_id, e.amount])).toEqual([
      ['PROVIDER_CLEARING', null, 18_000],
      ['PLATFORM_REVENUE', null, -700],
      ['SELLER_PAYABLE', tutor.id, -7_800],
      ['SELLER_PAYABLE', instructor.id, -9_500],
    ]);
    expect(await h.unbalanced()).toEqual([]);

    const events = (await h.outbox('order.paid')).filter((e) => e.aggregate_id === order.id);
    expect(events).toHaveLength(1);
    const payload = events[0]!.payload;
    expect(payload).toEqual({
      orderId: order.id,
      userId: buyer.id,
      currency: 'USD',
      totalMinor: 18_000,
      paidAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T.*Z$/),
      lines: expect.arrayContaining([
        { kind: 'TUTOR_HOURS', refId: expect.any(String), quantity: 2 },
        { kind: 'COURSE', refId: expect.any(String), quantity: 1 },
      ]),
    });
    expect((payload['lines'] as unknown[]).length).toBe(2);

    const cart = await h.gql<{ myCart: { items: unknown[] } }>(
      `{ myCart { items { quantity } } }`,
      {},
      buyer,
    );
    expect(cart.data!.myCart.items).toEqual([]);

    const sales = await h.gql<{
      mySales: {
        edges: {
          node: {
            total: { amount: number };
            commission: { amount: number };
            sellerShare: { amount: number };
          };
        }[];
      };
    }>(
      `{ mySales { edges { node { total { amount } commission { amount } sellerShare { amount } } } } }`,
      {},
      instructor,
    );
    expect(sales.data!.mySales.edges.map((e) => e.node)).toEqual([
      { total: { amount: 10_000 }, commission: { amount: 500 }, sellerShare: { amount: 9_500 } },
    ]);
    const balances = await h.gql<{ myBalances: { currency: string; balance: number }[] }>(
      `{ myBalances { currency balance } }`,
      {},
      instructor,
    );
    expect(balances.data!.myBalances).toEqual([{ currency: 'USD', balance: -9_500 }]);
  });

  it('adds exclusive tax from the rate table and spreads it over the lines', async () => {
    const set = await h.gql(
      `mutation($input: SetTaxRateInput!) { setTaxRate(input: $input) { taxRate { rateBps } } }`,
      { input: { country: 'DE', rateBps: 1900, inclusive: false } },
      finance,
    );
    expect(set.errors).toBeUndefined();
    const buyer = await h.user();
    const a = await h.product(instructor, { amount: 333 });
    const b = await h.product(instructor, { amount: 667, kind: 'EBOOK' });
    const result = await h.buy(buyer, [a, b], { billingCountry: 'DE' });
    const order = result.data!.checkout.order;
    expect(order).toMatchObject({ status: 'PAID', tax: { amount: 190 }, total: { amount: 1190 } });
    const detail = await h.gql<{
      order: { lines: { tax: { amount: number }; total: { amount: number } }[] };
    }>(ORDER, { id: order.id }, buyer);
    const lines = detail.data!.order.lines;
    expect(lines.reduce((s, l) => s + l.tax.amount, 0)).toBe(190);
    expect(lines.reduce((s, l) => s + l.total.amount, 0)).toBe(1190);
    const entries = await ledgerOf(order.id);
    expect(entries.find((e) => e.kind === 'TAX_PAYABLE')?.amount).toBe(-190);
    expect(await h.unbalanced()).toEqual([]);
  });

  it('extracts inclusive tax by region and keeps the price', async () => {
    await h.gql(
      `mutation($input: SetTaxRateInput!) { setTaxRate(input: $input) { taxRate { id } } }`,
      { input: { country: 'CA', region: 'QC', rateBps: 1498, inclusive: true } },
      finance,
    );
    const buyer = await h.user();
    const p = await h.product(instructor, { amount: 11_498 });
    const order = (await h.buy(buyer, [p], { billingCountry: 'CA', billingRegion: 'QC' })).data!.checkout
      .order;
    expect(order).toMatchObject({ total: { amount: 11_498 }, tax: { amount: 1498 } });
  });

  it('declines, then pays on retry; the declined attempt posts nothing', async () => {
    const buyer = await h.user();
    const p = await h.product(instructor);
    const declined = (await h.buy(buyer, [p], { paymentMethod: '4000000000000002' })).data!.checkout;
    expect(declined.payment).toMatchObject({ status: 'FAILED', failureCode: 'card_declined' });
    expect(declined.order).toMatchObject({ status: 'PAYMENT_FAILED', failureCode: 'card_declined' });
    expect(await ledgerOf(declined.order.id)).toEqual([]);
    const insufficient = await h.gql<{ payOrder: { order: { status: string; failureCode: string } } }>(
      `mutation($input: PayOrderInput!) { payOrder(input: $input) { order { status failureCode } } }`,
      { input: { orderId: declined.order.id, paymentMethod: '4000000000009995' } },
      buyer,
    );
    expect(insufficient.data!.payOrder.order).toEqual({
      status: 'PAYMENT_FAILED',
      failureCode: 'insufficient_funds',
    });
    const paid = await h.gql<{ payOrder: { order: { status: string } } }>(
      `mutation($input: PayOrderInput!) { payOrder(input: $input) { order { status } } }`,
      { input: { orderId: declined.order.id, paymentMethod: '4242 4242 4242 4242' } },
      buyer,
    );
    expect(paid.data!.payOrder.order.status).toBe('PAID');
    expect((await ledgerOf(declined.order.id)).filter((e) => e.kind === 'PROVIDER_CLEARING')).toHaveLength(1);
    const again = await h.gql(
      `mutation($input: PayOrderInput!) { payOrder(input: $input) { order { status } } }`,
      { input: { orderId: declined.order.id, paymentMethod: '4242424242424242' } },
      buyer,
    );
    expect(codes(again)).toEqual(['ORDER_NOT_PAYABLE']);
  });

  it('requires authentication (3-D Secure), then settles on confirmation', async () => {
    const buyer = await h.user();
    const p = await h.product(instructor);
    const pending = (await h.buy(buyer, [p], { paymentMethod: '4000002500003155' })).data!.checkout;
    expect(pending.order.status).toBe('REQUIRES_ACTION');
    const confirmed = await h.gql<{ confirmOrderPayment: { order: { status: string } } }>(
      `mutation($input: OrderIdInput!) { confirmOrderPayment(input: $input) { order { status } } }`,
      { input: { orderId: pending.order.id } },
      buyer,
    );
    expect(confirmed.data!.confirmOrderPayment.order.status).toBe('PAID');

    const failing = (await h.buy(buyer, [await h.product(instructor)], { paymentMethod: '4000008260003178' }))
      .data!.checkout;
    const declined = await h.gql<{ confirmOrderPayment: { order: { status: string; failureCode: string } } }>(
      `mutation($input: OrderIdInput!) { confirmOrderPayment(input: $input) { order { status failureCode } } }`,
      { input: { orderId: failing.order.id } },
      buyer,
    );
    expect(declined.data!.confirmOrderPayment.order).toEqual({
      status: 'PAYMENT_FAILED',
      failureCode: 'insufficient_funds',
    });
  });

  it('refuses unknown cards, empty carts, mixed currencies and unavailable products with typed errors', async () => {
    const buyer = await h.user();
    expect(
      codes(
        await h.gql(CHECKOUT, { input: { billingCountry: 'US', paymentMethod: '4242424242424242' } }, buyer),
      ),
    ).toEqual(['CART_EMPTY']);
    const usd = await h.product(instructor, { currency: 'USD' });
    const eur = await h.product(instructor, { currency: 'EUR' });
    expect(codes(await h.buy(buyer, [usd, eur]))).toEqual(['CURRENCY_MISMATCH']);
    await h.gql(
      `mutation($input: RemoveFromCartInput!) { removeFromCart(input: $input) { cart { items { quantity } } } }`,
      {
        input: { productId: eur },
      },
      buyer,
    );
    expect(
      codes(await h.gql(CHECKOUT, { input: { billingCountry: 'US', paymentMethod: '1234' } }, buyer)),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(
        await h.gql(CHECKOUT, { input: { billingCountry: 'USA', paymentMethod: '4242424242424242' } }, buyer),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    // The rejected attempts changed nothing: the cart is intact, no order was made.
    const cart = await h.gql<{ myCart: { items: unknown[] } }>(
      `{ myCart { items { quantity } } }`,
      {},
      buyer,
    );
    expect(cart.data!.myCart.items).toHaveLength(1);
    const orders = await h.gql<{ myOrders: { edges: unknown[] } }>(
      `{ myOrders { edges { cursor } } }`,
      {},
      buyer,
    );
    expect(orders.data!.myOrders.edges).toHaveLength(0);
  });

  it('a double-submitted checkout charges once (the cart is consumed by the first)', async () => {
    const buyer = await h.user();
    const p = await h.product(instructor);
    await h.gql(
      `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
      {
        input: { productId: p },
      },
      buyer,
    );
    const input = { input: { billingCountry: 'US', paymentMethod: '4242424242424242' } };
    const results = await Promise.all([h.gql(CHECKOUT, input, buyer), h.gql(CHECKOUT, input, buyer)]);
    expect(results.map((r) => codes(r)).sort()).toEqual([[], ['CART_EMPTY']]);
  });

  it('keeps one order within 32 bits of minor units (Money.amount is an Int)', async () => {
    const buyer = await h.user();
    for (let i = 0; i < 5; i += 1) {
      const p = await h.product(instructor, { amount: 5_000_000 });
      await h.gql(
        `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
        {
          input: { productId: p, quantity: 100 },
        },
        buyer,
      );
    }
    // 5 × 100 × 5,000,000 = 2,500,000,000 > 2^31 − 1
    expect(
      codes(
        await h.gql(CHECKOUT, { input: { billingCountry: 'US', paymentMethod: '4242424242424242' } }, buyer),
      ),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('validates prices: 50–5,000,000 minor units, ISO currency, quantity 1–100', async () => {
    const setPrice = (input: Record<string, unknown>) =>
      h.gql(
        `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
        {
          input: {
            kind: 'COURSE',
            refId: crypto.randomUUID(),
            title: 'x',
            amount: 100,
            currency: 'USD',
            ...input,
          },
        },
        instructor,
      );
    expect(codes(await setPrice({ amount: 49 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await setPrice({ amount: 5_000_001 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await setPrice({ currency: 'usd1' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await setPrice({ amount: 50 }))).toEqual([]);
    const p = await h.product(instructor);
    const add = (quantity: number) =>
      h.gql(
        `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
        {
          input: { productId: p, quantity },
        },
        instructor,
      );
    expect(codes(await add(0))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await add(101))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await add(100))).toEqual([]);
  });

  it('shows the price on the entities commerce sells (federated reference)', async () => {
    const refId = crypto.randomUUID();
    await h.product(instructor, { refId, amount: 2_500, currency: 'EUR' });
    const result = await h.gql<{
      _entities: ({ price: { amount: number; currency: string } | null } | null)[];
    }>(
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on Course { price { amount currency } } ... on Ebook { price { amount } } } }`,
      {
        r: [
          { __typename: 'Course', id: refId },
          { __typename: 'Ebook', id: refId },
        ],
      },
    );
    expect(result.data!._entities).toEqual([{ price: { amount: 2_500, currency: 'EUR' } }, { price: null }]);
  });

  it('keeps a product its seller’s: another instructor cannot reprice it, an admin can', async () => {
    const refId = crypto.randomUUID();
    await h.product(instructor, { refId });
    const other = await h.user(['INSTRUCTOR']);
    expect(
      codes(
        await h.gql(
          `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
          { input: { kind: 'COURSE', refId, title: 'Mine now', amount: 60, currency: 'USD' } },
          other,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const admin = await h.user(['ADMIN']);
    const byAdmin = await h.gql<{
      setProductPrice: { product: { price: { amount: number }; seller: { id: string } } };
    }>(
      `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { price { amount } seller { id } } } }`,
      { input: { kind: 'COURSE', refId, title: 'Repriced', amount: 70, currency: 'USD' } },
      admin,
    );
    expect(byAdmin.data!.setProductPrice.product).toEqual({
      price: { amount: 70 },
      seller: { id: instructor.id },
    });
  });
});
