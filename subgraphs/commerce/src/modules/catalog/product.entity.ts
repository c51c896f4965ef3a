import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../common/bigint.js';

export const PRODUCT_KINDS = ['COURSE', 'EBOOK', 'COMMUNITY_TIER', 'TUTOR_HOURS', 'LIVE_TICKET'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const BILLING_INTERVALS = ['MONTHLY', 'QUARTERLY', 'ANNUAL', 'LIFETIME'] as const;
export type BillingInterval = (typeof BILLING_INTERVALS)[number];

@Entity({ name: 'products' })
export class ProductEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: ProductKind;

  /** The id of what is sold in its owning subgraph (Course, Ebook, CommunityTier, TutorProfile, LiveSession). */
  @Column({ type: 'uuid' })
  refId!: string;

  /** Who receives the seller share (instructor, community owner, tutor, host). */
  @Column({ type: 'uuid' })
  sellerId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  priceMinor!: number;

  @Column({ type: 'text' })
  currency!: string;

  @Column({ type: 'boolean' })
  active!: boolean;

  /** Community tiers only: how often the subscription renews (LIFETIME: never). */
  @Column({ type: 'text', nullable: true })
  billingInterval!: BillingInterval | null;

  /** Community tiers only: free days before the first charge (0–90; not for LIFETIME). */
  @Column({ type: 'integer' })
  trialDays!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
