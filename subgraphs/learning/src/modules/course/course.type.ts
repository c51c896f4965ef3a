import { ConnectionType } from '@edugraph/kit';
import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { CourseEntity } from './course.entity.js';

export enum CourseStatusEnum {
  DRAFT = 'DRAFT',
  REVIEW = 'REVIEW',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(CourseStatusEnum, {
  name: 'CourseStatus',
  description: 'DRAFT → REVIEW (submitted) → PUBLISHED (an admin approved) → ARCHIVED.',
});

export enum CourseLevelEnum {
  BEGINNER = 'BEGINNER',
  INTERMEDIATE = 'INTERMEDIATE',
  ADVANCED = 'ADVANCED',
  ALL_LEVELS = 'ALL_LEVELS',
}
registerEnumType(CourseLevelEnum, { name: 'CourseLevel' });

export enum DeliveryFormatEnum {
  SELF_PACED = 'SELF_PACED',
  COHORT = 'COHORT',
  LIVE = 'LIVE',
  BLENDED = 'BLENDED',
}
registerEnumType(DeliveryFormatEnum, { name: 'CourseDeliveryFormat' });

/** A course. Commerce (price), community, explorer and insights extend it. */
@Directive('@key(fields: "id")')
@ObjectType('Course')
export class Course {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  slug!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  summary!: string;

  @Field(() => CourseLevelEnum)
  level!: CourseLevelEnum;

  @Field(() => String, { nullable: true })
  category!: string | null;

  @Field(() => [String])
  tags!: string[];

  @Field(() => [String], { description: 'BCP 47 language codes.' })
  languages!: string[];

  @Field(() => DeliveryFormatEnum)
  deliveryFormat!: DeliveryFormatEnum;

  @Field(() => Boolean, {
    description: 'Free courses take self-enrollment; others are bought through commerce.',
  })
  isFree!: boolean;

  @Field(() => CourseStatusEnum)
  status!: CourseStatusEnum;

  @Field(() => Date, { nullable: true })
  submittedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  publishedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  archivedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  /** Not exposed: the row, for field resolvers. */
  entity!: CourseEntity;

  static from(entity: CourseEntity): Course {
    return Object.assign(new Course(), {
      id: entity.id,
      slug: entity.slug,
      title: entity.title,
      summary: entity.summary,
      level: entity.level as CourseLevelEnum,
      category: entity.category,
      tags: entity.tags,
      languages: entity.languages,
      deliveryFormat: entity.deliveryFormat as DeliveryFormatEnum,
      isFree: entity.isFree,
      status: entity.status as CourseStatusEnum,
      submittedAt: entity.submittedAt,
      publishedAt: entity.publishedAt,
      archivedAt: entity.archivedAt,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      entity,
    });
  }
}

export const CourseConnection = ConnectionType(Course, 'Course');

@ObjectType('CoursePayload')
export class CoursePayload {
  @Field(() => Course)
  course!: Course;
}

@InputType('CoursesFilter')
export class CoursesFilter {
  @Field(() => Boolean, { nullable: true, description: 'Courses the viewer teaches, in every state.' })
  mine?: boolean | null;

  @Field(() => CourseStatusEnum, {
    nullable: true,
    description: 'PUBLISHED for everyone; other states with `mine` or for admins (e.g. the REVIEW queue).',
  })
  status?: CourseStatusEnum | null;

  @Field(() => ID, { nullable: true })
  instructorId?: string | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => CourseLevelEnum, { nullable: true })
  level?: CourseLevelEnum | null;

  @Field(() => String, { nullable: true })
  tag?: string | null;

  @Field(() => Boolean, { nullable: true })
  isFree?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Words in the title or summary.' })
  search?: string | null;
}

/** Fields shared by the create and update inputs (not reachable on its own, so not in the schema). */
@InputType('CourseFieldsBase')
class CourseFieldsInput {
  @Field(() => String, {
    nullable: true,
    description: 'Lowercase words and dashes; from the title when absent.',
  })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 2000 characters.' })
  summary?: string | null;

  @Field(() => CourseLevelEnum, { nullable: true })
  level?: CourseLevelEnum | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => [String], { nullable: true, description: 'At most 20, lowercased.' })
  tags?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'BCP 47 codes, at most 10.' })
  languages?: string[] | null;

  @Field(() => DeliveryFormatEnum, { nullable: true })
  deliveryFormat?: DeliveryFormatEnum | null;

  @Field(() => Boolean, { nullable: true })
  isFree?: boolean | null;
}

@InputType('CreateCourseInput')
export class CreateCourseInput extends CourseFieldsInput {
  @Field(() => String, { description: '1–160 characters.' })
  title!: string;
}

@InputType('UpdateCourseInput')
export class UpdateCourseInput extends CourseFieldsInput {
  @Field(() => ID)
  courseId!: string;

  @Field(() => String, { nullable: true, description: '1–160 characters.' })
  title?: string | null;
}

@InputType('CourseIdInput')
export class CourseIdInput {
  @Field(() => ID)
  courseId!: string;
}

@InputType('RejectCourseInput')
export class RejectCourseInput {
  @Field(() => ID)
  courseId!: string;

  @Field(() => String, { description: 'What to change before submitting again (1–2000 characters).' })
  note!: string;
}

@InputType('SetCoursePrerequisitesInput')
export class SetCoursePrerequisitesInput {
  @Field(() => ID)
  courseId!: string;

  @Field(() => [ID], { description: 'Published courses (at most 10) the learner completes first.' })
  prerequisiteIds!: string[];
}
