import { Authenticated, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mapConnection } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { Course } from '../course/course.type.js';
import { Lesson } from '../curriculum/curriculum.type.js';
import { CourseCertificate } from '../progress/progress.type.js';
import {
  CancelEnrollmentInput,
  EnrollInCourseInput,
  EnrollLearnerInput,
  Enrollment,
  EnrollmentConnection,
  EnrollmentPayload,
  EnrollmentsArgs,
} from './enrollment.type.js';

@Resolver(() => Enrollment)
export class EnrollmentResolver extends ServicesResolver {
  @Authenticated()
  @Query(() => EnrollmentConnection, { description: 'The viewer’s enrollments, newest first.' })
  async myEnrollments(@Args(() => EnrollmentsArgs) args: EnrollmentsArgs, @Ctx() ctx: RequestContext) {
    const viewer = viewerOf(ctx);
    return mapConnection(
      await this.services.enrollments.ofUser(viewer, viewer.userId, args, args.status ?? null),
      Enrollment.from,
    );
  }

  @Authenticated()
  @Mutation(() => EnrollmentPayload, {
    description:
      'Self-enrollment in a free published course (prerequisites completed), or accepting an invitation.',
  })
  async enrollInCourse(
    @Arg('input', () => EnrollInCourseInput) input: EnrollInCourseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EnrollmentPayload> {
    return {
      enrollment: Enrollment.from(await this.services.enrollments.enrollSelf(viewerOf(ctx), input.courseId)),
    };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => EnrollmentPayload, { description: 'The instructor enrolls (or invites) a learner.' })
  async enrollLearner(
    @Arg('input', () => EnrollLearnerInput) input: EnrollLearnerInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EnrollmentPayload> {
    return {
      enrollment: Enrollment.from(
        await this.services.enrollments.grant(viewerOf(ctx), input.courseId, input.userId, input.invite),
      ),
    };
  }

  @Authenticated()
  @Mutation(() => EnrollmentPayload, { description: 'INVITED → ACTIVE.' })
  async acceptCourseInvitation(
    @Arg('input', () => EnrollInCourseInput) input: EnrollInCourseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EnrollmentPayload> {
    return {
      enrollment: Enrollment.from(
        await this.services.enrollments.acceptInvitation(viewerOf(ctx), input.courseId),
      ),
    };
  }

  @Authenticated()
  @Mutation(() => EnrollmentPayload, {
    description: 'Its learner, the instructor or an admin; access ends at once.',
  })
  async cancelEnrollment(
    @Arg('input', () => CancelEnrollmentInput) input: CancelEnrollmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<EnrollmentPayload> {
    return {
      enrollment: Enrollment.from(await this.services.enrollments.cancel(viewerOf(ctx), input.enrollmentId)),
    };
  }

  @FieldResolver(() => User)
  user(@Root() enrollment: Enrollment): User {
    return { id: enrollment.entity.userId };
  }

  @FieldResolver(() => Course, { nullable: true })
  async course(@Root() enrollment: Enrollment, @Ctx() ctx: RequestContext): Promise<Course | null> {
    const course = await ctx.loaders.get(this.services.loaders.course).load(enrollment.courseId);
    return course ? Course.from(course) : null;
  }

  @FieldResolver(() => Lesson, {
    nullable: true,
    description: 'Where to continue: the lesson worked on last, else the first lesson.',
  })
  async resumeLesson(@Root() enrollment: Enrollment, @Ctx() ctx: RequestContext): Promise<Lesson | null> {
    const lessonId =
      enrollment.entity.lastLessonId ??
      (await ctx.loaders.get(this.services.loaders.firstLesson).load(enrollment.courseId));
    if (!lessonId) return null;
    const lesson = await ctx.loaders.get(this.services.loaders.lesson).load(lessonId);
    return lesson ? Lesson.from(lesson) : null;
  }

  @FieldResolver(() => CourseCertificate, { nullable: true })
  async certificate(
    @Root() enrollment: Enrollment,
    @Ctx() ctx: RequestContext,
  ): Promise<CourseCertificate | null> {
    const certificate = await ctx.loaders.get(this.services.loaders.certificate).load(enrollment.id);
    return certificate ? CourseCertificate.from(certificate) : null;
  }
}
