import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlatformRole } from '@edugraph/kit';

const bigintToNumber = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity({ name: 'users', schema: 'identity' })
export class UserEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt!: Date | null;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'date', nullable: true })
  dateOfBirth!: string | null;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'text', array: true })
  roles!: PlatformRole[];

  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  disabledReason!: string | null;

  @Column({ type: 'integer' })
  failedSignInCount!: number;

  @Column({ type: 'integer' })
  lockCount!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  /** Sealed (SecretBox) base32 TOTP secret, once enrolment is confirmed. */
  @Column({ type: 'text', nullable: true })
  totpSecret!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  totpEnabledAt!: Date | null;

  /** Sealed secret of an enrolment that is not confirmed yet. */
  @Column({ type: 'text', nullable: true })
  totpPendingSecret!: string | null;

  /** Last accepted TOTP time step (a code is never accepted twice). */
  @Column({ type: 'bigint', nullable: true, transformer: bigintToNumber })
  totpLastUsedStep!: number | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
