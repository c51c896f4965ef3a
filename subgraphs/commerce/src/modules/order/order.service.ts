import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ForbiddenError,
  hasRole,
  NotFoundError,
  paginate,
  type Connection,
  type ConnectionArgs,
  type Logger,
  type Viewer,
} from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  CartEmptyError,
  CurrencyMismatchError,
  OrderNotPayableError,
  PaymentProviderError,
  ProductUnavailableError,
  ProviderUnavailableError,
} from '../../common/commerce.errors.js';
import { assertUuid } from '../../common/validation.js';
import type { ProviderName } from '../../environment.js';
import { divideRounded, priceOrder } from '../../money/money.js';
import {
  ProviderCallError,
  type PaymentProvider,
  type PaymentResult,
} from '../../providers/payment-provider.js';
import { ProductEntity, type ProductKind } from '../catalog/product.entity.js';
import type { CouponService } from '../coupon/coupon.service.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { assertCountry, assertRegion, type TaxService } from '../tax/tax.service.js';
import { recordOrderPaid } from './order-events.js';
import { OrderEntity, OrderLineEntity, PAID_STATUSES, type OrderStatus } from './order.entity.js';

const C = '"commerce"';

export type CheckoutInput = {
  billingCountry: string;
  billingRegion?: string | null;
  couponCode?: string | null;
  referralCode?: string | null;
  provider?: ProviderName | null;
  paymentMethod?: string | null;
};

export type PaymentOutcome = {
  provider: string;
  status: PaymentResult['status'];
  clientSecret: string | null;
  redirectUrl: string | null;
  failureCode: string | null;
};

export type CheckoutResult = { order: OrderEntity; payment: PaymentOutcome };

/** A provider's statement about a payment: a webhook event, or the answer to our own call. */
export type PaymentEvent = {
  provider: ProviderName;
  /** Unique per provider event: deduplicated (kept ≥ 3 days). Our own calls use `sync:<payment>:<status>`. */
  eventId: string;
  eventType: string;
  outcome: 'SUCCEEDED' | 'FAILED' | 'REQUIRES_ACTION' | 'IGNORED';
  paymentId: string;
  orderId: string | null;
  amountMinor: number | null;
  currency: string | null;
  failureCode: string | null;
};

/** Called inside the settling transaction for orders that pay a tier subscription's period. */
export type SubscriptionHooks = {
  onPaid(manager: EntityManager, order: OrderEntity): Promise<void>;
  onFailed(manager: EntityManager, order: OrderEntity): Promise<void>;
};

export type PaymentEventResult = 'APPLIED' | 'DUPLICATE' | 'IGNORED' | 'UNKNOWN_ORDER' | 'AMOUNT_MISMATCH';

export const MAX_ORDER_MINOR = 2_147_483_647;

const PAYABLE: readonly OrderStatus[] = ['PENDING_PAYMENT', 'REQUIRES_ACTION', 'PAYMENT_FAILED'];

/**
 * Orders: checkout turns the cart into an order (prices, coupon, tax computed once and frozen), then
 * asks the provider for the money. Whatever says a payment succeeded — our own call's answer, a webhook,
 * a replay — goes through `applyPaymentEvent`, which settles an order exactly once: order row locked,
 * event id deduplicated, ledger sale posted under a unique key, `order.paid` recorded in the outbox, all
 * in one database transaction.
 */
export class OrderService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly providers: ReadonlyMap<string, PaymentProvider>,
    private readonly defaultProvider: ProviderName,
    private readonly commissionBps: Record<ProductKind, number>,
    private readonly affiliateShareBps: number,
    private readonly coupons: CouponService,
    private readonly taxes: TaxService,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  private hooks: SubscriptionHooks | null = null;

  /** Tier subscriptions hear about their periods' payments (set once at wiring time). */
  setSubscriptionHooks(hooks: SubscriptionHooks): void {
    this.hooks = hooks;
  }

  providerFor(name: string): PaymentProvider {
    return this.provider(name);
  }

  private provider(name: string): PaymentProvider {
    const provider = this.providers.get(name);
    if (!provider) throw new ProviderUnavailableError(name);
    return provider;
  }

  async checkout(viewer: Viewer, input: CheckoutInput): Promise<CheckoutResult> {
    const country = assertCountry(input.billingCountry);
    const region = assertRegion(input.billingRegion);
    const providerName = input.provider ?? this.defaultProvider;
    const provider = this.provider(providerName);
    provider.assertPaymentMethod(input.paymentMethod ?? null);
    const order = await this.dataSource.transaction(async (manager) => {
      // Lock the buyer's cart rows: a double-submitted checkout finds the cart consumed.
      const items: { product_id: string; quantity: number }[] = await manager.query(
        `SELECT product_id, quantity FROM ${C}.cart_items WHERE user_id = $1 ORDER BY added_at, product_id FOR UPDATE`,
        [viewer.userId],
      );
      if (items.length === 0) throw new CartEmptyError();
      const products = await manager
        .getRepository(ProductEntity)
        .findBy({ id: In(items.map((item) => item.product_id)) });
      const byId = new Map(products.map((product) => [product.id, product]));
      const lines = items.map((item) => {
        const product = byId.get(item.product_id);
        if (!product || !product.active) throw new ProductUnavailableError(item.product_id);
        // A tier is subscribed to (subscribeToTier), not bought from the cart.
        if (product.kind === 'COMMUNITY_TIER') throw new ProductUnavailableError(item.product_id);
        return { product, quantity: item.quantity };
      });
      const affiliateId = input.referralCode
        ? await this.affiliateFor(manager, input.referralCode, viewer.userId)
        : null;
      const created = await this.createOrder(manager, viewer.userId, lines, {
        country,
        region,
        couponCode: input.couponCode ?? null,
        providerName,
        subscription: null,
        affiliateId,
      });
      await manager.query(`DELETE FROM ${C}.cart_items WHERE user_id = $1 AND product_id = ANY($2::uuid[])`, [
        viewer.userId,
        lines.map((l) => l.product.id),
      ]);
      return created;
    });
    return this.chargeOrder(order, input.paymentMethod ?? null);
  }

  /**
   * Creates an order for lines (prices frozen, coupon redeemed, tax computed) in the caller's
   * transaction; a free order is settled at once. `subscription` links a tier subscription's period.
   */
  async createOrder(
    manager: EntityManager,
    buyerId: string,
    lines: { product: ProductEntity; quantity: number }[],
    options: {
      country: string;
      region: string | null;
      couponCode: string | null;
      providerName: string;
      subscription: { id: string; period: number } | null;
      affiliateId?: string | null;
    },
  ): Promise<OrderEntity> {
    const orderId = randomUUID();
    const currency = lines[0]!.product.currency;
    for (const l of lines)
      if (l.product.currency !== currency) throw new CurrencyMismatchError(currency, l.product.currency);
    const tax = await this.taxes.rateFor(manager, options.country, options.region);
    const now = this.clock.now();
    // The order row exists before the redemption that references it (same transaction).
    await manager.query(
      `INSERT INTO ${C}.orders (id, buyer_id, status, currency, subtotal_minor, discount_minor, tax_minor, total_minor,
         tax_inclusive, tax_rate_bps, tax_country, tax_region, provider, subscription_id, subscription_period,
         created_at, updated_at)
       VALUES ($1, $2, 'PENDING_PAYMENT', $3, 1, 0, 0, 1, false, 0, $4, $5, $6, $7, $8, $9, $9)`,
      [
        orderId,
        buyerId,
        currency,
        options.country,
        options.region,
        options.providerName,
        options.subscription?.id ?? null,
        options.subscription?.period ?? null,
        now,
      ],
    );
    const coupon = options.couponCode
      ? await this.coupons.redeem(manager, { code: options.couponCode, userId: buyerId, orderId, currency })
      : null;
    const priced = priceOrder(
      lines.map((l) => ({
        unitPriceMinor: l.product.priceMinor,
        quantity: l.quantity,
        commissionBps: this.commissionBps[l.product.kind],
      })),
      coupon?.terms ?? null,
      tax,
    );
    // Money.amount is a GraphQL Int: one order stays within 32 bits (split bigger purchases).
    if (priced.subtotalMinor > MAX_ORDER_MINOR || priced.totalMinor > MAX_ORDER_MINOR)
      throw new BadUserInputError(`An order is at most ${MAX_ORDER_MINOR} minor units; split it.`, 'cart');
    const free = priced.totalMinor === 0;
    await manager.query(
      `UPDATE ${C}.orders SET subtotal_minor = $2, discount_minor = $3, tax_minor = $4, total_minor = $5,
         tax_inclusive = $6, tax_rate_bps = $7, coupon_id = $8, provider = $9, affiliate_id = $10 WHERE id = $1`,
      [
        orderId,
        priced.subtotalMinor,
        priced.discountMinor,
        priced.taxMinor,
        priced.totalMinor,
        tax.inclusive,
        tax.rateBps,
        coupon?.couponId ?? null,
        free ? 'NONE' : options.providerName,
        options.affiliateId ?? null,
      ],
    );
    const lineRows = lines.map((l, i) => {
      const p = priced.lines[i]!;
      return manager.getRepository(OrderLineEntity).create({
        id: randomUUID(),
        orderId,
        position: i + 1,
        productId: l.product.id,
        kind: l.product.kind,
        refId: l.product.refId,
        sellerId: l.product.sellerId,
        title: l.product.title,
        unitPriceMinor: l.product.priceMinor,
        quantity: l.quantity,
        subtotalMinor: p.subtotalMinor,
        discountMinor: p.discountMinor,
        taxMinor: p.taxMinor,
        totalMinor: p.totalMinor,
        commissionBps: this.commissionBps[l.product.kind],
        commissionMinor: p.commissionMinor,
        affiliateMinor: options.affiliateId
          ? Number(divideRounded(BigInt(p.commissionMinor) * BigInt(this.affiliateShareBps), 10_000n))
          : 0,
        createdAt: now,
      });
    });
    await manager.getRepository(OrderLineEntity).insert(lineRows);
    if (free) {
      const created = await manager.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
      await this.settle(manager, created, null);
    }
    return manager.getRepository(OrderEntity).findOneByOrFail({ id: orderId });
  }

  /** The affiliate behind a referral code (nobody refers themself). */
  private async affiliateFor(manager: EntityManager, code: string, buyerId: string): Promise<string> {
    const rows: { id: string; user_id: string }[] = await manager.query(
      `SELECT id, user_id FROM ${C}.affiliates WHERE code = $1`,
      [code.trim().toUpperCase()],
    );
    const affiliate = rows[0];
    if (!affiliate) throw new BadUserInputError('Unknown referral code.', 'referralCode');
    if (affiliate.user_id === buyerId)
      throw new BadUserInputError('You cannot use your own referral code.', 'referralCode');
    return affiliate.id;
  }

  /** Charges a new order with its provider (settled orders are returned as they are). */
  async chargeOrder(order: OrderEntity, paymentMethod: string | null): Promise<CheckoutResult> {
    if (order.status === 'PAID')
      return {
        order,
        payment: {
          provider: 'NONE',
          status: 'SUCCEEDED',
          clientSecret: null,
          redirectUrl: null,
          failureCode: null,
        },
      };
    return this.attemptPayment(order, this.provider(order.provider), paymentMethod);
  }

  /** Pays an order whose last attempt failed (new attempt, new idempotency key). */
  async payOrder(
    viewer: Viewer,
    input: { orderId: string; paymentMethod?: string | null },
  ): Promise<CheckoutResult> {
    const orderId = assertUuid(input.orderId, 'orderId');
    const order = await this.dataSource.transaction(async (manager) => {
      const current = await this.lockOwnOrder(manager, viewer, orderId);
      this.provider(current.provider).assertPaymentMethod(input.paymentMethod ?? null);
      if (current.status !== 'PAYMENT_FAILED') throw new OrderNotPayableError(current.status);
      current.status = 'PENDING_PAYMENT';
      current.updatedAt = this.clock.now();
      await manager.query(
        `UPDATE ${C}.orders SET status = 'PENDING_PAYMENT', updated_at = $2 WHERE id = $1`,
        [orderId, current.updatedAt],
      );
      return current;
    });
    return this.attemptPayment(order, this.provider(order.provider), input.paymentMethod ?? null);
  }

  /** After the buyer completed 3-D Secure: asks the provider where the payment stands and applies it. */
  async confirmPayment(viewer: Viewer, orderId: string): Promise<CheckoutResult> {
    const id = assertUuid(orderId, 'orderId');
    const order = await this.requireOwnOrder(viewer, id);
    if (order.status !== 'REQUIRES_ACTION' || !order.providerPaymentId)
      throw new OrderNotPayableError(order.status);
    const provider = this.provider(order.provider);
    let result: PaymentResult;
    try {
      result = await provider.confirmPayment({
        paymentId: order.providerPaymentId,
        idempotencyKey: `order:${order.id}:confirm:${order.paymentAttempts}`,
      });
    } catch (error) {
      throw this.providerFailure(error, provider.name);
    }
    return this.applyOwnResult(order, provider, result);
  }

  /** The buyer gives up an unpaid order; its coupon redemption is released. */
  async cancel(viewer: Viewer, orderId: string): Promise<OrderEntity> {
    const id = assertUuid(orderId, 'orderId');
    return this.dataSource.transaction(async (manager) => {
      const order = await this.lockOwnOrder(manager, viewer, id);
      if (!PAYABLE.includes(order.status)) throw new OrderNotPayableError(order.status);
      order.status = 'CANCELED';
      order.updatedAt = this.clock.now();
      await manager.query(`UPDATE ${C}.orders SET status = 'CANCELED', updated_at = $2 WHERE id = $1`, [
        id,
        order.updatedAt,
      ]);
      await this.coupons.release(manager, id);
      return order;
    });
  }

  private async attemptPayment(
    order: OrderEntity,
    provider: PaymentProvider,
    paymentMethod: string | null,
  ): Promise<CheckoutResult> {
    const attempt = await this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE ${C}.orders SET payment_attempts = payment_attempts + 1 WHERE id = $1 RETURNING payment_attempts`,
        [order.id],
      )) as [{ payment_attempts: number }[], number];
      return rows[0]!.payment_attempts;
    });
    let result: PaymentResult;
    try {
      result = await provider.createPayment({
        orderId: order.id,
        amountMinor: order.totalMinor,
        currency: order.currency,
        paymentMethod,
        existingPaymentId: provider.name === 'STRIPE' ? order.providerPaymentId : null,
        idempotencyKey: `order:${order.id}:payment:${attempt}`,
      });
    } catch (error) {
      // Unknown outcome: leave the order pending; a webhook (or the next attempt) settles it.
      throw this.providerFailure(error, provider.name);
    }
    return this.applyOwnResult({ ...order, paymentAttempts: attempt }, provider, result);
  }

  private providerFailure(error: unknown, provider: string): Error {
    if (error instanceof ProviderCallError) {
      this.logger.warn({ err: error, provider }, 'payment provider call failed');
      return new PaymentProviderError(provider);
    }
    return error instanceof Error ? error : new Error(String(error));
  }

  private async applyOwnResult(
    order: OrderEntity,
    provider: PaymentProvider,
    result: PaymentResult,
  ): Promise<CheckoutResult> {
    await this.applyPaymentEvent({
      provider: provider.name,
      eventId: `sync:${result.paymentId}:${order.paymentAttempts}:${result.status}`,
      eventType: `sync.${result.status.toLowerCase()}`,
      outcome:
        result.status === 'SUCCEEDED' || result.status === 'FAILED' || result.status === 'REQUIRES_ACTION'
          ? result.status
          : 'IGNORED',
      paymentId: result.paymentId,
      orderId: order.id,
      amountMinor: result.amountReceivedMinor,
      currency: order.currency,
      failureCode: result.failureCode,
    });
    const fresh = await this.dataSource.getRepository(OrderEntity).findOneByOrFail({ id: order.id });
    return {
      order: fresh,
      payment: {
        provider: provider.name,
        status: result.status,
        clientSecret: result.clientSecret,
        redirectUrl: result.redirectUrl ?? null,
        failureCode: result.failureCode,
      },
    };
  }

  /**
   * Applies a provider's statement exactly once. Deduplicated by (provider, event id) in the same
   * transaction as its effect: a concurrent duplicate waits on the first's insert and then does nothing.
   * Out of order is fine: a failure never undoes a payment, a success settles from any unpaid state.
   */
  async applyPaymentEvent(event: PaymentEvent): Promise<PaymentEventResult> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = (await manager.query(
        `INSERT INTO ${C}.webhook_events (provider, event_id, event_type) VALUES ($1, $2, $3)
         ON CONFLICT ON CONSTRAINT pk_webhook_events DO NOTHING RETURNING event_id`,
        [event.provider, event.eventId, event.eventType],
      )) as unknown[];
      if (inserted.length === 0) return 'DUPLICATE';
      if (event.outcome === 'IGNORED') return 'IGNORED';
      const order = await this.lockOrderForPayment(manager, event);
      if (!order) {
        this.logger.warn({ event }, 'payment event for an unknown order');
        return 'UNKNOWN_ORDER';
      }
      if (PAID_STATUSES.includes(order.status)) return 'IGNORED';
      const now = this.clock.now();
      if (event.outcome === 'SUCCEEDED') {
        if (
          (event.amountMinor !== null && event.amountMinor !== order.totalMinor) ||
          (event.currency !== null && event.currency.toUpperCase() !== order.currency)
        ) {
          this.logger.error(
            { event, orderId: order.id, total: order.totalMinor },
            'paid amount differs from the order',
          );
          return 'AMOUNT_MISMATCH';
        }
        await this.settle(manager, order, event.paymentId);
        return 'APPLIED';
      }
      if (order.status === 'CANCELED') return 'IGNORED';
      const status: OrderStatus = event.outcome === 'FAILED' ? 'PAYMENT_FAILED' : 'REQUIRES_ACTION';
      if (status === 'REQUIRES_ACTION' && order.status === 'PAYMENT_FAILED') return 'IGNORED';
      await manager.query(
        `UPDATE ${C}.orders SET status = $2, failure_code = $3, provider_payment_id = $4, updated_at = $5 WHERE id = $1`,
        [
          order.id,
          status,
          event.outcome === 'FAILED' ? (event.failureCode ?? 'payment_failed') : null,
          event.paymentId,
          now,
        ],
      );
      if (status === 'PAYMENT_FAILED' && order.subscriptionId) await this.hooks?.onFailed(manager, order);
      return 'APPLIED';
    });
  }

  private async lockOrderForPayment(
    manager: EntityManager,
    event: PaymentEvent,
  ): Promise<OrderEntity | null> {
    const repo = manager.getRepository(OrderEntity);
    const lock = { mode: 'pessimistic_write' as const };
    if (event.orderId && /^[0-9a-f-]{36}$/i.test(event.orderId)) {
      const order = await repo.findOne({ where: { id: event.orderId }, lock });
      return order && order.provider === event.provider ? order : null;
    }
    return repo.findOne({ where: { provider: event.provider, providerPaymentId: event.paymentId }, lock });
  }

  /** Paid: status, ledger sale, cart cleanup and `order.paid` — in the caller's transaction. */
  private async settle(manager: EntityManager, order: OrderEntity, paymentId: string | null): Promise<void> {
    const now = this.clock.now();
    await manager.query(
      `UPDATE ${C}.orders SET status = 'PAID', paid_at = $2, updated_at = $2, failure_code = NULL,
         provider_payment_id = COALESCE($3, provider_payment_id) WHERE id = $1`,
      [order.id, now, paymentId],
    );
    const paid = Object.assign(new OrderEntity(), order, { status: 'PAID', paidAt: now });
    const lines = await manager
      .getRepository(OrderLineEntity)
      .find({ where: { orderId: order.id }, order: { position: 'ASC' } });
    await this.ledger.postSale(manager, paid, lines);
    await recordOrderPaid(manager, paid, lines);
    if (paid.subscriptionId) await this.hooks?.onPaid(manager, paid);
  }

  private async lockOwnOrder(manager: EntityManager, viewer: Viewer, id: string): Promise<OrderEntity> {
    const order = await manager
      .getRepository(OrderEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!order) throw new NotFoundError('Order');
    if (order.buyerId !== viewer.userId) throw new ForbiddenError('This is not your order.');
    return order;
  }

  private async requireOwnOrder(viewer: Viewer, id: string): Promise<OrderEntity> {
    const order = await this.find(id);
    if (!order) throw new NotFoundError('Order');
    if (order.buyerId !== viewer.userId) throw new ForbiddenError('This is not your order.');
    return order;
  }

  /**
   * Cancels unpaid orders untouched for `hours` (default 24) and gives their coupon redemptions back.
   * A payment that still arrives later settles the order anyway (money received wins).
   */
  async expireAbandoned(hours = 24, limit = 100): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - hours * 3_600_000);
    return this.dataSource.transaction(async (manager) => {
      const rows: { id: string }[] = await manager.query(
        `SELECT id FROM ${C}.orders
         WHERE status IN ('PENDING_PAYMENT', 'REQUIRES_ACTION', 'PAYMENT_FAILED') AND subscription_id IS NULL AND updated_at < $1
         ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [cutoff, limit],
      );
      for (const { id } of rows) {
        await manager.query(`UPDATE ${C}.orders SET status = 'CANCELED', updated_at = $2 WHERE id = $1`, [
          id,
          this.clock.now(),
        ]);
        await this.coupons.release(manager, id);
      }
      return rows.length;
    });
  }

  /** Forgets provider events older than `days` (≥ 3: a provider's retries stay deduplicated). */
  async purgeWebhookEvents(days: number): Promise<number> {
    const [, count] = (await this.dataSource.query(
      `DELETE FROM ${C}.webhook_events WHERE received_at < now() - make_interval(days => $1)`,
      [Math.max(3, days)],
    )) as [unknown[], number];
    return count;
  }

  byIds(ids: readonly string[]): Promise<OrderEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(OrderEntity).findBy({ id: In([...new Set(ids)]) });
  }

  find(id: string): Promise<OrderEntity | null> {
    return this.dataSource.getRepository(OrderEntity).findOneBy({ id });
  }

  /** An order for its buyer, FINANCE or ADMIN; FORBIDDEN for anyone else. */
  async viewable(viewer: Viewer, id: string): Promise<OrderEntity> {
    const order = await this.find(assertUuid(id, 'id'));
    if (!order) throw new NotFoundError('Order');
    if (order.buyerId !== viewer.userId && !isFinance(viewer))
      throw new ForbiddenError('You may not view this order.');
    return order;
  }

  linesOf(orderIds: readonly string[]): Promise<OrderLineEntity[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(OrderLineEntity)
      .find({ where: { orderId: In([...orderIds]) }, order: { orderId: 'ASC', position: 'ASC' } });
  }

  listForBuyer(viewer: Viewer, args: ConnectionArgs): Promise<Connection<OrderEntity>> {
    const qb = this.dataSource
      .getRepository(OrderEntity)
      .createQueryBuilder('o')
      .where('o.buyer_id = :buyer', { buyer: viewer.userId });
    return paginate(qb, args, { alias: 'o', sortBy: 'createdAt', direction: 'DESC' });
  }

  listAll(args: ConnectionArgs, status: OrderStatus | null): Promise<Connection<OrderEntity>> {
    const qb = this.dataSource.getRepository(OrderEntity).createQueryBuilder('o');
    if (status) qb.where('o.status = :status', { status });
    return paginate(qb, args, { alias: 'o', sortBy: 'createdAt', direction: 'DESC' });
  }

  /** The seller's paid (or refunded) order lines, newest first. */
  salesOf(sellerId: string, args: ConnectionArgs): Promise<Connection<OrderLineEntity>> {
    const qb = this.dataSource
      .getRepository(OrderLineEntity)
      .createQueryBuilder('l')
      .innerJoin(OrderEntity, 'o', 'o.id = l.order_id AND o.paid_at IS NOT NULL')
      .where('l.seller_id = :seller', { seller: sellerId });
    return paginate(qb, args, { alias: 'l', sortBy: 'createdAt', direction: 'DESC' });
  }
}

export function isFinance(viewer: Viewer | null): boolean {
  return hasRole(viewer, 'FINANCE') || hasRole(viewer, 'ADMIN');
}
