import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Enrollment } from '../enrollment/enrollment.type.js';
import type { CertificateEntity, LessonProgressEntity } from './progress.entity.js';

@ObjectType('LessonProgress')
export class LessonProgress {
  @Field(() => ID)
  lessonId!: string;

  @Field(() => Boolean)
  completed!: boolean;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'Video/audio position.' })
  positionSeconds!: number | null;

  @Field(() => Int, { nullable: true, description: 'Slides/PDF page.' })
  positionPage!: number | null;

  @Field(() => Date)
  updatedAt!: Date;

  static from(entity: LessonProgressEntity): LessonProgress {
    return Object.assign(new LessonProgress(), {
      lessonId: entity.lessonId,
      completed: entity.completedAt !== null,
      completedAt: entity.completedAt,
      positionSeconds: entity.positionSeconds,
      positionPage: entity.positionPage,
      updatedAt: entity.updatedAt,
    });
  }
}

@ObjectType('CourseCertificate', {
  description: 'Issued when every required lesson is done; anyone can verify it by `verificationId`.',
})
export class CourseCertificate {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Public id (16 characters) printed on the certificate.' })
  verificationId!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => String, { description: 'The course title when it was issued.' })
  courseTitle!: string;

  @Field(() => Date)
  issuedAt!: Date;

  userId!: string;

  static from(entity: CertificateEntity): CourseCertificate {
    return Object.assign(new CourseCertificate(), {
      id: entity.id,
      verificationId: entity.verificationId,
      courseId: entity.courseId,
      courseTitle: entity.courseTitle,
      issuedAt: entity.issuedAt,
      userId: entity.userId,
    });
  }
}

@ObjectType('LessonProgressPayload')
export class LessonProgressPayload {
  @Field(() => LessonProgress)
  progress!: LessonProgress;

  @Field(() => Enrollment)
  enrollment!: Enrollment;

  @Field(() => CourseCertificate, { nullable: true, description: 'Set once the course is completed.' })
  certificate!: CourseCertificate | null;
}

@InputType('SaveLessonPositionInput')
export class SaveLessonPositionInput {
  @Field(() => ID)
  lessonId!: string;

  @Field(() => Int, { nullable: true })
  positionSeconds?: number | null;

  @Field(() => Int, { nullable: true })
  positionPage?: number | null;
}

@InputType('CompleteLessonInput')
export class CompleteLessonInput {
  @Field(() => ID)
  lessonId!: string;
}
