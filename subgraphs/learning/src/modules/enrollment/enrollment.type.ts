import { ConnectionArgs, ConnectionType } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { EnrollmentEntity } from './enrollment.entity.js';

export enum EnrollmentStatusEnum {
  INVITED = 'INVITED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(EnrollmentStatusEnum, {
  name: 'EnrollmentStatus',
  description: 'ACTIVE and COMPLETED enrollments give access to the lessons.',
});

export enum EnrollmentSourceEnum {
  PURCHASE = 'PURCHASE',
  INSTRUCTOR = 'INSTRUCTOR',
  FREE = 'FREE',
}
registerEnumType(EnrollmentSourceEnum, { name: 'EnrollmentSource' });

@ObjectType('Enrollment', { description: 'Visible to its learner, the course instructor and admins.' })
export class Enrollment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => EnrollmentStatusEnum)
  status!: EnrollmentStatusEnum;

  @Field(() => EnrollmentSourceEnum)
  source!: EnrollmentSourceEnum;

  @Field(() => String, { nullable: true, description: 'The commerce order that granted it.' })
  orderId!: string | null;

  @Field(() => Date, { nullable: true })
  invitedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Access start: drip offsets count from here.' })
  activatedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  cancelledAt!: Date | null;

  @Field(() => Int, { description: 'Completed required lessons, percent (0–100).' })
  progressPercent!: number;

  @Field(() => Date, { nullable: true })
  lastActivityAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  entity!: EnrollmentEntity;

  static from(entity: EnrollmentEntity): Enrollment {
    return Object.assign(new Enrollment(), {
      id: entity.id,
      courseId: entity.courseId,
      status: entity.status as EnrollmentStatusEnum,
      source: entity.source as EnrollmentSourceEnum,
      orderId: entity.orderId,
      invitedAt: entity.invitedAt,
      activatedAt: entity.activatedAt,
      completedAt: entity.completedAt,
      cancelledAt: entity.cancelledAt,
      progressPercent: entity.progressPercent,
      lastActivityAt: entity.lastActivityAt,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

export const EnrollmentConnection = ConnectionType(Enrollment, 'Enrollment');

@ObjectType('EnrollmentPayload')
export class EnrollmentPayload {
  @Field(() => Enrollment)
  enrollment!: Enrollment;
}

@ArgsType()
export class EnrollmentsArgs extends ConnectionArgs {
  @Field(() => EnrollmentStatusEnum, { nullable: true })
  status?: EnrollmentStatusEnum | null;
}

@InputType('EnrollInCourseInput')
export class EnrollInCourseInput {
  @Field(() => ID)
  courseId!: string;
}

@InputType('EnrollLearnerInput')
export class EnrollLearnerInput {
  @Field(() => ID)
  courseId!: string;

  @Field(() => ID)
  userId!: string;

  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Invite (INVITED until the learner accepts) instead of enrolling at once.',
  })
  invite!: boolean;
}

@InputType('CancelEnrollmentInput')
export class CancelEnrollmentInput {
  @Field(() => ID)
  enrollmentId!: string;
}
