import { Column, Entity, PrimaryColumn } from 'typeorm';

export type LessonContentKind = 'VIDEO' | 'AUDIO' | 'SLIDES' | 'PDF' | 'TEXT';

@Entity({ name: 'course_modules' })
export class CourseModuleEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'text' })
  title!: string;

  /** 1…n within the course, gapless. */
  @Column({ type: 'integer' })
  position!: number;

  /** Unlocks this many days after the learner's enrollment became active (or at `releaseAt`). */
  @Column({ type: 'integer', nullable: true })
  releaseOffsetDays!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  releaseAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'lessons' })
export class LessonEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'uuid' })
  moduleId!: string;

  @Column({ type: 'text' })
  title!: string;

  /** 1…n within the module, gapless. */
  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  contentKind!: LessonContentKind;

  /** Media asset (VIDEO, AUDIO, SLIDES, PDF). */
  @Column({ type: 'uuid', nullable: true })
  assetId!: string | null;

  /** Sanitised rich text (TEXT lessons; optional notes for the others). */
  @Column({ type: 'text', nullable: true })
  bodyHtml!: string | null;

  @Column({ type: 'integer', nullable: true })
  durationSeconds!: number | null;

  @Column({ type: 'boolean' })
  isPreview!: boolean;

  @Column({ type: 'boolean' })
  isRequired!: boolean;

  @Column({ type: 'integer', nullable: true })
  releaseOffsetDays!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  releaseAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}
