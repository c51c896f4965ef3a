import { Column, Entity, PrimaryColumn } from 'typeorm';

export type QuestionKind = 'SINGLE_CHOICE' | 'MULTIPLE_CHOICE' | 'SHORT_ANSWER';
export type QuizOption = { id: string; text: string };
export type QuizAnswer = { questionId: string; optionIds: string[]; text: string | null };

@Entity({ name: 'quizzes' })
export class QuizEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'uuid' })
  moduleId!: string;

  @Column({ type: 'text' })
  title!: string;

  /** Percent of the points needed to pass. */
  @Column({ type: 'integer' })
  passPercent!: number;

  @Column({ type: 'integer', nullable: true })
  attemptLimit!: number | null;

  @Column({ type: 'integer', nullable: true })
  timeLimitSeconds!: number | null;

  @Column({ type: 'boolean' })
  isRequired!: boolean;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'quiz_questions' })
export class QuizQuestionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  quizId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  kind!: QuestionKind;

  @Column({ type: 'text' })
  prompt!: string;

  @Column({ type: 'jsonb' })
  options!: QuizOption[];

  /** The answer key (never shown to learners). */
  @Column({ type: 'text', array: true })
  correctOptionIds!: string[];

  @Column({ type: 'text', array: true })
  acceptedAnswers!: string[];

  @Column({ type: 'integer' })
  points!: number;
}

@Entity({ name: 'quiz_attempts' })
export class QuizAttemptEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  quizId!: string;

  @Column({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'integer' })
  number!: number;

  @Column({ type: 'timestamptz' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deadlineAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  answers!: (QuizAnswer & { correct: boolean })[] | null;

  @Column({ type: 'integer', nullable: true })
  score!: number | null;

  @Column({ type: 'integer' })
  maxScore!: number;

  @Column({ type: 'integer', nullable: true })
  percent!: number | null;

  @Column({ type: 'boolean', nullable: true })
  passed!: boolean | null;

  /** Submitted after the time limit: scored 0. */
  @Column({ type: 'boolean' })
  expired!: boolean;
}
