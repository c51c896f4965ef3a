import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, type Logger, type Viewer } from '@edugraph/kit';
import { In, type DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  OrderNotRefundableError,
  PaymentProviderError,
  ProviderUnavailableError,
  RefundExceedsRemainderError,
} from '../../common/commerce.errors.js';
import { assertUuid } from '../../common/validation.js';
import { ProviderCallError, type PaymentProvider } from '../../providers/payment-provider.js';
import type { LedgerService } from '../ledger/ledger.service.js';
import { recordOrderRefunded } from '../order/order-events.js';
import { OrderEntity, OrderLineEntity } from '../order/order.entity.js';
import { RefundEntity } from './refund.entity.js';

const C = '"commerce"';

/**
 * Refunds: only paid orders, partial or full, never above what remains. The amount is reserved under
 * the order's row lock (a PENDING refund counts against the remainder), then the provider refunds with
 * the key `refund:<id>`, then one transaction records it, reverses the sale in the ledger in proportion
 * and emits `order.refunded`.
 */
export class RefundService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly providers: ReadonlyMap<string, PaymentProvider>,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async refund(
    viewer: Viewer,
    input: { orderId: string; amount?: number | null; reason?: string | null },
  ): Promise<RefundEntity> {
    const orderId = assertUuid(input.orderId, 'orderId');
    const reason = input.reason?.trim() || null;
    if (reason && reason.length > 500)
      throw new BadUserInputError('"reason" is at most 500 characters.', 'reason');
    const { refund, order } = await this.dataSource.transaction(async (manager) => {
      const order = await manager
        .getRepository(OrderEntity)
        .findOne({ where: { id: orderId }, lock: { mode: 'pessimistic_write' } });
      if (!order) throw new NotFoundError('Order');
      if (order.status !== 'PAID' && order.status !== 'PARTIALLY_REFUNDED')
        throw new OrderNotRefundableError(order.status);
      const [{ reserved }] = (await manager.query(
        `SELECT COALESCE(sum(amount_minor), 0)::bigint AS reserved FROM ${C}.refunds WHERE order_id = $1 AND status IN ('PENDING', 'SUCCEEDED')`,
        [orderId],
      )) as [{ reserved: string }];
      const remainder = order.totalMinor - Number(reserved);
      const amount = input.amount ?? remainder;
      if (!Number.isInteger(amount) || amount < 1)
        throw new BadUserInputError('"amount" must be a positive integer.', 'amount');
      if (amount > remainder) throw new RefundExceedsRemainderError(remainder);
      const refund = manager.getRepository(RefundEntity).create({
        id: randomUUID(),
        orderId,
        amountMinor: amount,
        status: 'PENDING',
        reason,
        providerRefundId: null,
        requestedBy: viewer.userId,
        createdAt: this.clock.now(),
        completedAt: null,
      });
      await manager.getRepository(RefundEntity).insert(refund);
      return { refund, order };
    });

    let providerRefundId: string | null = null;
    if (order.provider !== 'NONE') {
      const provider = this.providers.get(order.provider);
      if (!provider || !order.providerPaymentId) {
        await this.markFailed(refund.id);
        throw new ProviderUnavailableError(order.provider);
      }
      try {
        const result = await provider.refund({
          paymentId: order.providerPaymentId,
          amountMinor: refund.amountMinor,
          currency: order.currency,
          idempotencyKey: `refund:${refund.id}`,
        });
        if (result.status === 'FAILED') {
          await this.markFailed(refund.id);
          throw new PaymentProviderError(provider.name);
        }
        providerRefundId = result.refundId;
      } catch (error) {
        if (error instanceof ProviderCallError) {
          // Outcome unknown: the refund stays PENDING (its amount reserved) for reconciliation.
          this.logger.warn({ err: error, refundId: refund.id }, 'provider refund failed');
          throw new PaymentProviderError(provider.name);
        }
        throw error;
      }
    }
    return this.complete(refund.id, providerRefundId);
  }

  private async markFailed(refundId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${C}.refunds SET status = 'FAILED', completed_at = now() WHERE id = $1`,
      [refundId],
    );
  }

  /** Records a refund the provider made: order totals, ledger reversal, `order.refunded` — once. */
  private async complete(refundId: string, providerRefundId: string | null): Promise<RefundEntity> {
    return this.dataSource.transaction(async (manager) => {
      const refund = await manager.getRepository(RefundEntity).findOneByOrFail({ id: refundId });
      const order = await manager
        .getRepository(OrderEntity)
        .findOneOrFail({ where: { id: refund.orderId }, lock: { mode: 'pessimistic_write' } });
      if (refund.status !== 'PENDING') return refund;
      const now = this.clock.now();
      const before = order.refundedMinor;
      const refunded = before + refund.amountMinor;
      const status = refunded === order.totalMinor ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
      await manager.query(
        `UPDATE ${C}.refunds SET status = 'SUCCEEDED', provider_refund_id = $2, completed_at = $3 WHERE id = $1`,
        [refundId, providerRefundId, now],
      );
      await manager.query(
        `UPDATE ${C}.orders SET refunded_minor = $2, status = $3, updated_at = $4 WHERE id = $1`,
        [order.id, refunded, status, now],
      );
      await this.ledger.postRefund(manager, order, refundId, refund.amountMinor, before);
      const lines = await manager
        .getRepository(OrderLineEntity)
        .find({ where: { orderId: order.id }, order: { position: 'ASC' } });
      await recordOrderRefunded(manager, {
        orderId: order.id,
        userId: order.buyerId,
        refundId,
        currency: order.currency,
        amountMinor: refund.amountMinor,
        refundedMinor: refunded,
        totalMinor: order.totalMinor,
        fullyRefunded: status === 'REFUNDED',
        lines: lines.map((l) => ({ kind: l.kind, refId: l.refId, quantity: l.quantity })),
      });
      return Object.assign(refund, { status: 'SUCCEEDED' as const, providerRefundId, completedAt: now });
    });
  }

  byOrderIds(orderIds: readonly string[]): Promise<RefundEntity[]> {
    if (orderIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(RefundEntity)
      .find({ where: { orderId: In([...orderIds]) }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
