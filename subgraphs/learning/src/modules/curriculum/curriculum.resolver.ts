import { Public, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { lessonAccessInRequest, mayViewCourse, viewerEnrollment } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Asset } from '../../external/asset.external.js';
import { assertOpen } from '../access/access.service.js';
import { moduleAccess } from '../access/lesson-access.js';
import { Course } from '../course/course.type.js';
import { LessonProgress } from '../progress/progress.type.js';
import type { LessonEntity } from './curriculum.entity.js';
import {
  AddCourseModuleInput,
  AddLessonInput,
  CourseModule,
  CourseModuleIdInput,
  CourseModulePayload,
  CourseModulesPayload,
  DeleteCourseModulePayload,
  DeleteLessonPayload,
  Lesson,
  LessonAccess,
  LessonAccessStateEnum,
  LessonIdInput,
  LessonPayload,
  ModuleAccess,
  MoveCourseModuleInput,
  MoveLessonInput,
  UpdateCourseModuleInput,
  UpdateLessonInput,
} from './curriculum.type.js';

@Resolver(() => CourseModule)
export class CourseModuleResolver extends ServicesResolver {
  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => CourseModulePayload, { description: 'Adds a module (at `position`, default the end).' })
  async addCourseModule(
    @Arg('input', () => AddCourseModuleInput) input: AddCourseModuleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CourseModulePayload> {
    const { courseId, ...fields } = input;
    return {
      module: CourseModule.from(await this.services.curriculum.addModule(viewerOf(ctx), courseId, fields)),
    };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => CourseModulePayload, { description: 'Title and drip settings.' })
  async updateCourseModule(
    @Arg('input', () => UpdateCourseModuleInput) input: UpdateCourseModuleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CourseModulePayload> {
    const { moduleId, ...fields } = input;
    return {
      module: CourseModule.from(await this.services.curriculum.updateModule(viewerOf(ctx), moduleId, fields)),
    };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => CourseModulesPayload, { description: 'Moves a module; positions stay 1…n.' })
  async moveCourseModule(
    @Arg('input', () => MoveCourseModuleInput) input: MoveCourseModuleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CourseModulesPayload> {
    const modules = await this.services.curriculum.moveModule(viewerOf(ctx), input.moduleId, input.position);
    return { modules: modules.map(CourseModule.from) };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => DeleteCourseModulePayload, { description: 'Deletes a module and its lessons.' })
  async deleteCourseModule(
    @Arg('input', () => CourseModuleIdInput) input: CourseModuleIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteCourseModulePayload> {
    const courseId = await this.services.curriculum.deleteModule(viewerOf(ctx), input.moduleId);
    const modules = await this.services.curriculum.modulesOf([courseId]);
    return { deletedModuleId: input.moduleId, modules: modules.map(CourseModule.from) };
  }

  @FieldResolver(() => [Lesson], { description: 'In order (at most 200).' })
  async lessons(@Root() module: CourseModule, @Ctx() ctx: RequestContext): Promise<Lesson[]> {
    const lessons = await ctx.loaders.get(this.services.loaders.lessons).load(module.id);
    const byId = ctx.loaders.get(this.services.loaders.lesson);
    for (const l of lessons) byId.prime(l.id, l);
    return lessons.map(Lesson.from);
  }

  @FieldResolver(() => ModuleAccess, { description: 'The drip lock of this module for the viewer.' })
  async access(@Root() module: CourseModule, @Ctx() ctx: RequestContext): Promise<ModuleAccess> {
    const [course, enrollment] = await Promise.all([
      ctx.loaders.get(this.services.loaders.course).load(module.courseId),
      viewerEnrollment(this.services, module.courseId, ctx),
    ]);
    if (!course) return { locked: true, unlocksAt: null };
    return moduleAccess({
      viewer: ctx.viewer,
      course,
      module: module.entity,
      enrollment,
      now: this.services.clock.now(),
    });
  }
}

@Resolver(() => Lesson)
export class LessonResolver extends ServicesResolver {
  private async open(lesson: Lesson, ctx: RequestContext): Promise<LessonEntity> {
    assertOpen(await lessonAccessInRequest(this.services, lesson.entity, ctx));
    return lesson.entity;
  }

  @Public()
  @Query(() => Lesson, {
    nullable: true,
    description: 'A lesson of a course the viewer may see; its content fields need access.',
  })
  async lesson(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Lesson | null> {
    const lesson = await ctx.loaders.get(this.services.loaders.lesson).load(id);
    if (!lesson) return null;
    const course = await ctx.loaders.get(this.services.loaders.course).load(lesson.courseId);
    return course && (await mayViewCourse(this.services, course, ctx)) ? Lesson.from(lesson) : null;
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => LessonPayload, {
    description: 'Adds a lesson to a module (at `position`, default the end).',
  })
  async addLesson(
    @Arg('input', () => AddLessonInput) input: AddLessonInput,
    @Ctx() ctx: RequestContext,
  ): Promise<LessonPayload> {
    const { moduleId, ...fields } = input;
    return { lesson: Lesson.from(await this.services.curriculum.addLesson(viewerOf(ctx), moduleId, fields)) };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => LessonPayload)
  async updateLesson(
    @Arg('input', () => UpdateLessonInput) input: UpdateLessonInput,
    @Ctx() ctx: RequestContext,
  ): Promise<LessonPayload> {
    const { lessonId, ...fields } = input;
    return {
      lesson: Lesson.from(await this.services.curriculum.updateLesson(viewerOf(ctx), lessonId, fields)),
    };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => LessonPayload, {
    description: 'Reorders a lesson, or moves it to another module of the course.',
  })
  async moveLesson(
    @Arg('input', () => MoveLessonInput) input: MoveLessonInput,
    @Ctx() ctx: RequestContext,
  ): Promise<LessonPayload> {
    return {
      lesson: Lesson.from(
        await this.services.curriculum.moveLesson(
          viewerOf(ctx),
          input.lessonId,
          input.position,
          input.moduleId ?? null,
        ),
      ),
    };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => DeleteLessonPayload)
  async deleteLesson(
    @Arg('input', () => LessonIdInput) input: LessonIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteLessonPayload> {
    const lesson = await this.services.curriculum.deleteLesson(viewerOf(ctx), input.lessonId);
    const [module] = await this.services.curriculum.modulesByIds([lesson.moduleId]);
    return { deletedLessonId: lesson.id, module: CourseModule.from(module!) };
  }

  @FieldResolver(() => Course, { nullable: true })
  async course(@Root() lesson: Lesson, @Ctx() ctx: RequestContext): Promise<Course | null> {
    const course = await ctx.loaders.get(this.services.loaders.course).load(lesson.courseId);
    return course ? Course.from(course) : null;
  }

  @FieldResolver(() => LessonAccess, {
    description: 'Whether the viewer may open the content, and when it unlocks.',
  })
  async access(@Root() lesson: Lesson, @Ctx() ctx: RequestContext): Promise<LessonAccess> {
    const access = await lessonAccessInRequest(this.services, lesson.entity, ctx);
    return {
      state: access.state as LessonAccessStateEnum,
      locked: access.state !== 'OPEN',
      unlocksAt: access.unlocksAt,
    };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Sanitised HTML. FORBIDDEN without access, CONTENT_LOCKED before its release.',
  })
  async body(@Root() lesson: Lesson, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await this.open(lesson, ctx)).bodyHtml;
  }

  @FieldResolver(() => Asset, {
    nullable: true,
    description:
      'The media asset (media signs its URL). FORBIDDEN without access, CONTENT_LOCKED before its release.',
  })
  async asset(@Root() lesson: Lesson, @Ctx() ctx: RequestContext): Promise<Asset | null> {
    const entity = await this.open(lesson, ctx);
    return entity.assetId ? { id: entity.assetId } : null;
  }

  @FieldResolver(() => LessonProgress, {
    nullable: true,
    description: 'The viewer’s progress in this lesson.',
  })
  async viewerProgress(@Root() lesson: Lesson, @Ctx() ctx: RequestContext): Promise<LessonProgress | null> {
    if (!ctx.viewer) return null;
    const progress = await ctx.loaders
      .get(this.services.loaders.progress)
      .load(`${ctx.viewer.userId}|${lesson.id}`);
    return progress ? LessonProgress.from(progress) : null;
  }
}
