import { Column, Entity, PrimaryColumn } from 'typeorm';
import type {
  FlagSegmentDefinition,
  FlagStrategy,
  FlagTenantType,
  FlagVariantDefinition,
} from './flag-evaluator.js';

@Entity({ name: 'feature_flags' })
export class FeatureFlagEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  key!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'boolean' })
  booleanValue!: boolean;

  @Column({ type: 'boolean' })
  killed!: boolean;

  @Column({ type: 'text', array: true })
  environments!: string[];

  @Column({ type: 'text' })
  strategy!: FlagStrategy;

  @Column({ type: 'integer', nullable: true })
  percentage!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  segment!: FlagSegmentDefinition | null;

  @Column({ type: 'timestamptz', nullable: true })
  startsAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'jsonb' })
  variants!: FlagVariantDefinition[];

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'feature_flag_overrides' })
export class FeatureFlagOverrideEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  flagId!: string;

  @Column({ type: 'text' })
  tenantType!: FlagTenantType;

  @Column({ type: 'uuid' })
  tenantId!: string;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'text', nullable: true })
  variant!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
