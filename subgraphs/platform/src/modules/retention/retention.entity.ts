import { Column, Entity, PrimaryColumn } from 'typeorm';

export type RetentionAction = 'HARD_DELETE' | 'SOFT_DELETE' | 'ANONYMISE';
export type RetentionRunStatus = 'RUNNING' | 'COMPLETED';
export type RetentionItemStatus = 'PENDING' | 'APPLIED';
export type RetentionTrigger = 'SCHEDULE' | 'MANUAL';

/** What a policy says, and what a run item copies from it when the run starts. */
export type RetentionRule = { entity: string; action: RetentionAction; afterDays: number };

/** The rule columns, shared by `retention_policies` and `retention_run_items` (not a table itself). */
abstract class RetentionRuleColumns implements RetentionRule {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  entity!: string;

  @Column({ type: 'text' })
  action!: RetentionAction;

  @Column({ type: 'integer' })
  afterDays!: number;
}

@Entity({ name: 'retention_policies' })
export class RetentionPolicyEntity extends RetentionRuleColumns {
  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'retention_runs' })
export class RetentionRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'boolean' })
  dryRun!: boolean;

  @Column({ type: 'text' })
  status!: RetentionRunStatus;

  @Column({ type: 'text' })
  trigger!: RetentionTrigger;

  @Column({ type: 'uuid', nullable: true })
  requestedBy!: string | null;

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

@Entity({ name: 'retention_run_items' })
export class RetentionRunItemEntity extends RetentionRuleColumns {
  @Column({ type: 'uuid' })
  runId!: string;

  @Column({ type: 'text' })
  status!: RetentionItemStatus;

  @Column({ type: 'integer', nullable: true })
  affected!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  appliedAt!: Date | null;
}
