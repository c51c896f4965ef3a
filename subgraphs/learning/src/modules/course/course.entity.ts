import { Column, Entity, PrimaryColumn } from 'typeorm';

export type CourseStatus = 'DRAFT' | 'REVIEW' | 'PUBLISHED' | 'ARCHIVED';
export type CourseLevel = 'BEGINNER' | 'INTERMEDIATE' | 'ADVANCED' | 'ALL_LEVELS';
export type DeliveryFormat = 'SELF_PACED' | 'COHORT' | 'LIVE' | 'BLENDED';

@Entity({ name: 'courses' })
export class CourseEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  instructorId!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text' })
  level!: CourseLevel;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ type: 'text', array: true })
  languages!: string[];

  @Column({ type: 'text' })
  deliveryFormat!: DeliveryFormat;

  @Column({ type: 'boolean' })
  isFree!: boolean;

  @Column({ type: 'text' })
  status!: CourseStatus;

  @Column({ type: 'text', nullable: true })
  reviewNote!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;

  /** Reviews counted in the rating, and the sum of their ratings (1–5 each). */
  @Column({ type: 'integer' })
  ratingCount!: number;

  @Column({ type: 'integer' })
  ratingSum!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'course_prerequisites' })
export class CoursePrerequisiteEntity {
  @PrimaryColumn({ type: 'uuid' })
  courseId!: string;

  @PrimaryColumn({ type: 'uuid' })
  prerequisiteId!: string;
}
