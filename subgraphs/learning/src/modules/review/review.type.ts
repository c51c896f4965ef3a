import { ConnectionType } from '@edugraph/kit';
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { CourseReviewEntity } from './review.entity.js';

@ObjectType('CourseReview')
export class CourseReview {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => Int, { description: '1–5.' })
  rating!: number;

  @Field(() => String)
  body!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  userId!: string;

  static from(entity: CourseReviewEntity): CourseReview {
    return Object.assign(new CourseReview(), {
      id: entity.id,
      courseId: entity.courseId,
      rating: entity.rating,
      body: entity.body,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      userId: entity.userId,
    });
  }
}

export const CourseReviewConnection = ConnectionType(CourseReview, 'CourseReview');

@ObjectType('CourseRating')
export class CourseRating {
  @Field(() => Float, {
    nullable: true,
    description: 'Mean rating (1–5, two decimals); null without reviews.',
  })
  average!: number | null;

  @Field(() => Int)
  count!: number;
}

@ObjectType('CourseReviewPayload')
export class CourseReviewPayload {
  @Field(() => CourseReview)
  review!: CourseReview;
}

@ObjectType('DeleteCourseReviewPayload')
export class DeleteCourseReviewPayload {
  @Field(() => ID)
  courseId!: string;
}

@InputType('ReviewCourseInput')
export class ReviewCourseInput {
  @Field(() => ID)
  courseId!: string;

  @Field(() => Int, { description: '1–5.' })
  rating!: number;

  @Field(() => String, { nullable: true, description: 'At most 5000 characters.' })
  body?: string | null;
}

@InputType('DeleteCourseReviewInput')
export class DeleteCourseReviewInput {
  @Field(() => ID)
  courseId!: string;

  @Field(() => ID, { nullable: true, description: 'Another learner’s review (admins).' })
  userId?: string | null;
}
