import { Column, Entity, PrimaryColumn } from 'typeorm';

export type RubricCriterion = { title: string; description: string; points: number };
export type SubmissionStatus = 'SUBMITTED' | 'GRADED';

@Entity({ name: 'assignments' })
export class AssignmentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  /** Released with this module (drip). */
  @Column({ type: 'uuid' })
  moduleId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  instructionsHtml!: string;

  @Column({ type: 'integer' })
  maxScore!: number;

  /** Score needed for the assignment to count as done (null: any grade). */
  @Column({ type: 'integer', nullable: true })
  passScore!: number | null;

  @Column({ type: 'jsonb' })
  rubric!: RubricCriterion[];

  /** Due this many days after the learner's enrollment became active. */
  @Column({ type: 'integer', nullable: true })
  dueOffsetDays!: number | null;

  @Column({ type: 'boolean' })
  isRequired!: boolean;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'assignment_submissions' })
export class SubmissionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  assignmentId!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  /** 1, 2, … per learner and assignment (resubmissions). */
  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'text' })
  bodyHtml!: string;

  @Column({ type: 'uuid', array: true })
  assetIds!: string[];

  @Column({ type: 'text' })
  status!: SubmissionStatus;

  @Column({ type: 'integer', nullable: true })
  score!: number | null;

  @Column({ type: 'text', nullable: true })
  feedback!: string | null;

  @Column({ type: 'uuid', nullable: true })
  gradedBy!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  gradedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  submittedAt!: Date;

  @Column({ type: 'boolean' })
  late!: boolean;
}
