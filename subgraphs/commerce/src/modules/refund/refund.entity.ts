import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../common/bigint.js';

export type RefundStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

@Entity({ name: 'refunds' })
export class RefundEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  orderId!: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  amountMinor!: number;

  @Column({ type: 'text' })
  status!: RefundStatus;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ type: 'text', nullable: true })
  providerRefundId!: string | null;

  @Column({ type: 'uuid' })
  requestedBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
