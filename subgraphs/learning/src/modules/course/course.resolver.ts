import { ConnectionArgs, ForbiddenError, Public, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mapConnection, mayViewCourse, viewerEnrollment } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { isCourseStaff } from '../access/lesson-access.js';
import { CourseModule } from '../curriculum/curriculum.type.js';
import { Enrollment, EnrollmentConnection, EnrollmentsArgs } from '../enrollment/enrollment.type.js';
import type { CourseEntity } from './course.entity.js';
import {
  Course,
  CourseConnection,
  CourseIdInput,
  CoursePayload,
  CoursesFilter,
  CreateCourseInput,
  RejectCourseInput,
  SetCoursePrerequisitesInput,
  UpdateCourseInput,
} from './course.type.js';

const payload = (course: CourseEntity): CoursePayload => ({ course: Course.from(course) });

@Resolver(() => Course)
export class CourseResolver extends ServicesResolver {
  @Public()
  @Query(() => Course, {
    nullable: true,
    description:
      'A course by id or slug: published ones for everyone, others for their instructor, admins and enrolled learners.',
  })
  async course(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('slug', () => String, { nullable: true }) slug?: string | null,
  ): Promise<Course | null> {
    const course = await this.services.courses.find(ctx.viewer, { id: id ?? null, slug: slug ?? null });
    return course ? Course.from(course) : null;
  }

  @Public()
  @Query(() => CourseConnection, {
    description: 'The catalogue, newest first (published courses unless `mine`).',
  })
  async courses(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => CoursesFilter, { nullable: true }) filter?: CoursesFilter | null,
  ) {
    const page = await this.services.courses.list(ctx.viewer, filter ?? {}, args);
    const courseLoader = ctx.loaders.get(this.services.loaders.course);
    for (const edge of page.edges) courseLoader.prime(edge.node.id, edge.node);
    return mapConnection(page, Course.from);
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => CoursePayload, { description: 'A DRAFT course taught by the viewer.' })
  async createCourse(
    @Arg('input', () => CreateCourseInput) input: CreateCourseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CoursePayload> {
    return payload(await this.services.courses.create(viewerOf(ctx), input));
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => CoursePayload, { description: 'Its instructor or an admin; not when ARCHIVED.' })
  async updateCourse(
    @Arg('input', () => UpdateCourseInput) input: UpdateCourseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CoursePayload> {
    const { courseId, ...fields } = input;
    return payload(await this.services.courses.update(viewerOf(ctx), courseId, fields));
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => CoursePayload, { description: 'DRAFT → REVIEW (needs at least one lesson).' })
  async submitCourseForReview(
    @Arg('input', () => CourseIdInput) input: CourseIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CoursePayload> {
    return payload(await this.services.courses.submitForReview(viewerOf(ctx), input.courseId));
  }

  @Roles('ADMIN')
  @Mutation(() => CoursePayload, { description: 'REVIEW → PUBLISHED (admins).' })
  async approveCourse(
    @Arg('input', () => CourseIdInput) input: CourseIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CoursePayload> {
    return payload(await this.services.courses.approve(viewerOf(ctx), input.courseId));
  }

  @Roles('ADMIN')
  @Mutation(() => CoursePayload, { description: 'REVIEW → DRAFT with a note for the instructor (admins).' })
  async rejectCourse(
    @Arg('input', () => RejectCourseInput) input: RejectCourseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CoursePayload> {
    return payload(await this.services.courses.reject(viewerOf(ctx), input.courseId, input.note));
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => CoursePayload, { description: 'Leaves the catalogue; enrolled learners keep access.' })
  async archiveCourse(
    @Arg('input', () => CourseIdInput) input: CourseIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CoursePayload> {
    return payload(await this.services.courses.archive(viewerOf(ctx), input.courseId));
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => CoursePayload, { description: 'Replaces the prerequisites (no cycles).' })
  async setCoursePrerequisites(
    @Arg('input', () => SetCoursePrerequisitesInput) input: SetCoursePrerequisitesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CoursePayload> {
    return payload(
      await this.services.courses.setPrerequisites(viewerOf(ctx), input.courseId, input.prerequisiteIds),
    );
  }

  @FieldResolver(() => User)
  instructor(@Root() course: Course): User {
    return { id: course.entity.instructorId };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The reviewer’s note (instructor and admins).',
  })
  reviewNote(@Root() course: Course, @Ctx() ctx: RequestContext): string | null {
    return isCourseStaff(ctx.viewer, course.entity) ? course.entity.reviewNote : null;
  }

  @FieldResolver(() => [CourseModule], { description: 'In order (at most 100).' })
  async modules(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<CourseModule[]> {
    const modules = await ctx.loaders.get(this.services.loaders.modules).load(course.id);
    const byId = ctx.loaders.get(this.services.loaders.module);
    for (const m of modules) byId.prime(m.id, m);
    return modules.map(CourseModule.from);
  }

  @FieldResolver(() => Int)
  async lessonCount(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<number> {
    return (await ctx.loaders.get(this.services.loaders.lessonCounts).load(course.id)).total;
  }

  @FieldResolver(() => [Course], { description: 'Courses to complete first (those the viewer may see).' })
  async prerequisites(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<Course[]> {
    const ids = await ctx.loaders.get(this.services.loaders.prerequisites).load(course.id);
    const courses = await ctx.loaders.get(this.services.loaders.course).loadMany(ids);
    const visible: Course[] = [];
    for (const c of courses)
      if (c && !(c instanceof Error) && (await mayViewCourse(this.services, c, ctx)))
        visible.push(Course.from(c));
    return visible;
  }

  @FieldResolver(() => Enrollment, { nullable: true, description: 'The viewer’s enrollment, if any.' })
  async viewerEnrollment(@Root() course: Course, @Ctx() ctx: RequestContext): Promise<Enrollment | null> {
    const enrollment = await viewerEnrollment(this.services, course.id, ctx);
    return enrollment ? Enrollment.from(enrollment) : null;
  }

  @FieldResolver(() => EnrollmentConnection, {
    description: 'The roster (instructor and admins; FORBIDDEN otherwise).',
  })
  async enrollments(
    @Root() course: Course,
    @Args(() => EnrollmentsArgs) args: EnrollmentsArgs,
    @Ctx() ctx: RequestContext,
  ) {
    if (!ctx.viewer) throw new ForbiddenError('Only the instructor sees the roster.');
    return mapConnection(
      await this.services.enrollments.ofCourse(viewerOf(ctx), course.entity, args, args.status ?? null),
      Enrollment.from,
    );
  }
}

/** `User.teaching` and `User.enrollments`: learning's fields on identity's User. */
@Resolver(() => User)
export class UserLearningResolver extends ServicesResolver {
  @FieldResolver(() => CourseConnection, {
    description: 'Courses the user teaches (every state for themselves and admins, published for others).',
  })
  async teaching(
    @Root() user: User,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ) {
    return mapConnection(await this.services.courses.teaching(ctx.viewer, user.id, args), Course.from);
  }

  @FieldResolver(() => EnrollmentConnection, {
    nullable: true,
    description: 'The user’s enrollments, newest first (themselves and admins; null for others).',
  })
  async enrollments(
    @Root() user: User,
    @Args(() => EnrollmentsArgs) args: EnrollmentsArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const viewer = ctx.viewer;
    if (!viewer || (viewer.userId !== user.id && !viewer.roles.includes('ADMIN'))) return null;
    return mapConnection(
      await this.services.enrollments.ofUser(viewer, user.id, args, args.status ?? null),
      Enrollment.from,
    );
  }
}
