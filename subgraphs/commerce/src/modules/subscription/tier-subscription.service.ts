import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  DomainError,
  ForbiddenError,
  hasRole,
  NotFoundError,
  recordEvent,
  type Logger,
  type Viewer,
} from '@edugraph/kit';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { ProductUnavailableError } from '../../common/commerce.errors.js';
import { assertUuid } from '../../common/validation.js';
import { COMMERCE_SCHEMA, type ProviderName } from '../../environment.js';
import { ProductEntity } from '../catalog/product.entity.js';
import { OrderEntity } from '../order/order.entity.js';
import type { CheckoutResult, OrderService } from '../order/order.service.js';
import { assertCountry, assertRegion } from '../tax/tax.service.js';
import { PAST_DUE_GRACE_MS, periodEnd } from './billing-period.js';
import {
  LIVE_STATUSES,
  TierSubscriptionEntity,
  type TierSubscriptionStatus,
} from './tier-subscription.entity.js';

const C = '"commerce"';

export const SUBSCRIPTION_EVENTS = {
  activated: 'subscription.activated',
  renewed: 'subscription.renewed',
  pastDue: 'subscription.past_due',
  canceled: 'subscription.canceled',
  expired: 'subscription.expired',
} as const;

export type SubscribeInput = {
  productId: string;
  paymentMethod: string;
  billingCountry: string;
  billingRegion?: string | null;
  provider?: ProviderName | null;
};

export type SubscribeResult = { subscription: TierSubscriptionEntity; checkout: CheckoutResult | null };

/**
 * Subscriptions to community paywall tiers: INCOMPLETE → ACTIVE when the first period is paid (or
 * TRIALING first) → renewed each period by a charge of the stored payment method (one order per
 * period, unique) → PAST_DUE when a renewal fails (7 days of grace) → EXPIRED; canceled now or at the
 * period's end. Emits `subscription.activated|renewed|past_due|canceled|expired` through the outbox.
 */
export class TierSubscriptionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: OrderService,
    private readonly defaultProvider: ProviderName,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    orders.setSubscriptionHooks({
      onPaid: (manager, order) => this.onPeriodPaid(manager, order),
      onFailed: (manager, order) => this.onPeriodFailed(manager, order),
    });
  }

  async subscribe(viewer: Viewer, input: SubscribeInput): Promise<SubscribeResult> {
    const productId = assertUuid(input.productId, 'productId');
    const country = assertCountry(input.billingCountry);
    const region = assertRegion(input.billingRegion);
    const providerName = input.provider ?? this.defaultProvider;
    const paymentMethod = input.paymentMethod.trim();
    if (!paymentMethod)
      throw new BadUserInputError('A payment method is needed for renewals.', 'paymentMethod');
    this.orders.providerFor(providerName).assertPaymentMethod(paymentMethod);
    const created = await this.dataSource.transaction(async (manager) => {
      const product = await manager.getRepository(ProductEntity).findOneBy({ id: productId });
      if (!product || !product.active || product.kind !== 'COMMUNITY_TIER' || !product.billingInterval)
        throw new ProductUnavailableError(productId);
      const now = this.clock.now();
      const trial = product.trialDays > 0;
      const subscription = manager.getRepository(TierSubscriptionEntity).create({
        id: randomUUID(),
        userId: viewer.userId,
        productId,
        tierId: product.refId,
        sellerId: product.sellerId,
        billingInterval: product.billingInterval,
        status: trial ? 'TRIALING' : 'INCOMPLETE',
        currency: product.currency,
        priceMinor: product.priceMinor,
        provider: providerName,
        paymentMethod,
        billingCountry: country,
        billingRegion: region,
        periodsPaid: 0,
        trialEndsAt: trial ? new Date(now.getTime() + product.trialDays * 86_400_000) : null,
        currentPeriodStart: null,
        currentPeriodEnd: null,
        cancelAtPeriodEnd: false,
        canceledAt: null,
        endedAt: null,
        createdAt: now,
        updatedAt: now,
      });
      try {
        await manager.getRepository(TierSubscriptionEntity).insert(subscription);
      } catch (error) {
        if (error instanceof QueryFailedError && /uq_tier_subscriptions_live/.test(error.message))
          throw new DomainError('CONFLICT', 'You already have a subscription to this tier.');
        throw error;
      }
      if (trial) {
        await this.emit(manager, SUBSCRIPTION_EVENTS.activated, subscription, {
          accessUntil: subscription.trialEndsAt,
        });
        return { subscription, order: null };
      }
      const order = await this.orders.createOrder(manager, viewer.userId, [{ product, quantity: 1 }], {
        country,
        region,
        couponCode: null,
        providerName,
        subscription: { id: subscription.id, period: 1 },
      });
      return { subscription, order };
    });
    const checkout = created.order ? await this.orders.chargeOrder(created.order, paymentMethod) : null;
    const subscription = await this.dataSource
      .getRepository(TierSubscriptionEntity)
      .findOneByOrFail({ id: created.subscription.id });
    return { subscription, checkout };
  }

  /** Cancel now (access ends) or at the end of the paid period (access until then, no renewal). */
  async cancel(
    viewer: Viewer,
    input: { subscriptionId: string; atPeriodEnd: boolean },
  ): Promise<TierSubscriptionEntity> {
    const id = assertUuid(input.subscriptionId, 'subscriptionId');
    return this.dataSource.transaction(async (manager) => {
      const sub = await this.lock(manager, id);
      if (!sub) throw new NotFoundError('Subscription');
      if (sub.userId !== viewer.userId && !hasRole(viewer, 'ADMIN'))
        throw new ForbiddenError('This is not your subscription.');
      if (!LIVE_STATUSES.includes(sub.status))
        throw new DomainError('CONFLICT', `This subscription is already ${sub.status.toLowerCase()}.`);
      const now = this.clock.now();
      if (input.atPeriodEnd && sub.status === 'ACTIVE' && sub.currentPeriodEnd) {
        if (!sub.cancelAtPeriodEnd) {
          Object.assign(sub, { cancelAtPeriodEnd: true, canceledAt: now, updatedAt: now });
          await manager.getRepository(TierSubscriptionEntity).save(sub);
          await this.emit(manager, SUBSCRIPTION_EVENTS.canceled, sub, { accessUntil: sub.currentPeriodEnd });
        }
        return sub;
      }
      Object.assign(sub, { status: 'CANCELED', canceledAt: now, endedAt: now, updatedAt: now });
      await manager.getRepository(TierSubscriptionEntity).save(sub);
      // Its unpaid period order (first payment or a failed renewal) is canceled too.
      await manager.query(
        `UPDATE ${C}.orders SET status = 'CANCELED', updated_at = $2
         WHERE subscription_id = $1 AND status IN ('PENDING_PAYMENT', 'REQUIRES_ACTION', 'PAYMENT_FAILED')`,
        [sub.id, now],
      );
      await this.emit(manager, SUBSCRIPTION_EVENTS.canceled, sub, { accessUntil: now });
      return sub;
    });
  }

  /**
   * The lifecycle job: trials that ended and periods that ended are charged (one order per period),
   * canceled-at-period-end subscriptions and PAST_DUE ones past their grace expire. Returns how many
   * subscriptions it acted on. Safe to run concurrently (row locks, unique period orders).
   */
  async processDue(limit = 100): Promise<number> {
    const now = this.clock.now();
    const due: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM ${C}.tier_subscriptions
       WHERE (status = 'TRIALING' AND trial_ends_at <= $1)
          OR (status = 'ACTIVE' AND current_period_end <= $1)
          OR (status = 'PAST_DUE' AND current_period_end <= $2)
       ORDER BY updated_at LIMIT $3`,
      [now, new Date(now.getTime() - PAST_DUE_GRACE_MS), limit],
    );
    let acted = 0;
    for (const { id } of due) {
      try {
        if (await this.processOne(id)) acted += 1;
      } catch (error) {
        this.logger.warn({ err: error, subscriptionId: id }, 'subscription renewal failed, will retry');
      }
    }
    return acted;
  }

  private async processOne(id: string): Promise<boolean> {
    const charge = await this.dataSource.transaction(async (manager) => {
      const sub = await this.lock(manager, id);
      const now = this.clock.now();
      if (!sub) return null;
      const ended = sub.currentPeriodEnd !== null && sub.currentPeriodEnd <= now;
      if (
        sub.status === 'PAST_DUE' &&
        sub.currentPeriodEnd &&
        sub.currentPeriodEnd.getTime() + PAST_DUE_GRACE_MS <= now.getTime()
      )
        return this.end(manager, sub, 'EXPIRED', now).then(() => 'done' as const);
      if (sub.status === 'ACTIVE' && ended && sub.cancelAtPeriodEnd)
        return this.end(manager, sub, 'EXPIRED', now).then(() => 'done' as const);
      const trialOver = sub.status === 'TRIALING' && sub.trialEndsAt !== null && sub.trialEndsAt <= now;
      if (!trialOver && !(sub.status === 'ACTIVE' && ended)) return null;
      const period = sub.periodsPaid + 1;
      const existing = await manager
        .getRepository(OrderEntity)
        .findOneBy({ subscriptionId: sub.id, subscriptionPeriod: period });
      if (existing) return null; // already being charged (or failed: PAST_DUE handles it)
      const product = await manager.getRepository(ProductEntity).findOneByOrFail({ id: sub.productId });
      // Renewals keep the subscribed price (a repriced tier applies to new subscribers).
      const priced = Object.assign(new ProductEntity(), product, {
        priceMinor: sub.priceMinor,
        currency: sub.currency,
      });
      return this.orders.createOrder(manager, sub.userId, [{ product: priced, quantity: 1 }], {
        country: sub.billingCountry,
        region: sub.billingRegion,
        couponCode: null,
        providerName: sub.provider,
        subscription: { id: sub.id, period },
      });
    });
    if (charge === null) return false;
    if (charge === 'done') return true;
    const sub = await this.dataSource.getRepository(TierSubscriptionEntity).findOneByOrFail({ id });
    await this.orders.chargeOrder(charge, sub.paymentMethod);
    return true;
  }

  /** A period's order was paid (inside the settling transaction). */
  private async onPeriodPaid(manager: EntityManager, order: OrderEntity): Promise<void> {
    const sub = await this.lock(manager, order.subscriptionId!);
    if (!sub) return;
    if (!LIVE_STATUSES.includes(sub.status)) {
      this.logger.error(
        { subscriptionId: sub.id, orderId: order.id },
        'payment for an ended subscription: refund it',
      );
      return;
    }
    const now = this.clock.now();
    const first = sub.status === 'INCOMPLETE';
    const start = sub.currentPeriodEnd ?? sub.trialEndsAt ?? order.paidAt ?? now;
    Object.assign(sub, {
      status: 'ACTIVE',
      periodsPaid: Math.max(sub.periodsPaid, order.subscriptionPeriod ?? 0),
      currentPeriodStart: start,
      currentPeriodEnd: periodEnd(start, sub.billingInterval),
      updatedAt: now,
    });
    await manager.getRepository(TierSubscriptionEntity).save(sub);
    await this.emit(manager, first ? SUBSCRIPTION_EVENTS.activated : SUBSCRIPTION_EVENTS.renewed, sub, {
      accessUntil: sub.currentPeriodEnd,
      orderId: order.id,
    });
  }

  /** A period's charge failed: a renewal makes the subscription PAST_DUE (a first payment stays INCOMPLETE). */
  private async onPeriodFailed(manager: EntityManager, order: OrderEntity): Promise<void> {
    const sub = await this.lock(manager, order.subscriptionId!);
    if (!sub || (sub.status !== 'ACTIVE' && sub.status !== 'TRIALING')) return;
    const now = this.clock.now();
    Object.assign(sub, {
      status: 'PAST_DUE',
      // A trial that could not convert: the trial was the period, the grace runs from its end.
      currentPeriodStart: sub.currentPeriodStart ?? sub.createdAt,
      currentPeriodEnd: sub.currentPeriodEnd ?? sub.trialEndsAt,
      updatedAt: now,
    });
    await manager.getRepository(TierSubscriptionEntity).save(sub);
    await this.emit(manager, SUBSCRIPTION_EVENTS.pastDue, sub, { orderId: order.id });
  }

  private async end(
    manager: EntityManager,
    sub: TierSubscriptionEntity,
    status: TierSubscriptionStatus,
    now: Date,
  ) {
    Object.assign(sub, { status, endedAt: now, updatedAt: now });
    await manager.getRepository(TierSubscriptionEntity).save(sub);
    await manager.query(
      `UPDATE ${C}.orders SET status = 'CANCELED', updated_at = $2
       WHERE subscription_id = $1 AND status IN ('PENDING_PAYMENT', 'REQUIRES_ACTION', 'PAYMENT_FAILED')`,
      [sub.id, now],
    );
    await this.emit(manager, SUBSCRIPTION_EVENTS.expired, sub, {});
  }

  private lock(manager: EntityManager, id: string): Promise<TierSubscriptionEntity | null> {
    return manager
      .getRepository(TierSubscriptionEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  private async emit(
    manager: EntityManager,
    type: string,
    sub: TierSubscriptionEntity,
    extra: { accessUntil?: Date | null; orderId?: string },
  ): Promise<void> {
    await recordEvent(manager, COMMERCE_SCHEMA, {
      type,
      aggregateId: sub.id,
      payload: {
        subscriptionId: sub.id,
        userId: sub.userId,
        tierId: sub.tierId,
        status: sub.status,
        billingInterval: sub.billingInterval,
        accessUntil: extra.accessUntil === undefined ? null : (extra.accessUntil?.toISOString() ?? null),
        ...(extra.orderId ? { orderId: extra.orderId } : {}),
      },
    });
  }

  listForUser(userId: string): Promise<TierSubscriptionEntity[]> {
    return this.dataSource
      .getRepository(TierSubscriptionEntity)
      .find({ where: { userId }, order: { createdAt: 'DESC', id: 'DESC' }, take: 100 });
  }
}
