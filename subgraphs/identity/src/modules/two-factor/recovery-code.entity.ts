import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A single-use two-factor recovery code (sha256 of user id and code). */
@Entity({ name: 'recovery_codes', schema: 'identity' })
export class RecoveryCodeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  codeHash!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
