import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../testing/commerce-harness.js';
import { fromPayPalValue, toPayPalValue } from './paypal-provider.js';

const CONFIRM = `mutation($input: OrderIdInput!) { confirmOrderPayment(input: $input) { order { id status failureCode } payment { status } } }`;

describe('PayPal (Orders v2 + capture) against a local stand-in, with verified webhooks', () => {
  let h: CommerceHarness;
  let instructor: TestUser;
  let finance: TestUser;

  beforeAll(async () => {
    h = await createCommerceHarness('paypal');
    [instructor, finance] = await Promise.all([h.user(['INSTRUCTOR']), h.user(['FINANCE'])]);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function paypalOrder(amount = 12_345) {
    const buyer = await h.user();
    const result = await h.buy(buyer, [await h.product(instructor, { amount })], {
      provider: 'PAYPAL',
      paymentMethod: null,
    });
    expect(result.errors).toBeUndefined();
    const order = result.data!.checkout.order;
    const paypalId = [...h.paypal.orders.values()].find(
      (o) => o.purchase_units[0]!.custom_id === order.id,
    )!.id;
    return {
      buyer,
      order,
      paypalId,
      payment: result.data!.checkout.payment as { status: string; redirectUrl?: string },
    };
  }

  const ledgerTransactions = async (orderId: string) =>
    (
      (await h.dataSource.query(`SELECT id FROM "commerce".ledger_transactions WHERE order_id = $1`, [
        orderId,
      ])) as unknown[]
    ).length;

  it('converts minor units to PayPal amounts exactly', () => {
    expect(toPayPalValue(5, 'USD')).toBe('0.05');
    expect(toPayPalValue(12_345, 'EUR')).toBe('123.45');
    expect(toPayPalValue(1_500, 'JPY')).toBe('1500');
    expect(fromPayPalValue('0.05', 'USD')).toBe(5);
    expect(fromPayPalValue('12.3', 'USD')).toBe(1_230);
    expect(fromPayPalValue('1500', 'JPY')).toBe(1_500);
    expect(fromPayPalValue('1.234', 'USD')).toBeNull();
    expect(fromPayPalValue('15.5', 'JPY')).toBeNull();
    expect(fromPayPalValue('-1.00', 'USD')).toBeNull();
  });

  it('creates a PayPal order (idempotency key from the order), then captures once the buyer approved', async () => {
    const { buyer, order, paypalId } = await paypalOrder();
    expect(order.status).toBe('REQUIRES_ACTION');
    const created = h.paypal.requests.find(
      (r) => r.path === '/v2/checkout/orders' && r.method === 'POST' && h.paypal.orders.get(paypalId),
    )!;
    expect(created.requestId).toBe(`order:${order.id}:payment:1`);
    expect(h.paypal.orders.get(paypalId)!.purchase_units[0]!.amount).toEqual({
      currency_code: 'USD',
      value: '123.45',
    });

    // Not approved yet: still waiting for the buyer.
    const early = await h.gql<{ confirmOrderPayment: { order: { status: string } } }>(
      CONFIRM,
      { input: { orderId: order.id } },
      buyer,
    );
    expect(early.data!.confirmOrderPayment.order.status).toBe('REQUIRES_ACTION');
    h.paypal.approve(paypalId);
    const [a, b] = await Promise.all([
      h.gql<{ confirmOrderPayment: { order: { status: string } } }>(
        CONFIRM,
        { input: { orderId: order.id } },
        buyer,
      ),
      h.gql<{ confirmOrderPayment: { order: { status: string } } }>(
        CONFIRM,
        { input: { orderId: order.id } },
        buyer,
      ),
    ]);
    expect([a, b].map((r) => r.data?.confirmOrderPayment.order.status ?? codes(r)[0])).toContain('PAID');
    expect(await ledgerTransactions(order.id)).toBe(1);
    const captures = h.paypal.requests.filter((r) => r.path.endsWith('/capture'));
    expect(new Set(captures.map((r) => r.requestId))).toEqual(new Set([`paypal:${paypalId}:capture`]));
    expect(codes(await h.gql(CONFIRM, { input: { orderId: order.id } }, buyer))).toEqual([
      'ORDER_NOT_PAYABLE',
    ]);
  });

  it('answers the approval link to the buyer', async () => {
    const buyer = await h.user();
    await h.gql(
      `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
      {
        input: { productId: await h.product(instructor) },
      },
      buyer,
    );
    const result = await h.gql<{ checkout: { payment: { status: string; redirectUrl: string } } }>(
      `mutation($input: CheckoutInput!) { checkout(input: $input) { payment { status redirectUrl } } }`,
      { input: { billingCountry: 'US', provider: 'PAYPAL' } },
      buyer,
    );
    expect(result.data!.checkout.payment).toEqual({
      status: 'REQUIRES_ACTION',
      redirectUrl: expect.stringMatching(new RegExp(`^${h.paypal.url}/checkoutnow\\?token=[0-9A-F]{16}$`)),
    });
  });

  it('a declined capture leaves the order PAYMENT_FAILED', async () => {
    const { buyer, order, paypalId } = await paypalOrder();
    h.paypal.approve(paypalId);
    h.paypal.declined.add(paypalId);
    const result = await h.gql<{ confirmOrderPayment: { order: { status: string; failureCode: string } } }>(
      CONFIRM,
      { input: { orderId: order.id } },
      buyer,
    );
    expect(result.data!.confirmOrderPayment.order).toMatchObject({
      status: 'PAYMENT_FAILED',
      failureCode: 'instrument_declined',
    });
  });

  function captureEvent(orderId: string, paypalId: string, value: string, id = `WH-${crypto.randomUUID()}`) {
    return {
      id,
      event_type: 'PAYMENT.CAPTURE.COMPLETED',
      resource: {
        id: 'CAPTURE1',
        status: 'COMPLETED',
        custom_id: orderId,
        amount: { currency_code: 'USD', value },
        supplementary_data: { related_ids: { order_id: paypalId } },
      },
    };
  }

  it('settles from a verified PAYMENT.CAPTURE.COMPLETED (client-side capture) once, however often it is delivered', async () => {
    const { order, paypalId } = await paypalOrder(10_000);
    const delivery = h.paypal.sign(captureEvent(order.id, paypalId, '100.00'));
    const results = await Promise.all([1, 2, 3].map(() => h.paypalWebhook(delivery.body, delivery.headers)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body['result']).sort()).toEqual(['APPLIED', 'DUPLICATE', 'DUPLICATE']);
    expect(await ledgerTransactions(order.id)).toBe(1);
  });

  it('refunds a captured PayPal order with the key refund:<id>', async () => {
    const { buyer, order, paypalId } = await paypalOrder(8_000);
    h.paypal.approve(paypalId);
    await h.gql(CONFIRM, { input: { orderId: order.id } }, buyer);
    const refund = await h.gql<{ refundOrder: { refund: { id: string; status: string } } }>(
      `mutation($input: RefundOrderInput!) { refundOrder(input: $input) { refund { id status } } }`,
      { input: { orderId: order.id, amount: 2_500 } },
      finance,
    );
    expect(refund.data!.refundOrder.refund.status).toBe('SUCCEEDED');
    const call = h.paypal.requests.filter((r) => r.path.endsWith('/refund')).at(-1)!;
    expect(call.requestId).toBe(`refund:${refund.data!.refundOrder.refund.id}`);
    expect(await h.unbalanced()).toEqual([]);
  });

  it('rejects tampered, stale, foreign and unsigned deliveries with 400 and changes nothing', async () => {
    const { order, paypalId } = await paypalOrder(10_000);
    const good = h.paypal.sign(captureEvent(order.id, paypalId, '100.00'));
    const tampered = good.body.replace('"100.00"', '"1.00"');
    expect(tampered).not.toBe(good.body);
    expect((await h.paypalWebhook(tampered, good.headers)).status).toBe(400);
    const stale = h.paypal.sign(captureEvent(order.id, paypalId, '100.00'), {
      transmissionTime: new Date(Date.now() - 301_000),
    });
    expect((await h.paypalWebhook(stale.body, stale.headers)).status).toBe(400);
    const foreign = h.paypal.sign(captureEvent(order.id, paypalId, '100.00'), {
      webhookId: 'WH-SOMEONE-ELSE',
    });
    expect((await h.paypalWebhook(foreign.body, foreign.headers)).status).toBe(400);
    const { ['paypal-transmission-sig']: _sig, ...unsigned } = good.headers;
    expect((await h.paypalWebhook(good.body, unsigned)).status).toBe(400);
    expect(await ledgerTransactions(order.id)).toBe(0);
    // A wrong amount, genuinely signed, is recorded but never settles.
    const short = h.paypal.sign(captureEvent(order.id, paypalId, '99.99'));
    expect((await h.paypalWebhook(short.body, short.headers)).body['result']).toBe('AMOUNT_MISMATCH');
    expect((await h.paypalWebhook(good.body, good.headers)).body['result']).toBe('APPLIED');
  });

  it('takes no payment method for PayPal', async () => {
    const buyer = await h.user();
    expect(
      codes(
        await h.buy(buyer, [await h.product(instructor)], {
          provider: 'PAYPAL',
          paymentMethod: '4242424242424242',
        }),
      ),
    ).toEqual(['BAD_USER_INPUT']);
  });
});
