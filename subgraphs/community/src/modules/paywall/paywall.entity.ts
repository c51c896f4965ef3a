import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A paid tier of a community (priced in commerce as a COMMUNITY_TIER product keyed by this id). */
@Entity({ name: 'paywall_tiers' })
export class PaywallTierEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  /** 1–100; a grant of a tier also opens content gated on tiers of the same or a lower rank. */
  @Column({ type: 'smallint' })
  rank!: number;

  @Column({ type: 'text', array: true })
  benefits!: string[];

  @Column({ type: 'uuid' })
  createdById!: string;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

export type TierGrantSource = 'SUBSCRIPTION' | 'MANUAL';
/** ACTIVE opens content; REVOKED is final; HELD: paid for by a banned user, recorded, not granted. */
export type TierGrantStatus = 'ACTIVE' | 'REVOKED' | 'HELD';
export type TierRevokeReason = 'CANCELED' | 'EXPIRED' | 'MANUAL';

/** A member's access to a tier (one row per commerce subscription, or a manual grant). */
@Entity({ name: 'tier_grants' })
export class TierGrantEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  tierId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  source!: TierGrantSource;

  @Column({ type: 'uuid', nullable: true })
  subscriptionId!: string | null;

  @Column({ type: 'text' })
  status!: TierGrantStatus;

  /** The end of the paid period as commerce last reported it (informational; commerce expires). */
  @Column({ type: 'timestamptz', nullable: true })
  accessUntil!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  grantedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  revokeReason!: TierRevokeReason | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

export const paywallEntities = [PaywallTierEntity, TierGrantEntity];
