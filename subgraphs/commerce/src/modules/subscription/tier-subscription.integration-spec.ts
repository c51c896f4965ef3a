import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommerceHarness,
  type CommerceHarness,
  type TestUser,
} from '../../testing/commerce-harness.js';

const T0 = new Date('2026-01-31T10:00:00.000Z');
const DAY = 86_400_000;

const SUBSCRIBE = `mutation($input: SubscribeToTierInput!) { subscribeToTier(input: $input) {
  subscription { id status billingInterval price { amount currency } trialEndsAt currentPeriodStart currentPeriodEnd cancelAtPeriodEnd tier { id price { amount } } }
  order { id status total { amount } } payment { status } } }`;
const CANCEL = `mutation($input: CancelTierSubscriptionInput!) { cancelTierSubscription(input: $input) {
  subscription { id status cancelAtPeriodEnd endedAt currentPeriodEnd } } }`;

type Subscribed = {
  subscribeToTier: {
    subscription: {
      id: string;
      status: string;
      trialEndsAt: string | null;
      currentPeriodStart: string | null;
      currentPeriodEnd: string | null;
      cancelAtPeriodEnd: boolean;
      tier: { id: string; price: { amount: number } | null };
    };
    order: { id: string; status: string; total: { amount: number } } | null;
    payment: { status: string } | null;
  };
};

describe('tier subscriptions', () => {
  let h: CommerceHarness;
  let owner: TestUser;

  beforeAll(async () => {
    h = await createCommerceHarness('subscriptions', { now: T0 });
    owner = await h.user(['INSTRUCTOR']);
  });
  afterAll(async () => {
    await h?.close();
  });

  async function tier(options: { interval?: string; trialDays?: number; amount?: number } = {}) {
    const result = await h.gql<{ setProductPrice: { product: { id: string; refId: string } } }>(
      `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id refId } } }`,
      {
        input: {
          kind: 'COMMUNITY_TIER',
          refId: crypto.randomUUID(),
          title: 'Inner circle',
          amount: options.amount ?? 999,
          currency: 'USD',
          billingInterval: options.interval ?? 'MONTHLY',
          trialDays: options.trialDays ?? 0,
        },
      },
      owner,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.setProductPrice.product;
  }

  const subscribe = (as: TestUser, productId: string, paymentMethod = '4242424242424242') =>
    h.gql<Subscribed>(SUBSCRIBE, { input: { productId, paymentMethod, billingCountry: 'US' } }, as);

  async function state(id: string) {
    const [row] = (await h.dataSource.query(
      `SELECT status, periods_paid, current_period_start, current_period_end, cancel_at_period_end FROM "commerce".tier_subscriptions WHERE id = $1`,
      [id],
    )) as {
      status: string;
      periods_paid: number;
      current_period_start: Date | null;
      current_period_end: Date | null;
    }[];
    return row!;
  }
  const events = async (id: string) =>
    (await h.outbox()).filter((e) => e.aggregate_id === id).map((e) => [e.event_type, e.payload['status']]);
  const periodOrders = async (id: string) =>
    (await h.dataSource.query(
      `SELECT subscription_period AS period, status, total_minor::int AS total FROM "commerce".orders WHERE subscription_id = $1 ORDER BY subscription_period`,
      [id],
    )) as { period: number; status: string; total: number }[];

  it('charges the first period, activates, renews each period exactly once, and posts the 2.5 % commission', async () => {
    h.clock.set(T0);
    const product = await tier();
    const buyer = await h.user();
    const result = await subscribe(buyer, product.id);
    expect(result.errors).toBeUndefined();
    const { subscription, order, payment } = result.data!.subscribeToTier;
    expect(payment).toEqual({ status: 'SUCCEEDED' });
    expect(order).toMatchObject({ status: 'PAID', total: { amount: 999 } });
    expect(subscription).toMatchObject({
      status: 'ACTIVE',
      currentPeriodStart: T0.toISOString(),
      currentPeriodEnd: '2026-02-28T10:00:00.000Z',
      tier: { id: product.refId, price: { amount: 999 } },
    });
    const [line] = (await h.dataSource.query(
      `SELECT kind, commission_minor::int AS commission FROM "commerce".order_lines WHERE order_id = $1`,
      [order!.id],
    )) as { kind: string; commission: number }[];
    expect(line).toEqual({ kind: 'COMMUNITY_TIER', commission: 25 });
    expect(codes(await subscribe(buyer, product.id))).toEqual(['CONFLICT']);

    // Nothing is due before the period ends.
    h.clock.set(new Date('2026-02-28T09:59:59.000Z'));
    expect(await h.services.subscriptions.processDue()).toBe(0);
    // Period over: three job runs at once charge period 2 once.
    h.clock.set(new Date('2026-02-28T10:00:01.000Z'));
    await Promise.all([1, 2, 3].map(() => h.services.subscriptions.processDue()));
    expect(await periodOrders(subscription.id)).toEqual([
      { period: 1, status: 'PAID', total: 999 },
      { period: 2, status: 'PAID', total: 999 },
    ]);
    expect(await state(subscription.id)).toMatchObject({
      status: 'ACTIVE',
      periods_paid: 2,
      current_period_start: new Date('2026-02-28T10:00:00.000Z'),
      current_period_end: new Date('2026-03-28T10:00:00.000Z'),
    });
    expect(await events(subscription.id)).toEqual([
      ['subscription.activated', 'ACTIVE'],
      ['subscription.renewed', 'ACTIVE'],
    ]);
    expect((await h.outbox('order.paid')).filter((e) => e.payload['userId'] === buyer.id)).toHaveLength(2);
    expect(await h.unbalanced()).toEqual([]);
  });

  it('trials first, converts at the trial end, and a failing renewal goes PAST_DUE then EXPIRED after the grace', async () => {
    h.clock.set(T0);
    const product = await tier({ trialDays: 14 });
    const good = await h.user();
    const trial = (await subscribe(good, product.id)).data!.subscribeToTier;
    expect(trial).toMatchObject({
      order: null,
      payment: null,
      subscription: { status: 'TRIALING', trialEndsAt: new Date(T0.getTime() + 14 * DAY).toISOString() },
    });

    const bad = await h.user();
    const failing = (await subscribe(bad, product.id, '4000000000000002')).data!.subscribeToTier;
    expect(failing.subscription.status).toBe('TRIALING');

    h.clock.set(new Date(T0.getTime() + 14 * DAY + 1000));
    expect(await h.services.subscriptions.processDue()).toBe(2);
    expect(await state(trial.subscription.id)).toMatchObject({
      status: 'ACTIVE',
      current_period_start: new Date(T0.getTime() + 14 * DAY),
      current_period_end: new Date('2026-03-14T10:00:00.000Z'),
    });
    expect(await state(failing.subscription.id)).toMatchObject({ status: 'PAST_DUE' });
    expect(await periodOrders(failing.subscription.id)).toEqual([
      { period: 1, status: 'PAYMENT_FAILED', total: 999 },
    ]);

    // Within the 7-day grace nothing more happens; after it, the subscription expires.
    h.clock.set(new Date(T0.getTime() + 20 * DAY));
    await h.services.subscriptions.processDue();
    expect((await state(failing.subscription.id)).status).toBe('PAST_DUE');
    h.clock.set(new Date(T0.getTime() + 21 * DAY + 1000));
    await h.services.subscriptions.processDue();
    expect((await state(failing.subscription.id)).status).toBe('EXPIRED');
    expect(await periodOrders(failing.subscription.id)).toEqual([
      { period: 1, status: 'CANCELED', total: 999 },
    ]);
    expect(await events(failing.subscription.id)).toEqual([
      ['subscription.activated', 'TRIALING'],
      ['subscription.past_due', 'PAST_DUE'],
      ['subscription.expired', 'EXPIRED'],
    ]);
  });

  it('a PAST_DUE subscriber who pays the failed period is active again', async () => {
    h.clock.set(T0);
    const product = await tier({ trialDays: 3 });
    const buyer = await h.user();
    const sub = (await subscribe(buyer, product.id, '4000000000000002')).data!.subscribeToTier.subscription;
    h.clock.set(new Date(T0.getTime() + 3 * DAY + 1));
    await h.services.subscriptions.processDue();
    const [failed] = await periodOrders(sub.id);
    expect(failed!.status).toBe('PAYMENT_FAILED');
    const orderId = (
      (await h.dataSource.query(`SELECT id FROM "commerce".orders WHERE subscription_id = $1`, [sub.id])) as {
        id: string;
      }[]
    )[0]!.id;
    const paid = await h.gql<{ payOrder: { order: { status: string } } }>(
      `mutation($input: PayOrderInput!) { payOrder(input: $input) { order { status } } }`,
      { input: { orderId, paymentMethod: '4242424242424242' } },
      buyer,
    );
    expect(paid.data!.payOrder.order.status).toBe('PAID');
    expect(await state(sub.id)).toMatchObject({
      status: 'ACTIVE',
      periods_paid: 1,
      current_period_end: new Date('2026-03-03T10:00:00.000Z'),
    });
  });

  it('cancels at period end (access kept, no renewal, then EXPIRED) or now', async () => {
    h.clock.set(T0);
    const product = await tier({ interval: 'QUARTERLY' });
    const buyer = await h.user();
    const sub = (await subscribe(buyer, product.id)).data!.subscribeToTier.subscription;
    expect(sub.currentPeriodEnd).toBe('2026-04-30T10:00:00.000Z');
    const stranger = await h.user();
    expect(
      codes(await h.gql(CANCEL, { input: { subscriptionId: sub.id, atPeriodEnd: true } }, stranger)),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(await h.gql(CANCEL, { input: { subscriptionId: sub.id, atPeriodEnd: true } }, null)),
    ).toEqual(['UNAUTHENTICATED']);
    const later = await h.gql<{
      cancelTierSubscription: { subscription: { status: string; cancelAtPeriodEnd: boolean } };
    }>(CANCEL, { input: { subscriptionId: sub.id, atPeriodEnd: true } }, buyer);
    expect(later.data!.cancelTierSubscription.subscription).toMatchObject({
      status: 'ACTIVE',
      cancelAtPeriodEnd: true,
    });
    h.clock.set(new Date('2026-04-30T10:00:01.000Z'));
    await h.services.subscriptions.processDue();
    expect((await state(sub.id)).status).toBe('EXPIRED');
    expect(await periodOrders(sub.id)).toHaveLength(1);
    expect((await events(sub.id)).map((e) => e[0])).toEqual([
      'subscription.activated',
      'subscription.canceled',
      'subscription.expired',
    ]);

    h.clock.set(T0);
    const other = await h.user();
    const now = (await subscribe(other, product.id)).data!.subscribeToTier.subscription;
    const canceled = await h.gql<{
      cancelTierSubscription: { subscription: { status: string; endedAt: string } };
    }>(CANCEL, { input: { subscriptionId: now.id, atPeriodEnd: false } }, other);
    expect(canceled.data!.cancelTierSubscription.subscription).toEqual({
      id: now.id,
      status: 'CANCELED',
      cancelAtPeriodEnd: false,
      endedAt: T0.toISOString(),
      currentPeriodEnd: '2026-04-30T10:00:00.000Z',
    });
    expect(
      codes(await h.gql(CANCEL, { input: { subscriptionId: now.id, atPeriodEnd: false } }, other)),
    ).toEqual(['CONFLICT']);
    // Resubscribing after a cancellation is allowed.
    expect((await subscribe(other, product.id)).data!.subscribeToTier.subscription.status).toBe('ACTIVE');
  });

  it('a lifetime tier is paid once and never renews', async () => {
    h.clock.set(T0);
    const product = await tier({ interval: 'LIFETIME', amount: 25_000 });
    const buyer = await h.user();
    const sub = (await subscribe(buyer, product.id)).data!.subscribeToTier.subscription;
    expect(sub).toMatchObject({ status: 'ACTIVE', currentPeriodEnd: null });
    h.clock.set(new Date('2030-01-01T00:00:00Z'));
    await h.services.subscriptions.processDue();
    expect(await periodOrders(sub.id)).toEqual([{ period: 1, status: 'PAID', total: 25_000 }]);
  });

  it('validates tier terms and keeps tiers out of the cart', async () => {
    const setPrice = (input: Record<string, unknown>) =>
      h.gql(
        `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
        { input: { refId: crypto.randomUUID(), title: 't', amount: 500, currency: 'USD', ...input } },
        owner,
      );
    expect(
      codes(await setPrice({ kind: 'COMMUNITY_TIER', billingInterval: 'LIFETIME', trialDays: 7 })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(codes(await setPrice({ kind: 'COMMUNITY_TIER', trialDays: 91 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await setPrice({ kind: 'COURSE', billingInterval: 'MONTHLY' }))).toEqual(['BAD_USER_INPUT']);
    const course = await h.product(owner);
    const buyer = await h.user();
    expect(codes(await subscribe(buyer, course))).toEqual(['PRODUCT_UNAVAILABLE']);
    expect(codes(await subscribe(buyer, (await tier()).id, 'not-a-card'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.buy(buyer, [(await tier()).id]))).toEqual(['PRODUCT_UNAVAILABLE']);
    expect(
      codes(
        await h.gql(
          SUBSCRIBE,
          { input: { productId: course, paymentMethod: '4242424242424242', billingCountry: 'US' } },
          null,
        ),
      ),
    ).toEqual(['UNAUTHENTICATED']);
  });
});
