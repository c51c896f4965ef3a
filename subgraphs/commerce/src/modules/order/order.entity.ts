import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../common/bigint.js';
import type { ProductKind } from '../catalog/product.entity.js';

export type OrderStatus =
  | 'PENDING_PAYMENT'
  | 'REQUIRES_ACTION'
  | 'PAYMENT_FAILED'
  | 'PAID'
  | 'PARTIALLY_REFUNDED'
  | 'REFUNDED'
  | 'CANCELED';
export type OrderProvider = 'SANDBOX' | 'STRIPE' | 'PAYPAL' | 'NONE';

export const PAID_STATUSES: readonly OrderStatus[] = ['PAID', 'PARTIALLY_REFUNDED', 'REFUNDED'];

@Entity({ name: 'orders' })
export class OrderEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  buyerId!: string;

  @Column({ type: 'text' })
  status!: OrderStatus;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  subtotalMinor!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  discountMinor!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  taxMinor!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  totalMinor!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  refundedMinor!: number;

  @Column({ type: 'boolean' })
  taxInclusive!: boolean;

  @Column({ type: 'integer' })
  taxRateBps!: number;

  @Column({ type: 'text' })
  taxCountry!: string;

  @Column({ type: 'text', nullable: true })
  taxRegion!: string | null;

  @Column({ type: 'uuid', nullable: true })
  couponId!: string | null;

  @Column({ type: 'text' })
  provider!: OrderProvider;

  @Column({ type: 'text', nullable: true })
  providerPaymentId!: string | null;

  @Column({ type: 'integer' })
  paymentAttempts!: number;

  @Column({ type: 'text', nullable: true })
  failureCode!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  paidAt!: Date | null;

  /** A tier subscription's period this order pays (renewals are orders too). */
  @Column({ type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @Column({ type: 'integer', nullable: true })
  subscriptionPeriod!: number | null;

  /** The affiliate whose referral code brought the order. */
  @Column({ type: 'uuid', nullable: true })
  affiliateId!: string | null;
}

@Entity({ name: 'order_lines' })
export class OrderLineEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  orderId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'uuid' })
  productId!: string;

  @Column({ type: 'text' })
  kind!: ProductKind;

  @Column({ type: 'uuid' })
  refId!: string;

  @Column({ type: 'uuid' })
  sellerId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  unitPriceMinor!: number;

  @Column({ type: 'integer' })
  quantity!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  subtotalMinor!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  discountMinor!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  taxMinor!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  totalMinor!: number;

  @Column({ type: 'integer' })
  commissionBps!: number;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  commissionMinor!: number;

  /** The affiliate's part of the commission (0 without a referral). */
  @Column({ type: 'bigint', transformer: bigintAsNumber })
  affiliateMinor!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
