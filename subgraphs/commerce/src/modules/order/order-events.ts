import { recordEvent } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import { COMMERCE_SCHEMA } from '../../environment.js';
import type { ProductKind } from '../catalog/product.entity.js';
import type { OrderEntity, OrderLineEntity } from './order.entity.js';

export const ORDER_PAID = 'order.paid';
export const ORDER_REFUNDED = 'order.refunded';

/** The `order.paid` contract (learning, community, live and notifications consume exactly this). */
export type OrderPaidPayload = {
  orderId: string;
  userId: string;
  currency: string;
  totalMinor: number;
  paidAt: string;
  lines: { kind: ProductKind; refId: string; quantity: number }[];
};

export type OrderRefundedPayload = {
  orderId: string;
  userId: string;
  refundId: string;
  currency: string;
  amountMinor: number;
  refundedMinor: number;
  totalMinor: number;
  /** True once the whole order is refunded (consumers revoke access). */
  fullyRefunded: boolean;
  lines: { kind: ProductKind; refId: string; quantity: number }[];
};

export function orderPaidPayload(order: OrderEntity, lines: OrderLineEntity[]): OrderPaidPayload {
  return {
    orderId: order.id,
    userId: order.buyerId,
    currency: order.currency,
    totalMinor: order.totalMinor,
    paidAt: order.paidAt!.toISOString(),
    lines: lines.map((l) => ({ kind: l.kind, refId: l.refId, quantity: l.quantity })),
  };
}

export async function recordOrderPaid(
  manager: EntityManager,
  order: OrderEntity,
  lines: OrderLineEntity[],
): Promise<void> {
  await recordEvent(manager, COMMERCE_SCHEMA, {
    type: ORDER_PAID,
    aggregateId: order.id,
    payload: orderPaidPayload(order, lines),
  });
}

export async function recordOrderRefunded(
  manager: EntityManager,
  payload: OrderRefundedPayload,
): Promise<void> {
  await recordEvent(manager, COMMERCE_SCHEMA, {
    type: ORDER_REFUNDED,
    aggregateId: payload.orderId,
    payload,
  });
}
