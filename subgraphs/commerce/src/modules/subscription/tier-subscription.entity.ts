import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../common/bigint.js';
import type { BillingInterval } from '../catalog/product.entity.js';

export type TierSubscriptionStatus =
  'INCOMPLETE' | 'TRIALING' | 'ACTIVE' | 'PAST_DUE' | 'CANCELED' | 'EXPIRED';
export const LIVE_STATUSES: readonly TierSubscriptionStatus[] = [
  'INCOMPLETE',
  'TRIALING',
  'ACTIVE',
  'PAST_DUE',
];

@Entity({ name: 'tier_subscriptions' })
export class TierSubscriptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  productId!: string;

  /** The CommunityTier (community subgraph). */
  @Column({ type: 'uuid' })
  tierId!: string;

  @Column({ type: 'uuid' })
  sellerId!: string;

  @Column({ type: 'text' })
  billingInterval!: BillingInterval;

  @Column({ type: 'text' })
  status!: TierSubscriptionStatus;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  priceMinor!: number;

  @Column({ type: 'text' })
  provider!: string;

  /** Charged again at each renewal (a sandbox test card or a Stripe PaymentMethod id). */
  @Column({ type: 'text', nullable: true })
  paymentMethod!: string | null;

  @Column({ type: 'text' })
  billingCountry!: string;

  @Column({ type: 'text', nullable: true })
  billingRegion!: string | null;

  /** Paid periods so far; period n is paid by the order (subscription, n). */
  @Column({ type: 'integer' })
  periodsPaid!: number;

  @Column({ type: 'timestamptz', nullable: true })
  trialEndsAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  currentPeriodStart!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  currentPeriodEnd!: Date | null;

  @Column({ type: 'boolean' })
  cancelAtPeriodEnd!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  canceledAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
