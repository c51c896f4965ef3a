import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../../testing/commerce-harness.js';

const JOIN = `mutation($input: JoinAffiliateProgramInput!) { joinAffiliateProgram(input: $input) { affiliate { id code } } }`;
const REQUEST = `mutation($input: CurrencyInput!) { requestPayout(input: $input) { payout { id status amount { amount currency } sellerPart { amount } affiliatePart { amount } } } }`;
const BATCH = `mutation($input: CurrencyInput!) { createPayoutBatch(input: $input) { batch { id status totalMinor payouts { id status } } } }`;
const PAID = `mutation($input: PayoutBatchIdInput!) { markPayoutBatchPaid(input: $input) { batch { id status payouts { status paidAt } } } }`;

describe('affiliates and payouts', () => {
  let h: CommerceHarness;
  let instructor: TestUser;
  let partner: TestUser;
  let finance: TestUser;

  beforeAll(async () => {
    h = await createCommerceHarness('payouts');
    [instructor, partner, finance] = await Promise.all([
      h.user(['INSTRUCTOR']),
      h.user(),
      h.user(['FINANCE']),
    ]);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function accountBalance(kind: string, ownerId: string | null) {
    const [row] = (await h.dataSource.query(
      `SELECT COALESCE(sum(balance_minor), 0)::int AS b FROM "commerce".ledger_balances WHERE kind = $1 AND owner_id IS NOT DISTINCT FROM $2 AND currency = 'USD'`,
      [kind, ownerId],
    )) as { b: number }[];
    return row!.b;
  }

  it('gives referral codes: upper-case, unique, one per user', async () => {
    const joined = await h.gql<{ joinAffiliateProgram: { affiliate: { code: string } } }>(
      JOIN,
      { input: { code: 'partner1' } },
      partner,
    );
    expect(joined.data!.joinAffiliateProgram.affiliate.code).toBe('PARTNER1');
    const again = await h.gql<{ joinAffiliateProgram: { affiliate: { code: string } } }>(
      JOIN,
      { input: {} },
      partner,
    );
    expect(again.data!.joinAffiliateProgram.affiliate.code).toBe('PARTNER1');
    const other = await h.user();
    expect(codes(await h.gql(JOIN, { input: { code: 'PARTNER1' } }, other))).toEqual(['CONFLICT']);
    expect(codes(await h.gql(JOIN, { input: { code: 'x!' } }, other))).toEqual(['BAD_USER_INPUT']);
    const random = await h.gql<{ joinAffiliateProgram: { affiliate: { code: string } } }>(
      JOIN,
      { input: {} },
      other,
    );
    expect(random.data!.joinAffiliateProgram.affiliate.code).toMatch(/^[A-Z0-9]{8}$/);
    expect(codes(await h.gql(JOIN, { input: {} }, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('pays the affiliate 25 % of the commission on referred sales, reversed in proportion by refunds', async () => {
    const buyer = await h.user();
    const course = await h.product(instructor, { amount: 10_000 });
    expect(codes(await h.buy(partner, [course], { referralCode: 'PARTNER1' }))).toEqual(['BAD_USER_INPUT']);
    await h.gql(
      `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
      {
        input: { productId: course },
      },
      buyer,
    );
    expect(
      codes(
        await h.gql(
          `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id } } }`,
          {
            input: { billingCountry: 'US', paymentMethod: '4242424242424242', referralCode: 'NOPE1234' },
          },
          buyer,
        ),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    const order = (
      await h.gql<{ checkout: { order: { id: string; status: string } } }>(
        `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id status } } }`,
        { input: { billingCountry: 'US', paymentMethod: '4242424242424242', referralCode: 'partner1' } },
        buyer,
      )
    ).data!.checkout.order;
    expect(order.status).toBe('PAID');
    expect(await accountBalance('AFFILIATE_PAYABLE', partner.id)).toBe(-125);
    expect(await accountBalance('PLATFORM_REVENUE', null)).toBe(-375);
    expect(await accountBalance('SELLER_PAYABLE', instructor.id)).toBe(-9_500);

    await h.gql(
      `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { refund { id } } }`,
      {
        input: { orderId: order.id, amount: 5_000 },
      },
      finance,
    );
    const commissions = await h.gql<{
      myAffiliateCommissions: { kind: string; orderId: string; amount: { amount: number } }[];
    }>('{ myAffiliateCommissions { kind orderId amount { amount currency } } }', {}, partner);
    expect(commissions.data!.myAffiliateCommissions).toEqual([
      { kind: 'REFUND', orderId: order.id, amount: { amount: -62, currency: 'USD' } },
      { kind: 'SALE', orderId: order.id, amount: { amount: 125, currency: 'USD' } },
    ]);
    expect(await h.unbalanced()).toEqual([]);
  });

  it('pays out at least 100.00, once under concurrent requests, through a batch posted to the ledger', async () => {
    // Owed so far: 4,750 (after the half refund) — below the minimum.
    expect(codes(await h.gql(REQUEST, { input: { currency: 'USD' } }, instructor))).toEqual([
      'PAYOUT_BELOW_MINIMUM',
    ]);
    await h.buy(await h.user(), [await h.product(instructor, { amount: 10_000 })]);
    const owed = -(await accountBalance('SELLER_PAYABLE', instructor.id));
    expect(owed).toBe(14_250);
    const requests = await Promise.all(
      [1, 2, 3].map(() =>
        h.gql<{ requestPayout: { payout: { amount: { amount: number } } } }>(
          REQUEST,
          { input: { currency: 'usd' } },
          instructor,
        ),
      ),
    );
    expect(requests.filter((r) => !r.errors).map((r) => r.data!.requestPayout.payout.amount.amount)).toEqual([
      14_250,
    ]);
    expect(requests.filter((r) => r.errors).map((r) => codes(r)[0])).toEqual([
      'PAYOUT_BELOW_MINIMUM',
      'PAYOUT_BELOW_MINIMUM',
    ]);

    expect(codes(await h.gql(BATCH, { input: { currency: 'USD' } }, instructor))).toEqual(['FORBIDDEN']);
    const batch = (
      await h.gql<{
        createPayoutBatch: {
          batch: { id: string; status: string; totalMinor: number; payouts: unknown[] };
        };
      }>(BATCH, { input: { currency: 'USD' } }, finance)
    ).data!.createPayoutBatch.batch;
    expect(batch).toMatchObject({ status: 'PROCESSING', totalMinor: 14_250 });
    expect(batch.payouts).toHaveLength(1);
    expect(codes(await h.gql(BATCH, { input: { currency: 'USD' } }, finance))).toEqual(['NOT_FOUND']);

    expect(codes(await h.gql(PAID, { input: { batchId: batch.id } }, instructor))).toEqual(['FORBIDDEN']);
    const paid = await h.gql<{
      markPayoutBatchPaid: { batch: { status: string; payouts: { status: string }[] } };
    }>(PAID, { input: { batchId: batch.id } }, finance);
    expect(paid.data!.markPayoutBatchPaid.batch).toMatchObject({
      status: 'PAID',
      payouts: [{ status: 'PAID' }],
    });
    expect(codes(await h.gql(PAID, { input: { batchId: batch.id } }, finance))).toEqual(['CONFLICT']);
    expect(await accountBalance('SELLER_PAYABLE', instructor.id)).toBe(0);
    const statement = await h.gql<{ myPayouts: { status: string; amount: { amount: number } }[] }>(
      '{ myPayouts { status amount { amount } } }',
      {},
      instructor,
    );
    expect(statement.data!.myPayouts).toEqual([{ status: 'PAID', amount: { amount: 14_250 } }]);
    // The affiliate's 188 is below the minimum.
    expect(codes(await h.gql(REQUEST, { input: { currency: 'USD' } }, partner))).toEqual([
      'PAYOUT_BELOW_MINIMUM',
    ]);
    expect(codes(await h.gql(REQUEST, { input: { currency: 'USD' } }, null))).toEqual(['UNAUTHENTICATED']);
    expect(await h.unbalanced()).toEqual([]);
  });
});
