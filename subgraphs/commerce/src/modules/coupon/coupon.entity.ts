import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../common/bigint.js';

export type CouponKind = 'PERCENT' | 'AMOUNT';

@Entity({ name: 'coupons' })
export class CouponEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  kind!: CouponKind;

  @Column({ type: 'integer', nullable: true })
  percentOff!: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintAsNumber })
  amountOffMinor!: number | null;

  @Column({ type: 'text', nullable: true })
  currency!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  startsAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  endsAt!: Date | null;

  @Column({ type: 'integer', nullable: true })
  maxRedemptions!: number | null;

  @Column({ type: 'integer', nullable: true })
  perUserLimit!: number | null;

  @Column({ type: 'integer' })
  redeemedCount!: number;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}
