import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Enrollment } from '../enrollment/enrollment.type.js';
import { CourseCertificate } from '../progress/progress.type.js';
import type { QuizAttemptEntity, QuizEntity, QuizQuestionEntity } from './quiz.entity.js';

export enum QuestionKindEnum {
  SINGLE_CHOICE = 'SINGLE_CHOICE',
  MULTIPLE_CHOICE = 'MULTIPLE_CHOICE',
  SHORT_ANSWER = 'SHORT_ANSWER',
}
registerEnumType(QuestionKindEnum, { name: 'QuizQuestionKind' });

@ObjectType('Quiz', { description: 'Released with its module; `questions` need access like lesson content.' })
export class Quiz {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => ID)
  moduleId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int, { description: 'Percent of the points needed to pass.' })
  passPercent!: number;

  @Field(() => Int, { nullable: true })
  attemptLimit!: number | null;

  @Field(() => Int, { nullable: true })
  timeLimitSeconds!: number | null;

  @Field(() => Boolean)
  isRequired!: boolean;

  entity!: QuizEntity;

  static from(entity: QuizEntity): Quiz {
    return Object.assign(new Quiz(), {
      id: entity.id,
      courseId: entity.courseId,
      moduleId: entity.moduleId,
      title: entity.title,
      passPercent: entity.passPercent,
      attemptLimit: entity.attemptLimit,
      timeLimitSeconds: entity.timeLimitSeconds,
      isRequired: entity.isRequired,
      entity,
    });
  }
}

@ObjectType('QuizOption')
export class QuizOption {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  text!: string;
}

@ObjectType('QuizQuestion')
export class QuizQuestion {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  position!: number;

  @Field(() => QuestionKindEnum)
  kind!: QuestionKindEnum;

  @Field(() => String)
  prompt!: string;

  @Field(() => [QuizOption])
  options!: QuizOption[];

  @Field(() => Int)
  points!: number;

  @Field(() => [ID], { nullable: true, description: 'The answer key: the instructor and admins only.' })
  correctOptionIds!: string[] | null;

  @Field(() => [String], { nullable: true, description: 'The answer key: the instructor and admins only.' })
  acceptedAnswers!: string[] | null;

  static from(entity: QuizQuestionEntity, staff: boolean): QuizQuestion {
    return Object.assign(new QuizQuestion(), {
      id: entity.id,
      position: entity.position,
      kind: entity.kind as QuestionKindEnum,
      prompt: entity.prompt,
      options: entity.options,
      points: entity.points,
      correctOptionIds: staff ? entity.correctOptionIds : null,
      acceptedAnswers: staff ? entity.acceptedAnswers : null,
    });
  }
}

@ObjectType('QuizAnswerResult')
export class QuizAnswerResult {
  @Field(() => ID)
  questionId!: string;

  @Field(() => Boolean)
  correct!: boolean;
}

@ObjectType('QuizAttempt')
export class QuizAttempt {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  quizId!: string;

  @Field(() => Int)
  number!: number;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Submit before this (time limit).' })
  deadlineAt!: Date | null;

  @Field(() => Date, { nullable: true })
  submittedAt!: Date | null;

  @Field(() => Int, { nullable: true })
  score!: number | null;

  @Field(() => Int)
  maxScore!: number;

  @Field(() => Int, { nullable: true })
  percent!: number | null;

  @Field(() => Boolean, { nullable: true })
  passed!: boolean | null;

  @Field(() => Boolean, { description: 'Submitted after the time limit (0 points).' })
  expired!: boolean;

  @Field(() => [QuizAnswerResult], { description: 'Per question, once submitted.' })
  results!: QuizAnswerResult[];

  static from(entity: QuizAttemptEntity): QuizAttempt {
    return Object.assign(new QuizAttempt(), {
      id: entity.id,
      quizId: entity.quizId,
      number: entity.number,
      startedAt: entity.startedAt,
      deadlineAt: entity.deadlineAt,
      submittedAt: entity.submittedAt,
      score: entity.score,
      maxScore: entity.maxScore,
      percent: entity.percent,
      passed: entity.passed,
      expired: entity.expired,
      results: (entity.answers ?? []).map((a) => ({ questionId: a.questionId, correct: a.correct })),
    });
  }
}

@ObjectType('QuizPayload')
export class QuizPayload {
  @Field(() => Quiz)
  quiz!: Quiz;
}

@ObjectType('QuizAttemptPayload')
export class QuizAttemptPayload {
  @Field(() => QuizAttempt)
  attempt!: QuizAttempt;

  @Field(() => Enrollment, { nullable: true })
  enrollment!: Enrollment | null;

  @Field(() => CourseCertificate, { nullable: true, description: 'Set once the course is completed.' })
  certificate!: CourseCertificate | null;
}

@InputType('QuizQuestionInput')
export class QuizQuestionInput {
  @Field(() => QuestionKindEnum)
  kind!: QuestionKindEnum;

  @Field(() => String)
  prompt!: string;

  @Field(() => [String], { nullable: true, description: 'Choice questions: 2–10 options.' })
  options?: string[] | null;

  @Field(() => [Int], {
    nullable: true,
    description: 'Choice questions: 0-based indexes of the correct options.',
  })
  correctOptions?: number[] | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Short answers: accepted answers (case-insensitive).',
  })
  acceptedAnswers?: string[] | null;

  @Field(() => Int, { nullable: true, description: '1–100 (default 1).' })
  points?: number | null;
}

@InputType('AddQuizInput')
export class AddQuizInput {
  @Field(() => ID)
  moduleId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  passPercent!: number;

  @Field(() => Int, { nullable: true })
  attemptLimit?: number | null;

  @Field(() => Int, { nullable: true, description: '30–86400 seconds.' })
  timeLimitSeconds?: number | null;

  @Field(() => Boolean, { nullable: true })
  isRequired?: boolean | null;

  @Field(() => [QuizQuestionInput])
  questions!: QuizQuestionInput[];
}

@InputType('QuizIdInput')
export class QuizIdInput {
  @Field(() => ID)
  quizId!: string;
}

@InputType('QuizAnswerInput')
export class QuizAnswerInput {
  @Field(() => ID)
  questionId!: string;

  @Field(() => [ID], { nullable: true })
  optionIds?: string[] | null;

  @Field(() => String, { nullable: true })
  text?: string | null;
}

@InputType('SubmitQuizAttemptInput')
export class SubmitQuizAttemptInput {
  @Field(() => ID)
  attemptId!: string;

  @Field(() => [QuizAnswerInput])
  answers!: QuizAnswerInput[];
}
