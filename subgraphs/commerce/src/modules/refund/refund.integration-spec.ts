import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../../testing/commerce-harness.js';

const REFUND = `mutation($input: RefundOrderInput!) { refundOrder(input: $input) {
  refund { id status amount { amount currency } } order { status refunded { amount } total { amount } } } }`;

type RefundResult = {
  refundOrder: {
    refund: { id: string; status: string; amount: { amount: number } };
    order: { status: string; refunded: { amount: number }; total: { amount: number } };
  };
};

describe('refunds', () => {
  let h: CommerceHarness;
  let instructor: TestUser;
  let finance: TestUser;

  beforeAll(async () => {
    h = await createCommerceHarness('refunds');
    [instructor, finance] = await Promise.all([h.user(['INSTRUCTOR']), h.user(['FINANCE'])]);
    await h.gql(
      `mutation($input: SetTaxRateInput!) { setTaxRate(input: $input) { taxRate { id } } }`,
      { input: { country: 'FR', rateBps: 2000, inclusive: false } },
      finance,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  async function paidOrder(amount = 10_001) {
    const buyer = await h.user();
    const result = await h.buy(buyer, [await h.product(instructor, { amount })], { billingCountry: 'FR' });
    return result.data!.checkout.order;
  }

  async function balances(orderId: string) {
    const rows = (await h.dataSource.query(
      `SELECT a.kind, sum(e.amount_minor)::int AS total FROM "commerce".ledger_entries e
       JOIN "commerce".ledger_transactions t ON t.id = e.transaction_id JOIN "commerce".ledger_accounts a ON a.id = e.account_id
       WHERE t.order_id = $1 GROUP BY a.kind ORDER BY a.kind`,
      [orderId],
    )) as { kind: string; total: number }[];
    return Object.fromEntries(rows.map((r) => [r.kind, r.total]));
  }

  it('partial refunds reverse every leg in proportion; reaching the total reverses the sale exactly', async () => {
    const order = await paidOrder(); // 10001 + 20 % tax = 12001
    expect(order.total.amount).toBe(12_001);
    const sale = await balances(order.id);
    expect(sale).toEqual({
      PLATFORM_REVENUE: -500,
      PROVIDER_CLEARING: 12_001,
      SELLER_PAYABLE: -9_501,
      TAX_PAYABLE: -2_000,
    });
    const first = await h.gql<RefundResult>(
      REFUND,
      { input: { orderId: order.id, amount: 3_333, reason: 'partial' } },
      finance,
    );
    expect(first.data!.refundOrder.order).toMatchObject({
      status: 'PARTIALLY_REFUNDED',
      refunded: { amount: 3_333 },
    });
    expect(await h.unbalanced()).toEqual([]);
    const second = await h.gql<RefundResult>(REFUND, { input: { orderId: order.id, amount: 1 } }, finance);
    expect(second.data!.refundOrder.order.refunded.amount).toBe(3_334);
    const rest = await h.gql<RefundResult>(REFUND, { input: { orderId: order.id } }, finance);
    expect(rest.data!.refundOrder.refund.amount.amount).toBe(12_001 - 3_334);
    expect(rest.data!.refundOrder.order).toMatchObject({ status: 'REFUNDED', refunded: { amount: 12_001 } });
    expect(await balances(order.id)).toEqual({
      PLATFORM_REVENUE: 0,
      PROVIDER_CLEARING: 0,
      SELLER_PAYABLE: 0,
      TAX_PAYABLE: 0,
    });
    const events = (await h.outbox('order.refunded')).filter((e) => e.aggregate_id === order.id);
    expect(events.map((e) => [e.payload['amountMinor'], e.payload['fullyRefunded']])).toEqual([
      [3_333, false],
      [1, false],
      [8_667, true],
    ]);
    expect(codes(await h.gql(REFUND, { input: { orderId: order.id, amount: 1 } }, finance))).toEqual([
      'ORDER_NOT_REFUNDABLE',
    ]);
  });

  it('never refunds above what remains, even under concurrency', async () => {
    const order = await paidOrder(10_000); // 12000
    expect(codes(await h.gql(REFUND, { input: { orderId: order.id, amount: 12_001 } }, finance))).toEqual([
      'REFUND_EXCEEDS_REMAINDER',
    ]);
    expect(codes(await h.gql(REFUND, { input: { orderId: order.id, amount: 0 } }, finance))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () =>
        h.gql<RefundResult>(REFUND, { input: { orderId: order.id, amount: 5_000 } }, finance),
      ),
    );
    expect(attempts.filter((a) => !a.errors)).toHaveLength(2);
    expect(attempts.filter((a) => a.errors).map((a) => codes(a)[0])).toEqual(
      Array(4).fill('REFUND_EXCEEDS_REMAINDER'),
    );
    const [row] = (await h.dataSource.query(
      `SELECT refunded_minor::int AS r, status FROM "commerce".orders WHERE id = $1`,
      [order.id],
    )) as { r: number; status: string }[];
    expect(row).toEqual({ r: 10_000, status: 'PARTIALLY_REFUNDED' });
    expect(await h.unbalanced()).toEqual([]);
  });

  it('refunds only paid orders', async () => {
    const buyer = await h.user();
    const failed = (await h.buy(buyer, [await h.product(instructor)], { paymentMethod: '4000000000000002' }))
      .data!.checkout.order;
    expect(codes(await h.gql(REFUND, { input: { orderId: failed.id } }, finance))).toEqual([
      'ORDER_NOT_REFUNDABLE',
    ]);
    expect(codes(await h.gql(REFUND, { input: { orderId: crypto.randomUUID() } }, finance))).toEqual([
      'NOT_FOUND',
    ]);
  });
});
