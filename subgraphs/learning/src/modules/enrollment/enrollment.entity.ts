import { Column, Entity, PrimaryColumn } from 'typeorm';

export type EnrollmentStatus = 'INVITED' | 'ACTIVE' | 'COMPLETED' | 'CANCELLED';
export type EnrollmentSource = 'PURCHASE' | 'INSTRUCTOR' | 'FREE';

@Entity({ name: 'enrollments' })
export class EnrollmentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  status!: EnrollmentStatus;

  @Column({ type: 'text' })
  source!: EnrollmentSource;

  @Column({ type: 'text', nullable: true })
  orderId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  grantedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  invitedAt!: Date | null;

  /** When access started: the base of drip offsets. */
  @Column({ type: 'timestamptz', nullable: true })
  activatedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ type: 'integer' })
  progressPercent!: number;

  /** The resume point: the lesson the learner worked on last. */
  @Column({ type: 'uuid', nullable: true })
  lastLessonId!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastActivityAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** Access to lesson content: an ACTIVE or COMPLETED enrollment. */
export function grantsAccess(enrollment: Pick<EnrollmentEntity, 'status'> | null | undefined): boolean {
  return enrollment?.status === 'ACTIVE' || enrollment?.status === 'COMPLETED';
}
