import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKOUT,
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../../testing/commerce-harness.js';

const CREATE = `mutation($input: CreateCouponInput!) { createCoupon(input: $input) { coupon { id code kind percentOff amountOff { amount currency } redeemedCount } } }`;
const ADD = `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`;

describe('coupons', () => {
  let h: CommerceHarness;
  let instructor: TestUser;
  let finance: TestUser;

  beforeAll(async () => {
    h = await createCommerceHarness('coupons');
    [instructor, finance] = await Promise.all([h.user(['INSTRUCTOR']), h.user(['FINANCE'])]);
  });
  afterAll(async () => {
    await h?.close();
  });

  const coupon = (input: Record<string, unknown>) =>
    h.gql<{ createCoupon: { coupon: { id: string; code: string } } }>(CREATE, { input }, finance);

  it('creates percent (≤ 80 %) and fixed coupons with upper-case unique codes', async () => {
    const created = await coupon({ code: 'spring-10', kind: 'PERCENT', percentOff: 10 });
    expect(created.data!.createCoupon.coupon).toMatchObject({
      code: 'SPRING-10',
      kind: 'PERCENT',
      percentOff: 10,
      redeemedCount: 0,
    });
    expect(codes(await coupon({ code: 'SPRING-10', kind: 'PERCENT', percentOff: 5 }))).toEqual(['CONFLICT']);
    expect(codes(await coupon({ code: 'TOO-MUCH', kind: 'PERCENT', percentOff: 81 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await coupon({ code: 'NO-CUR', kind: 'AMOUNT', amountOff: 500 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(codes(await coupon({ code: 'x', kind: 'PERCENT', percentOff: 5 }))).toEqual(['BAD_USER_INPUT']);
    const fixed = await coupon({ code: 'FIVE-OFF', kind: 'AMOUNT', amountOff: 500, currency: 'usd' });
    expect(fixed.data!.createCoupon.coupon).toMatchObject({ amountOff: { amount: 500, currency: 'USD' } });
  });

  it('applies a percent coupon and a fixed one in the same currency only', async () => {
    await coupon({ code: 'TWENTY', kind: 'PERCENT', percentOff: 20 });
    const buyer = await h.user();
    const p = await h.product(instructor, { amount: 1_999 });
    const order = (await h.buy(buyer, [p], { couponCode: 'twenty' })).data!.checkout.order;
    expect(order).toMatchObject({ status: 'PAID', discount: { amount: 400 }, total: { amount: 1_599 } });
    // Commission is taken on what was paid: 1599 × 5 % = 79.95 → 80.
    const [sale] = (await h.dataSource.query(
      `SELECT commission_minor::int AS c FROM "commerce".order_lines WHERE order_id = $1`,
      [order.id],
    )) as { c: number }[];
    expect(sale!.c).toBe(80);

    await coupon({ code: 'EUR-OFF', kind: 'AMOUNT', amountOff: 300, currency: 'EUR' });
    const other = await h.user();
    expect(codes(await h.buy(other, [await h.product(instructor)], { couponCode: 'EUR-OFF' }))).toEqual([
      'COUPON_INVALID',
    ]);
    expect(
      codes(
        await h.gql(
          CHECKOUT,
          { input: { billingCountry: 'US', paymentMethod: '4242424242424242', couponCode: 'NOPE' } },
          other,
        ),
      ),
    ).toEqual(['COUPON_INVALID']);
  });

  it('honours the validity window', async () => {
    const now = Date.now();
    await coupon({
      code: 'LATER',
      kind: 'PERCENT',
      percentOff: 5,
      startsAt: new Date(now + 3_600_000).toISOString(),
    });
    await coupon({
      code: 'GONE',
      kind: 'PERCENT',
      percentOff: 5,
      startsAt: new Date(now - 7_200_000).toISOString(),
      endsAt: new Date(now - 3_600_000).toISOString(),
    });
    const buyer = await h.user();
    await h.gql(ADD, { input: { productId: await h.product(instructor) } }, buyer);
    const checkout = (code: string) =>
      h.gql(
        CHECKOUT,
        { input: { billingCountry: 'US', paymentMethod: '4242424242424242', couponCode: code } },
        buyer,
      );
    expect(codes(await checkout('LATER'))).toEqual(['COUPON_INVALID']);
    expect(codes(await checkout('GONE'))).toEqual(['COUPON_INVALID']);
  });

  it('N redemptions under 20 concurrent checkouts → exactly N', async () => {
    const N = 5;
    await coupon({ code: 'FIRST-FIVE', kind: 'PERCENT', percentOff: 50, maxRedemptions: N });
    const p = await h.product(instructor, { amount: 2_000 });
    const buyers = await Promise.all(Array.from({ length: 20 }, () => h.user()));
    for (const b of buyers) await h.gql(ADD, { input: { productId: p } }, b);
    const results = await Promise.all(
      buyers.map((b) =>
        h.gql<{ checkout: { order: { status: string; total: { amount: number } } } }>(
          CHECKOUT,
          {
            input: { billingCountry: 'US', paymentMethod: '4242424242424242', couponCode: 'FIRST-FIVE' },
          },
          b,
        ),
      ),
    );
    const paid = results.filter((r) => !r.errors);
    expect(paid).toHaveLength(N);
    expect(paid.every((r) => r.data!.checkout.order.total.amount === 1_000)).toBe(true);
    expect(results.filter((r) => r.errors).map((r) => codes(r)[0])).toEqual(
      Array(20 - N).fill('COUPON_EXHAUSTED'),
    );
    const [row] = (await h.dataSource.query(
      `SELECT c.redeemed_count, (SELECT count(*)::int FROM "commerce".coupon_redemptions r WHERE r.coupon_id = c.id) AS redemptions
       FROM "commerce".coupons c WHERE code = 'FIRST-FIVE'`,
    )) as { redeemed_count: number; redemptions: number }[];
    expect(row).toEqual({ redeemed_count: N, redemptions: N });
    expect(await h.unbalanced()).toEqual([]);
  });

  it('enforces the per-user limit (an unpaid order holds its redemption), and a canceled order gives its redemption back', async () => {
    await coupon({
      code: 'ONCE-EACH',
      kind: 'PERCENT',
      percentOff: 10,
      perUserLimit: 1,
      maxRedemptions: 100,
    });
    const buyer = await h.user();
    const products = await Promise.all([1, 2].map(() => h.product(instructor)));
    const declinedFirst = await h.buy(buyer, [products[0]!], {
      couponCode: 'ONCE-EACH',
      paymentMethod: '4000000000000002',
    });
    expect(declinedFirst.data!.checkout.order.status).toBe('PAYMENT_FAILED');
    await h.gql(ADD, { input: { productId: products[1]! } }, buyer);
    expect(
      codes(
        await h.gql(
          CHECKOUT,
          { input: { billingCountry: 'US', paymentMethod: '4242424242424242', couponCode: 'ONCE-EACH' } },
          buyer,
        ),
      ),
    ).toEqual(['COUPON_LIMIT_REACHED']);
    const canceled = await h.gql<{ cancelOrder: { order: { status: string } } }>(
      `mutation($input: OrderIdInput!) { cancelOrder(input: $input) { order { status } } }`,
      { input: { orderId: declinedFirst.data!.checkout.order.id } },
      buyer,
    );
    expect(canceled.data!.cancelOrder.order.status).toBe('CANCELED');
    const second = await h.gql<{ checkout: { order: { status: string } } }>(
      CHECKOUT,
      {
        input: { billingCountry: 'US', paymentMethod: '4242424242424242', couponCode: 'ONCE-EACH' },
      },
      buyer,
    );
    expect(second.data!.checkout.order.status).toBe('PAID');
    const [row] = (await h.dataSource.query(
      `SELECT redeemed_count FROM "commerce".coupons WHERE code = 'ONCE-EACH'`,
    )) as {
      redeemed_count: number;
    }[];
    expect(row!.redeemed_count).toBe(1);
  });

  it('gives an abandoned unpaid order’s redemption back after 24 hours', async () => {
    await coupon({ code: 'LAST-ONE', kind: 'PERCENT', percentOff: 10, maxRedemptions: 1 });
    const buyer = await h.user();
    const declined = (
      await h.buy(buyer, [await h.product(instructor)], {
        couponCode: 'LAST-ONE',
        paymentMethod: '4000000000000002',
      })
    ).data!.checkout.order;
    expect(declined.status).toBe('PAYMENT_FAILED');
    const other = await h.user();
    await h.gql(ADD, { input: { productId: await h.product(instructor) } }, other);
    const checkout = () =>
      h.gql<{ checkout: { order: { status: string } } }>(
        CHECKOUT,
        {
          input: { billingCountry: 'US', paymentMethod: '4242424242424242', couponCode: 'LAST-ONE' },
        },
        other,
      );
    expect(codes(await checkout())).toEqual(['COUPON_EXHAUSTED']);
    expect(await h.services.orders.expireAbandoned(24)).toBe(0);
    h.clock.set(new Date(Date.now() + 25 * 3_600_000));
    try {
      expect(await h.services.orders.expireAbandoned(24)).toBeGreaterThanOrEqual(1);
    } finally {
      h.clock.reset();
    }
    const [row] = (await h.dataSource.query(`SELECT status FROM "commerce".orders WHERE id = $1`, [
      declined.id,
    ])) as { status: string }[];
    expect(row!.status).toBe('CANCELED');
    expect((await checkout()).data!.checkout.order.status).toBe('PAID');
  });
});
