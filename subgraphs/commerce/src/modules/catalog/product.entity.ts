import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../common/bigint.js';

export const PRODUCT_KINDS = ['COURSE', 'EBOOK', 'COMMUNITY_TIER', 'TUTOR_HOURS', 'LIVE_TICKET'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];

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

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
