import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'lesson_progress' })
export class LessonProgressEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'uuid' })
  lessonId!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'integer', nullable: true })
  positionSeconds!: number | null;

  @Column({ type: 'integer', nullable: true })
  positionPage!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'certificates' })
export class CertificateEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** Public id printed on the certificate (16 characters A–Z, 0–9). */
  @Column({ type: 'text' })
  verificationId!: string;

  @Column({ type: 'uuid' })
  enrollmentId!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  /** The title when it was issued. */
  @Column({ type: 'text' })
  courseTitle!: string;

  @Column({ type: 'timestamptz' })
  issuedAt!: Date;
}
