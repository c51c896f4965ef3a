import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CourseModuleEntity, LessonEntity } from './curriculum.entity.js';

export enum LessonContentKindEnum {
  VIDEO = 'VIDEO',
  AUDIO = 'AUDIO',
  SLIDES = 'SLIDES',
  PDF = 'PDF',
  TEXT = 'TEXT',
}
registerEnumType(LessonContentKindEnum, {
  name: 'LessonContentKind',
  description: 'TEXT lessons carry sanitised rich text; the others a media asset (plus optional notes).',
});

export enum LessonAccessStateEnum {
  OPEN = 'OPEN',
  LOCKED = 'LOCKED',
  ENROLLMENT_REQUIRED = 'ENROLLMENT_REQUIRED',
}
registerEnumType(LessonAccessStateEnum, {
  name: 'LessonAccessState',
  description:
    'OPEN: content is served. LOCKED: enrolled, released at `unlocksAt` (drip). ENROLLMENT_REQUIRED: no active enrollment.',
});

@ObjectType('CourseModule')
export class CourseModule {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int, { description: '1…n within the course.' })
  position!: number;

  @Field(() => Int, { nullable: true, description: 'Unlocks this many days after the learner enrolled.' })
  releaseOffsetDays!: number | null;

  @Field(() => Date, { nullable: true, description: 'Unlocks at this fixed time.' })
  releaseAt!: Date | null;

  entity!: CourseModuleEntity;

  static from(entity: CourseModuleEntity): CourseModule {
    return Object.assign(new CourseModule(), {
      id: entity.id,
      courseId: entity.courseId,
      title: entity.title,
      position: entity.position,
      releaseOffsetDays: entity.releaseOffsetDays,
      releaseAt: entity.releaseAt,
      entity,
    });
  }
}

@Directive('@key(fields: "id")')
@ObjectType('Lesson', {
  description: 'Outline fields are public with the course; `body` and `asset` need access (see `access`).',
})
export class Lesson {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  courseId!: string;

  @Field(() => ID)
  moduleId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int, { description: '1…n within the module.' })
  position!: number;

  @Field(() => LessonContentKindEnum)
  contentKind!: LessonContentKindEnum;

  @Field(() => Int, { nullable: true })
  durationSeconds!: number | null;

  @Field(() => Boolean, { description: 'Free preview: open to anyone while the course is published.' })
  isPreview!: boolean;

  @Field(() => Boolean, { description: 'Counts towards completion and the certificate.' })
  isRequired!: boolean;

  @Field(() => Int, { nullable: true })
  releaseOffsetDays!: number | null;

  @Field(() => Date, { nullable: true })
  releaseAt!: Date | null;

  entity!: LessonEntity;

  static from(entity: LessonEntity): Lesson {
    return Object.assign(new Lesson(), {
      id: entity.id,
      courseId: entity.courseId,
      moduleId: entity.moduleId,
      title: entity.title,
      position: entity.position,
      contentKind: entity.contentKind as LessonContentKindEnum,
      durationSeconds: entity.durationSeconds,
      isPreview: entity.isPreview,
      isRequired: entity.isRequired,
      releaseOffsetDays: entity.releaseOffsetDays,
      releaseAt: entity.releaseAt,
      entity,
    });
  }
}

@ObjectType('LessonAccess')
export class LessonAccess {
  @Field(() => LessonAccessStateEnum)
  state!: LessonAccessStateEnum;

  @Field(() => Boolean, { description: 'Not OPEN.' })
  locked!: boolean;

  @Field(() => Date, { nullable: true, description: 'When the drip schedule releases it for the viewer.' })
  unlocksAt!: Date | null;
}

@ObjectType('ModuleAccess')
export class ModuleAccess {
  @Field(() => Boolean)
  locked!: boolean;

  @Field(() => Date, { nullable: true })
  unlocksAt!: Date | null;
}

@ObjectType('CourseModulePayload')
export class CourseModulePayload {
  @Field(() => CourseModule)
  module!: CourseModule;
}

@ObjectType('CourseModulesPayload')
export class CourseModulesPayload {
  @Field(() => [CourseModule], { description: 'The course’s modules in their new order.' })
  modules!: CourseModule[];
}

@ObjectType('DeleteCourseModulePayload')
export class DeleteCourseModulePayload {
  @Field(() => ID)
  deletedModuleId!: string;

  @Field(() => [CourseModule])
  modules!: CourseModule[];
}

@ObjectType('LessonPayload')
export class LessonPayload {
  @Field(() => Lesson)
  lesson!: Lesson;
}

@ObjectType('DeleteLessonPayload')
export class DeleteLessonPayload {
  @Field(() => ID)
  deletedLessonId!: string;

  @Field(() => CourseModule)
  module!: CourseModule;
}

/** Drip fields shared by module and lesson inputs (not reachable on its own, so not in the schema). */
@InputType('ReleaseBase')
class ReleaseInput {
  @Field(() => Int, { nullable: true, description: 'Days after enrollment (0–3650); null clears.' })
  releaseOffsetDays?: number | null;

  @Field(() => Date, { nullable: true, description: 'A fixed release time; null clears.' })
  releaseAt?: Date | null;
}

@InputType('AddCourseModuleInput')
export class AddCourseModuleInput extends ReleaseInput {
  @Field(() => ID)
  courseId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int, { nullable: true, description: '1-based; default the end.' })
  position?: number | null;
}

@InputType('UpdateCourseModuleInput')
export class UpdateCourseModuleInput extends ReleaseInput {
  @Field(() => ID)
  moduleId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;
}

@InputType('MoveCourseModuleInput')
export class MoveCourseModuleInput {
  @Field(() => ID)
  moduleId!: string;

  @Field(() => Int, { description: '1-based; past the end means last.' })
  position!: number;
}

@InputType('CourseModuleIdInput')
export class CourseModuleIdInput {
  @Field(() => ID)
  moduleId!: string;
}

/** Fields shared by the add and update lesson inputs. */
@InputType('LessonFieldsBase')
class LessonFieldsInput extends ReleaseInput {
  @Field(() => LessonContentKindEnum, { nullable: true })
  contentKind?: LessonContentKindEnum | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'Media asset (VIDEO, AUDIO, SLIDES, PDF). Upload it RESTRICTED with ownerDomain "learning" and subjectRef "Lesson:<id>".',
  })
  assetId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Rich text; sanitised (allow-listed tags and attributes).',
  })
  bodyHtml?: string | null;

  @Field(() => Int, { nullable: true })
  durationSeconds?: number | null;

  @Field(() => Boolean, { nullable: true })
  isPreview?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  isRequired?: boolean | null;
}

@InputType('AddLessonInput')
export class AddLessonInput extends LessonFieldsInput {
  @Field(() => ID)
  moduleId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int, { nullable: true, description: '1-based; default the end.' })
  position?: number | null;
}

@InputType('UpdateLessonInput')
export class UpdateLessonInput extends LessonFieldsInput {
  @Field(() => ID)
  lessonId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;
}

@InputType('MoveLessonInput')
export class MoveLessonInput {
  @Field(() => ID)
  lessonId!: string;

  @Field(() => Int, { description: '1-based; past the end means last.' })
  position!: number;

  @Field(() => ID, { nullable: true, description: 'Another module of the same course (default: its own).' })
  moduleId?: string | null;
}

@InputType('LessonIdInput')
export class LessonIdInput {
  @Field(() => ID)
  lessonId!: string;
}
