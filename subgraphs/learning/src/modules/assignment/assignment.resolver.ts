import {
  Authenticated,
  ConnectionArgs,
  ConnectionType,
  ForbiddenError,
  Public,
  Roles,
  type RequestContext,
} from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  mapConnection,
  mayViewCourse,
  moduleItemAccessInRequest,
  viewerEnrollment,
} from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Asset } from '../../external/asset.external.js';
import { User } from '../../external/user.external.js';
import { assertOpen } from '../access/access.service.js';
import { isCourseStaff } from '../access/lesson-access.js';
import { Course } from '../course/course.type.js';
import { LessonAccess, LessonAccessStateEnum } from '../curriculum/curriculum.type.js';
import { Enrollment } from '../enrollment/enrollment.type.js';
import { dueAt } from './assignment.service.js';
import {
  AddAssignmentInput,
  Assignment,
  AssignmentPayload,
  AssignmentSubmission,
  AssignmentSubmissionPayload,
  GradeBookRow,
  GradeStatusEnum,
  GradeSubmissionInput,
  SubmitAssignmentInput,
  UpdateAssignmentInput,
} from './assignment.type.js';

export const GradeBookConnection = ConnectionType(GradeBookRow, 'GradeBook');

@Resolver(() => Assignment)
export class AssignmentResolver extends ServicesResolver {
  @Public()
  @Query(() => Assignment, { nullable: true, description: 'An assignment of a course the viewer may see.' })
  async assignment(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Assignment | null> {
    const assignment = await ctx.loaders.get(this.services.loaders.assignment).load(id);
    if (!assignment) return null;
    const course = await ctx.loaders.get(this.services.loaders.course).load(assignment.courseId);
    return course && (await mayViewCourse(this.services, course, ctx)) ? Assignment.from(assignment) : null;
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => AssignmentPayload, { description: 'Adds an assignment to a module.' })
  async addAssignment(
    @Arg('input', () => AddAssignmentInput) input: AddAssignmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AssignmentPayload> {
    const { moduleId, ...fields } = input;
    return {
      assignment: Assignment.from(await this.services.assignments.add(viewerOf(ctx), moduleId, fields)),
    };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => AssignmentPayload)
  async updateAssignment(
    @Arg('input', () => UpdateAssignmentInput) input: UpdateAssignmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AssignmentPayload> {
    const { assignmentId, ...fields } = input;
    return {
      assignment: Assignment.from(
        await this.services.assignments.update(viewerOf(ctx), assignmentId, fields),
      ),
    };
  }

  @Authenticated()
  @Mutation(() => AssignmentSubmissionPayload, {
    description:
      'Hands in (or resubmits) work for a released assignment of a course the viewer is enrolled in.',
  })
  async submitAssignment(
    @Arg('input', () => SubmitAssignmentInput) input: SubmitAssignmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AssignmentSubmissionPayload> {
    const { submission, enrollment } = await this.services.assignments.submit(
      viewerOf(ctx),
      input.assignmentId,
      input.bodyHtml ?? null,
      input.assetIds ?? null,
    );
    return { submission: AssignmentSubmission.from(submission), enrollment: Enrollment.from(enrollment) };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => AssignmentSubmissionPayload, {
    description: 'Grades a submission with feedback (the instructor).',
  })
  async gradeSubmission(
    @Arg('input', () => GradeSubmissionInput) input: GradeSubmissionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AssignmentSubmissionPayload> {
    const { submission, enrollment } = await this.services.assignments.grade(
      viewerOf(ctx),
      input.submissionId,
      input.score,
      input.feedback ?? null,
    );
    return {
      submission: AssignmentSubmission.from(submission),
      enrollment: enrollment ? Enrollment.from(enrollment) : null,
    };
  }

  @FieldResolver(() => LessonAccess)
  async access(@Root() assignment: Assignment, @Ctx() ctx: RequestContext): Promise<LessonAccess> {
    const access = await moduleItemAccessInRequest(this.services, assignment, ctx);
    return {
      state: access.state as LessonAccessStateEnum,
      locked: access.state !== 'OPEN',
      unlocksAt: access.unlocksAt,
    };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Sanitised HTML. FORBIDDEN without access, CONTENT_LOCKED before the module is released.',
  })
  async instructions(@Root() assignment: Assignment, @Ctx() ctx: RequestContext): Promise<string> {
    assertOpen(await moduleItemAccessInRequest(this.services, assignment, ctx));
    return assignment.entity.instructionsHtml;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When it is due for the viewer.' })
  async viewerDueAt(@Root() assignment: Assignment, @Ctx() ctx: RequestContext): Promise<Date | null> {
    const enrollment = await viewerEnrollment(this.services, assignment.courseId, ctx);
    return enrollment ? dueAt(assignment.entity, enrollment.activatedAt) : null;
  }

  @FieldResolver(() => [AssignmentSubmission], { description: 'The viewer’s submissions, newest first.' })
  async viewerSubmissions(
    @Root() assignment: Assignment,
    @Ctx() ctx: RequestContext,
  ): Promise<AssignmentSubmission[]> {
    if (!ctx.viewer) return [];
    const rows = await ctx.loaders
      .get(this.services.loaders.submissions)
      .load(`${assignment.id}|${ctx.viewer.userId}`);
    return rows.map(AssignmentSubmission.from);
  }

  @FieldResolver(() => [AssignmentSubmission], {
    description:
      'Every learner’s submissions, newest first (the instructor and admins; FORBIDDEN otherwise).',
  })
  async submissions(
    @Root() assignment: Assignment,
    @Ctx() ctx: RequestContext,
  ): Promise<AssignmentSubmission[]> {
    if (!ctx.viewer) throw new ForbiddenError('Only the instructor sees every submission.');
    return (await this.services.assignments.allSubmissions(ctx.viewer, assignment.entity)).map(
      AssignmentSubmission.from,
    );
  }
}

@Resolver(() => AssignmentSubmission)
export class SubmissionResolver extends ServicesResolver {
  @FieldResolver(() => User)
  learner(@Root() submission: AssignmentSubmission): User {
    return { id: submission.entity.userId };
  }

  @FieldResolver(() => [Asset])
  assets(@Root() submission: AssignmentSubmission): Asset[] {
    return submission.entity.assetIds.map((id) => ({ id }));
  }
}

@Resolver(() => Course)
export class GradeBookResolver extends ServicesResolver {
  @FieldResolver(() => GradeBookConnection, {
    description:
      'Grades per learner (enrollments newest first); the instructor and admins, FORBIDDEN otherwise.',
  })
  async gradeBook(
    @Root() course: Course,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ) {
    if (!ctx.viewer || !isCourseStaff(ctx.viewer, course.entity))
      throw new ForbiddenError('Only the instructor sees the grade book.');
    const page = await this.services.enrollments.ofCourse(ctx.viewer, course.entity, args, null);
    const userIds = page.edges.map((e) => e.node.userId);
    const book = await this.services.assignments.gradeBook(course.id, userIds);
    return mapConnection(page, (enrollment) => {
      const mine = book.forUser(enrollment.userId);
      return Object.assign(new GradeBookRow(), {
        id: enrollment.id,
        enrollment: Enrollment.from(enrollment),
        assignments: book.assignments.map((a) => {
          const submissions = mine.submissions.filter((s) => s.assignmentId === a.id);
          const latest = submissions[0];
          return {
            assignmentId: a.id,
            status: latest ? (latest.status as GradeStatusEnum) : GradeStatusEnum.NOT_SUBMITTED,
            score: latest?.score ?? null,
            maxScore: a.maxScore,
            submissions: submissions.length,
            late: latest?.late ?? false,
          };
        }),
        quizzes: book.quizzes.map((q) => {
          const attempts = mine.attempts.filter((t) => t.quizId === q.id && t.submittedAt !== null);
          const percents = attempts.map((t) => t.percent ?? 0);
          return {
            quizId: q.id,
            attempts: attempts.length,
            bestPercent: percents.length ? Math.max(...percents) : null,
            passed: attempts.some((t) => t.passed),
          };
        }),
      });
    });
  }
}
