import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommerceHarness,
  WEBHOOK_SECRET,
  type CommerceHarness,
  type TestUser,
} from '../testing/commerce-harness.js';
import { signedStripeEvent } from '../testing/stripe-stand-in.js';

describe('Stripe (official SDK against a local stand-in) and signed webhooks', () => {
  let h: CommerceHarness;
  let instructor: TestUser;
  let finance: TestUser;

  beforeAll(async () => {
    h = await createCommerceHarness('stripe');
    [instructor, finance] = await Promise.all([h.user(['INSTRUCTOR']), h.user(['FINANCE'])]);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function pendingStripeOrder(amount = 10_000) {
    const buyer = await h.user();
    const p = await h.product(instructor, { amount });
    const result = await h.buy(buyer, [p], { provider: 'STRIPE', paymentMethod: null });
    expect(result.errors).toBeUndefined();
    const { order, payment } = result.data!.checkout;
    const intentId = [...h.stripe.intents.values()].find((i) => i.metadata['orderId'] === order.id)!.id;
    return { buyer, order, payment, intentId };
  }

  const ledgerTransactions = async (orderId: string) =>
    (
      (await h.dataSource.query(`SELECT kind FROM "commerce".ledger_transactions WHERE order_id = $1`, [
        orderId,
      ])) as unknown[]
    ).length;
  const paidEvents = async (orderId: string) =>
    (await h.outbox('order.paid')).filter((e) => e.aggregate_id === orderId).length;

  it('creates a PaymentIntent with an idempotency key derived from the order and hands out its client secret', async () => {
    const { order, payment, intentId } = await pendingStripeOrder(4_200);
    expect(order.status).toBe('PENDING_PAYMENT');
    expect(payment).toMatchObject({ provider: 'STRIPE', status: 'REQUIRES_PAYMENT_METHOD' });
    expect(payment.clientSecret).toMatch(new RegExp(`^${intentId}_secret_`));
    const create = h.stripe.requests.find(
      (r) => r.path === '/v1/payment_intents' && r.params['metadata[orderId]'] === order.id,
    )!;
    expect(create.idempotencyKey).toBe(`order:${order.id}:payment:1`);
    expect(create.params).toMatchObject({ amount: '4200', currency: 'usd' });
  });

  it('the same webhook delivered 5 times (2 concurrently) → one ledger transaction, one order.paid', async () => {
    const { order, intentId } = await pendingStripeOrder();
    h.stripe.completeAuthentication(intentId);
    const event = signedStripeEvent({
      type: 'payment_intent.succeeded',
      intent: h.stripe.intents.get(intentId)!,
      secret: WEBHOOK_SECRET,
    });
    const concurrent = await Promise.all([
      h.webhook(event.payload, event.signature),
      h.webhook(event.payload, event.signature),
    ]);
    const sequential = [];
    for (let i = 0; i < 3; i += 1) sequential.push(await h.webhook(event.payload, event.signature));
    const results = [...concurrent, ...sequential];
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.map((r) => r.body['result']).sort()).toEqual([
      'APPLIED',
      'DUPLICATE',
      'DUPLICATE',
      'DUPLICATE',
      'DUPLICATE',
    ]);
    expect(await ledgerTransactions(order.id)).toBe(1);
    expect(await paidEvents(order.id)).toBe(1);
    const [row] = (await h.dataSource.query(`SELECT status FROM "commerce".orders WHERE id = $1`, [
      order.id,
    ])) as { status: string }[];
    expect(row!.status).toBe('PAID');

    // A different event about the same payment (Stripe may send several) settles nothing twice.
    const another = signedStripeEvent({
      type: 'payment_intent.succeeded',
      intent: h.stripe.intents.get(intentId)!,
      secret: WEBHOOK_SECRET,
    });
    expect((await h.webhook(another.payload, another.signature)).body['result']).toBe('IGNORED');
    expect(await ledgerTransactions(order.id)).toBe(1);
  });

  it('rejects tampered, stale, foreign-secret and unsigned deliveries with 400 and changes nothing', async () => {
    const { order, intentId } = await pendingStripeOrder();
    h.stripe.completeAuthentication(intentId);
    const intent = h.stripe.intents.get(intentId)!;
    const good = signedStripeEvent({ type: 'payment_intent.succeeded', intent, secret: WEBHOOK_SECRET });
    const tampered = good.payload.replace(`"amount_received":${intent.amount}`, `"amount_received":1`);
    expect(tampered).not.toBe(good.payload);
    expect((await h.webhook(tampered, good.signature)).status).toBe(400);
    const stale = signedStripeEvent({
      type: 'payment_intent.succeeded',
      intent,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    expect((await h.webhook(stale.payload, stale.signature)).status).toBe(400);
    const foreign = signedStripeEvent({
      type: 'payment_intent.succeeded',
      intent,
      secret: 'whsec_someone_else',
    });
    expect((await h.webhook(foreign.payload, foreign.signature)).status).toBe(400);
    expect((await h.webhook(good.payload, null)).status).toBe(400);
    expect(await ledgerTransactions(order.id)).toBe(0);
    const [{ n }] = (await h.dataSource.query(
      `SELECT count(*)::int AS n FROM "commerce".webhook_events WHERE event_id = ANY($1)`,
      [[good.id, stale.id, foreign.id]],
    )) as [{ n: number }];
    expect(n).toBe(0);
    // Within the tolerance (299 s old) the genuine delivery is accepted.
    const recent = signedStripeEvent({
      type: 'payment_intent.succeeded',
      intent,
      secret: WEBHOOK_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 299,
    });
    expect((await h.webhook(recent.payload, recent.signature)).body['result']).toBe('APPLIED');
  });

  it('is out-of-order tolerant: a late payment_failed never undoes a payment; a success after a failure pays', async () => {
    const { order, intentId } = await pendingStripeOrder();
    const intent = h.stripe.intents.get(intentId)!;
    const failed = signedStripeEvent({
      type: 'payment_intent.payment_failed',
      intent: {
        ...intent,
        status: 'requires_payment_method',
        last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' },
      },
      secret: WEBHOOK_SECRET,
    });
    h.stripe.completeAuthentication(intentId);
    const succeeded = signedStripeEvent({
      type: 'payment_intent.succeeded',
      intent: h.stripe.intents.get(intentId)!,
      secret: WEBHOOK_SECRET,
    });
    expect((await h.webhook(failed.payload, failed.signature)).body['result']).toBe('APPLIED');
    let [row] = (await h.dataSource.query(
      `SELECT status, failure_code FROM "commerce".orders WHERE id = $1`,
      [order.id],
    )) as {
      status: string;
      failure_code: string;
    }[];
    expect(row).toEqual({ status: 'PAYMENT_FAILED', failure_code: 'insufficient_funds' });
    expect((await h.webhook(succeeded.payload, succeeded.signature)).body['result']).toBe('APPLIED');
    // The failure delivered again (a replay, a late retry) changes nothing.
    const lateFailure = signedStripeEvent({
      type: 'payment_intent.payment_failed',
      intent: { ...intent, status: 'requires_payment_method' },
      secret: WEBHOOK_SECRET,
    });
    expect((await h.webhook(lateFailure.payload, lateFailure.signature)).body['result']).toBe('IGNORED');
    [row] = (await h.dataSource.query(`SELECT status, failure_code FROM "commerce".orders WHERE id = $1`, [
      order.id,
    ])) as {
      status: string;
      failure_code: string;
    }[];
    expect(row).toEqual({ status: 'PAID', failure_code: null });
    expect(await ledgerTransactions(order.id)).toBe(1);
  });

  it('does not settle when the amount received differs from the order', async () => {
    const { order, intentId } = await pendingStripeOrder(5_000);
    const intent = { ...h.stripe.intents.get(intentId)!, status: 'succeeded', amount_received: 4_999 };
    const event = signedStripeEvent({ type: 'payment_intent.succeeded', intent, secret: WEBHOOK_SECRET });
    expect((await h.webhook(event.payload, event.signature)).body['result']).toBe('AMOUNT_MISMATCH');
    expect(await ledgerTransactions(order.id)).toBe(0);
  });

  it('confirms with a PaymentMethod synchronously; the later webhook is a no-op; declines come back as results', async () => {
    const buyer = await h.user();
    const paid = (
      await h.buy(buyer, [await h.product(instructor)], { provider: 'STRIPE', paymentMethod: 'pm_card_visa' })
    ).data!.checkout;
    expect(paid.order.status).toBe('PAID');
    const intent = [...h.stripe.intents.values()].find((i) => i.metadata['orderId'] === paid.order.id)!;
    const event = signedStripeEvent({ type: 'payment_intent.succeeded', intent, secret: WEBHOOK_SECRET });
    expect((await h.webhook(event.payload, event.signature)).body['result']).toBe('IGNORED');
    expect(await ledgerTransactions(paid.order.id)).toBe(1);

    const declined = (
      await h.buy(buyer, [await h.product(instructor)], {
        provider: 'STRIPE',
        paymentMethod: 'pm_card_chargeDeclined',
      })
    ).data!.checkout;
    expect(declined.order).toMatchObject({ status: 'PAYMENT_FAILED', failureCode: 'generic_decline' });
    // Retrying confirms the same PaymentIntent with a new key.
    const retry = await h.gql<{ payOrder: { order: { status: string } } }>(
      `mutation($input: PayOrderInput!) { payOrder(input: $input) { order { status } } }`,
      { input: { orderId: declined.order.id, paymentMethod: 'pm_card_visa' } },
      buyer,
    );
    expect(retry.data!.payOrder.order.status).toBe('PAID');
    const confirm = h.stripe.requests.filter((r) => r.path.endsWith('/confirm'));
    expect(confirm.at(-1)!.idempotencyKey).toBe(`order:${declined.order.id}:payment:2`);
    expect(
      codes(
        await h.buy(buyer, [await h.product(instructor)], {
          provider: 'STRIPE',
          paymentMethod: '4242424242424242',
        }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
  });

  it('refunds through Stripe with the key refund:<id>', async () => {
    const buyer = await h.user();
    const paid = (
      await h.buy(buyer, [await h.product(instructor, { amount: 3_000 })], {
        provider: 'STRIPE',
        paymentMethod: 'pm_card_visa',
      })
    ).data!.checkout;
    const refund = await h.gql<{
      refundOrder: { refund: { id: string; status: string; amount: { amount: number } } };
    }>(
      `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { refund { id status amount { amount } } } }`,
      { input: { orderId: paid.order.id, amount: 1_000 } },
      finance,
    );
    expect(refund.data!.refundOrder.refund).toMatchObject({ status: 'SUCCEEDED', amount: { amount: 1_000 } });
    const call = h.stripe.requests.filter((r) => r.path === '/v1/refunds').at(-1)!;
    expect(call.idempotencyKey).toBe(`refund:${refund.data!.refundOrder.refund.id}`);
    expect(call.params).toMatchObject({ amount: '1000' });
    expect(await h.unbalanced()).toEqual([]);
  });
});
