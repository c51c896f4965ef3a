import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Enrollment } from '../enrollment/enrollment.type.js';
import type { AssignmentEntity, SubmissionEntity } from './assignment.entity.js';

export enum SubmissionStatusEnum {
  SUBMITTED = 'SUBMITTED',
  GRADED = 'GRADED',
}
registerEnumType(SubmissionStatusEnum, { name: 'SubmissionStatus' });

export enum GradeStatusEnum {
  NOT_SUBMITTED = 'NOT_SUBMITTED',
  SUBMITTED = 'SUBMITTED',
  GRADED = 'GRADED',
}
registerEnumType(GradeStatusEnum, { name: 'GradeStatus' });

@ObjectType('RubricCriterion')
export class RubricCriterion {
  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Int)
  points!: number;
}

@ObjectType('Assignment', {
  description: 'Released with its module; `instructions` need access like lesson content.',
})
export class Assignment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => ID)
  moduleId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  maxScore!: number;

  @Field(() => Int, { nullable: true, description: 'Score needed to count as done (null: any grade).' })
  passScore!: number | null;

  @Field(() => [RubricCriterion])
  rubric!: RubricCriterion[];

  @Field(() => Int, { nullable: true, description: 'Due this many days after enrollment.' })
  dueOffsetDays!: number | null;

  @Field(() => Boolean, { description: 'Counts towards completion and the certificate.' })
  isRequired!: boolean;

  entity!: AssignmentEntity;

  static from(entity: AssignmentEntity): Assignment {
    return Object.assign(new Assignment(), {
      id: entity.id,
      courseId: entity.courseId,
      moduleId: entity.moduleId,
      title: entity.title,
      maxScore: entity.maxScore,
      passScore: entity.passScore,
      rubric: entity.rubric.map((c) => ({ title: c.title, description: c.description, points: c.points })),
      dueOffsetDays: entity.dueOffsetDays,
      isRequired: entity.isRequired,
      entity,
    });
  }
}

@ObjectType('AssignmentSubmission', { description: 'Visible to its learner and the course instructor.' })
export class AssignmentSubmission {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  assignmentId!: string;

  @Field(() => Int, { description: '1, 2, … (resubmissions).' })
  attempt!: number;

  @Field(() => String, { description: 'Sanitised HTML.' })
  body!: string;

  @Field(() => SubmissionStatusEnum)
  status!: SubmissionStatusEnum;

  @Field(() => Int, { nullable: true })
  score!: number | null;

  @Field(() => String, { nullable: true })
  feedback!: string | null;

  @Field(() => Date)
  submittedAt!: Date;

  @Field(() => Date, { nullable: true })
  gradedAt!: Date | null;

  @Field(() => Boolean, { description: 'Handed in after the due date.' })
  late!: boolean;

  entity!: SubmissionEntity;

  static from(entity: SubmissionEntity): AssignmentSubmission {
    return Object.assign(new AssignmentSubmission(), {
      id: entity.id,
      assignmentId: entity.assignmentId,
      attempt: entity.attempt,
      body: entity.bodyHtml,
      status: entity.status as SubmissionStatusEnum,
      score: entity.score,
      feedback: entity.feedback,
      submittedAt: entity.submittedAt,
      gradedAt: entity.gradedAt,
      late: entity.late,
      entity,
    });
  }
}

@ObjectType('AssignmentPayload')
export class AssignmentPayload {
  @Field(() => Assignment)
  assignment!: Assignment;
}

@ObjectType('AssignmentSubmissionPayload')
export class AssignmentSubmissionPayload {
  @Field(() => AssignmentSubmission)
  submission!: AssignmentSubmission;

  @Field(() => Enrollment, { nullable: true, description: 'The learner’s enrollment after grading.' })
  enrollment!: Enrollment | null;
}

@ObjectType('GradeBookAssignment')
export class GradeBookAssignment {
  @Field(() => ID)
  assignmentId!: string;

  @Field(() => GradeStatusEnum, { description: 'Of the latest submission.' })
  status!: GradeStatusEnum;

  @Field(() => Int, { nullable: true })
  score!: number | null;

  @Field(() => Int)
  maxScore!: number;

  @Field(() => Int)
  submissions!: number;

  @Field(() => Boolean)
  late!: boolean;
}

@ObjectType('GradeBookQuiz')
export class GradeBookQuiz {
  @Field(() => ID)
  quizId!: string;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Int, { nullable: true })
  bestPercent!: number | null;

  @Field(() => Boolean)
  passed!: boolean;
}

@ObjectType('GradeBookRow', { description: 'One learner’s grades in a course.' })
export class GradeBookRow {
  @Field(() => ID)
  id!: string;

  @Field(() => Enrollment)
  enrollment!: Enrollment;

  @Field(() => [GradeBookAssignment])
  assignments!: GradeBookAssignment[];

  @Field(() => [GradeBookQuiz])
  quizzes!: GradeBookQuiz[];
}

@InputType('RubricCriterionInput')
export class RubricCriterionInput {
  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int)
  points!: number;
}

@InputType('AssignmentFieldsBase')
class AssignmentFieldsInput {
  @Field(() => String, { nullable: true, description: 'Rich text, sanitised.' })
  instructionsHtml?: string | null;

  @Field(() => Int, { nullable: true, description: '1–1000.' })
  maxScore?: number | null;

  @Field(() => Int, { nullable: true })
  passScore?: number | null;

  @Field(() => [RubricCriterionInput], { nullable: true, description: 'Points must add up to maxScore.' })
  rubric?: RubricCriterionInput[] | null;

  @Field(() => Int, { nullable: true })
  dueOffsetDays?: number | null;

  @Field(() => Boolean, { nullable: true })
  isRequired?: boolean | null;
}

@InputType('AddAssignmentInput')
export class AddAssignmentInput extends AssignmentFieldsInput {
  @Field(() => ID)
  moduleId!: string;

  @Field(() => String)
  title!: string;
}

@InputType('UpdateAssignmentInput')
export class UpdateAssignmentInput extends AssignmentFieldsInput {
  @Field(() => ID)
  assignmentId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;
}

@InputType('SubmitAssignmentInput')
export class SubmitAssignmentInput {
  @Field(() => ID)
  assignmentId!: string;

  @Field(() => String, { nullable: true, description: 'Rich text, sanitised.' })
  bodyHtml?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Media assets (at most 10).' })
  assetIds?: string[] | null;
}

@InputType('GradeSubmissionInput')
export class GradeSubmissionInput {
  @Field(() => ID)
  submissionId!: string;

  @Field(() => Int, { description: '0…maxScore.' })
  score!: number;

  @Field(() => String, { nullable: true })
  feedback?: string | null;
}
