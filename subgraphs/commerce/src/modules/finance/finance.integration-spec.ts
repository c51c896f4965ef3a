import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../../testing/commerce-harness.js';
import { csvCell } from './finance.service.js';

const SUMMARY = `query($from: DateTimeISO!, $to: DateTimeISO!) { financeSummary(from: $from, to: $to) {
  currency orders grossMinor discountsMinor taxMinor collectedMinor refundsMinor netMinor commissionMinor } }`;
const RECONCILE = `mutation($input: ReconcilePaymentsInput!) { reconcilePayments(input: $input) { lines {
  currency oursMinor providerMinor varianceBps alert missingHere missingAtProvider amountMismatches } } }`;

describe('finance: summaries, CSV export, reconciliation', () => {
  let h: CommerceHarness;
  let instructor: TestUser;
  let finance: TestUser;
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const to = new Date(Date.now() + 3_600_000).toISOString();
  const orderIds: string[] = [];

  beforeAll(async () => {
    h = await createCommerceHarness('finance');
    [instructor, finance] = await Promise.all([h.user(['INSTRUCTOR']), h.user(['FINANCE'])]);
    await h.gql(
      `mutation($input: SetTaxRateInput!) { setTaxRate(input: $input) { taxRate { id } } }`,
      {
        input: { country: 'DE', rateBps: 1900, inclusive: false },
      },
      finance,
    );
    await h.gql(
      `mutation($input: CreateCouponInput!) { createCoupon(input: $input) { coupon { id } } }`,
      {
        input: { code: 'HALF', kind: 'PERCENT', percentOff: 50 },
      },
      finance,
    );
    const a = (
      await h.buy(await h.user(), [await h.product(instructor, { amount: 10_000 })], { billingCountry: 'DE' })
    ).data!.checkout.order;
    const b = (
      await h.buy(await h.user(), [await h.product(instructor, { amount: 2_000 })], { couponCode: 'HALF' })
    ).data!.checkout.order;
    const c = (await h.buy(await h.user(), [await h.product(instructor, { amount: 3_000, currency: 'EUR' })]))
      .data!.checkout.order;
    orderIds.push(a.id, b.id, c.id);
    const refunded = await h.gql(
      `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { refund { id } } }`,
      {
        input: { orderId: a.id, amount: 5_950 },
      },
      finance,
    );
    expect(refunded.errors).toBeUndefined();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sums gross, discounts, tax, refunds, net and commission per currency', async () => {
    const result = await h.gql<{ financeSummary: unknown[] }>(SUMMARY, { from, to }, finance);
    expect(result.errors).toBeUndefined();
    expect(result.data!.financeSummary).toEqual([
      {
        currency: 'EUR',
        orders: 1,
        grossMinor: 3_000,
        discountsMinor: 0,
        taxMinor: 0,
        collectedMinor: 3_000,
        refundsMinor: 0,
        netMinor: 3_000,
        commissionMinor: 150,
      },
      // 11900 + 1000 collected; half of order A refunded (950 of its tax, 250 of its commission reversed).
      {
        currency: 'USD',
        orders: 2,
        grossMinor: 12_000,
        discountsMinor: 1_000,
        taxMinor: 1_900,
        collectedMinor: 12_900,
        refundsMinor: 5_950,
        netMinor: 6_000,
        commissionMinor: 300,
      },
    ]);
    const empty = await h.gql<{ financeSummary: unknown[] }>(
      SUMMARY,
      { from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' },
      finance,
    );
    expect(empty.data!.financeSummary).toEqual([]);
    expect(codes(await h.gql(SUMMARY, { from: to, to: from }, finance))).toEqual(['BAD_USER_INPUT']);
    expect(
      codes(await h.gql(SUMMARY, { from: '2020-01-01T00:00:00Z', to: '2022-01-01T00:00:00Z' }, finance)),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('exports paid orders as CSV', async () => {
    const result = await h.gql<{ financeOrdersCsv: string }>(
      `query($from: DateTimeISO!, $to: DateTimeISO!) { financeOrdersCsv(from: $from, to: $to) }`,
      { from, to },
      finance,
    );
    const lines = result.data!.financeOrdersCsv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,paid_at,buyer_id,currency,subtotal_minor,discount_minor,tax_minor,total_minor,refunded_minor,status,provider,provider_payment_id,tax_country,tax_region',
    );
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith(orderIds[0]!))).toMatch(
      /,USD,10000,0,1900,11900,5950,PARTIALLY_REFUNDED,SANDBOX,sbx_pi_/,
    );
  });

  it('neutralises spreadsheet formulas and quotes CSV cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
  });

  it('reconciles provider records and alerts above 250 bps', async () => {
    const ours = (await h.dataSource.query(
      `SELECT provider_payment_id AS id, currency, total_minor::int AS total FROM "commerce".orders WHERE id = ANY($1)`,
      [orderIds],
    )) as { id: string; currency: string; total: number }[];
    const records = ours.map((o) => ({ paymentId: o.id, amountMinor: o.total, currency: o.currency }));
    const exact = await h.gql<{
      reconcilePayments: { lines: { currency: string; varianceBps: number; alert: boolean }[] };
    }>(RECONCILE, { input: { provider: 'SANDBOX', from, to, records } }, finance);
    expect(exact.data!.reconcilePayments.lines.map((l) => [l.currency, l.varianceBps, l.alert])).toEqual([
      ['EUR', 0, false],
      ['USD', 0, false],
    ]);
    // EUR: the provider settled 2,900 of 3,000 (333 bps) → alert; USD: an unknown payment of 10 (8 bps) → no alert.
    const off = records.map((r) => (r.currency === 'EUR' ? { ...r, amountMinor: 2_900 } : r));
    off.push({ paymentId: 'pi_unknown', amountMinor: 10, currency: 'usd' });
    const result = await h.gql<{ reconcilePayments: { lines: Record<string, unknown>[] } }>(
      RECONCILE,
      { input: { provider: 'SANDBOX', from, to, records: off } },
      finance,
    );
    expect(result.data!.reconcilePayments.lines).toEqual([
      expect.objectContaining({
        currency: 'EUR',
        oursMinor: 3_000,
        providerMinor: 2_900,
        varianceBps: 333,
        alert: true,
        amountMismatches: [expect.any(String)],
      }),
      expect.objectContaining({
        currency: 'USD',
        varianceBps: 8,
        alert: false,
        missingHere: ['pi_unknown'],
        missingAtProvider: [],
      }),
    ]);
    const alerts = await h.outbox('finance.reconciliation_alert');
    expect(alerts.map((a) => a.payload)).toEqual([
      expect.objectContaining({ provider: 'SANDBOX', currency: 'EUR', varianceBps: 333 }),
    ]);
  });

  it('is for FINANCE and ADMIN only', async () => {
    const learner = await h.user();
    expect(codes(await h.gql(SUMMARY, { from, to }, instructor))).toEqual(['FORBIDDEN']);
    expect(codes(await h.gql(SUMMARY, { from, to }, null))).toEqual(['UNAUTHENTICATED']);
    expect(
      codes(await h.gql(RECONCILE, { input: { provider: 'SANDBOX', from, to, records: [] } }, learner)),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(await h.gql(RECONCILE, { input: { provider: 'SANDBOX', from, to, records: [] } }, null)),
    ).toEqual(['UNAUTHENTICATED']);
    expect(
      codes(
        await h.gql(
          `query($from: DateTimeISO!, $to: DateTimeISO!) { financeOrdersCsv(from: $from, to: $to) }`,
          { from, to },
          learner,
        ),
      ),
    ).toEqual(['FORBIDDEN']);
  });
});
