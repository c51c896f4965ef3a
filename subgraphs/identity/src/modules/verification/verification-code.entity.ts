import { Column, Entity, PrimaryColumn } from 'typeorm';

export type VerificationPurpose = 'EMAIL_VERIFICATION' | 'PASSWORD_RESET';

@Entity({ name: 'verification_codes', schema: 'identity' })
export class VerificationCodeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  purpose!: VerificationPurpose;

  @Column({ type: 'text' })
  codeHash!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;

  @Column({ type: 'integer' })
  attempts!: number;
}
