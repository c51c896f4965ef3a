import { Authenticated, Public, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mayViewCourse, moduleItemAccessInRequest } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { assertOpen } from '../access/access.service.js';
import { isCourseStaff } from '../access/lesson-access.js';
import { Assignment } from '../assignment/assignment.type.js';
import { CourseModule, LessonAccess, LessonAccessStateEnum } from '../curriculum/curriculum.type.js';
import { Enrollment } from '../enrollment/enrollment.type.js';
import { CourseCertificate } from '../progress/progress.type.js';
import {
  AddQuizInput,
  Quiz,
  QuizAttempt,
  QuizAttemptPayload,
  QuizIdInput,
  QuizPayload,
  QuizQuestion,
  SubmitQuizAttemptInput,
} from './quiz.type.js';

@Resolver(() => Quiz)
export class QuizResolver extends ServicesResolver {
  @Public()
  @Query(() => Quiz, { nullable: true, description: 'A quiz of a course the viewer may see.' })
  async quiz(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Quiz | null> {
    const quiz = await ctx.loaders.get(this.services.loaders.quiz).load(id);
    if (!quiz) return null;
    const course = await ctx.loaders.get(this.services.loaders.course).load(quiz.courseId);
    return course && (await mayViewCourse(this.services, course, ctx)) ? Quiz.from(quiz) : null;
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => QuizPayload, { description: 'Adds a quiz with its questions and answer key to a module.' })
  async addQuiz(
    @Arg('input', () => AddQuizInput) input: AddQuizInput,
    @Ctx() ctx: RequestContext,
  ): Promise<QuizPayload> {
    const { moduleId, ...fields } = input;
    return { quiz: Quiz.from(await this.services.quizzes.add(viewerOf(ctx), moduleId, fields)) };
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => QuizPayload, { description: 'Deletes a quiz with its attempts.' })
  async deleteQuiz(
    @Arg('input', () => QuizIdInput) input: QuizIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<QuizPayload> {
    return { quiz: Quiz.from(await this.services.quizzes.remove(viewerOf(ctx), input.quizId)) };
  }

  @Authenticated()
  @Mutation(() => QuizAttempt, {
    description: 'Starts an attempt (or returns the open one); LIMIT_REACHED when no attempt is left.',
  })
  async startQuizAttempt(
    @Arg('input', () => QuizIdInput) input: QuizIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<QuizAttempt> {
    return QuizAttempt.from(await this.services.quizzes.start(viewerOf(ctx), input.quizId));
  }

  @Authenticated()
  @Mutation(() => QuizAttemptPayload, {
    description:
      'Submits the answers: auto-graded at once; after the time limit the attempt expires with 0 points.',
  })
  async submitQuizAttempt(
    @Arg('input', () => SubmitQuizAttemptInput) input: SubmitQuizAttemptInput,
    @Ctx() ctx: RequestContext,
  ): Promise<QuizAttemptPayload> {
    const answers = input.answers.map((a) => ({
      questionId: a.questionId,
      optionIds: a.optionIds ?? [],
      text: a.text ?? null,
    }));
    const result = await this.services.quizzes.submit(viewerOf(ctx), input.attemptId, answers);
    return {
      attempt: QuizAttempt.from(result.attempt),
      enrollment: Enrollment.from(result.enrollment),
      certificate: result.certificate ? CourseCertificate.from(result.certificate) : null,
    };
  }

  @FieldResolver(() => LessonAccess)
  async access(@Root() quiz: Quiz, @Ctx() ctx: RequestContext): Promise<LessonAccess> {
    const access = await moduleItemAccessInRequest(this.services, quiz, ctx);
    return {
      state: access.state as LessonAccessStateEnum,
      locked: access.state !== 'OPEN',
      unlocksAt: access.unlocksAt,
    };
  }

  @FieldResolver(() => Int)
  async questionCount(@Root() quiz: Quiz, @Ctx() ctx: RequestContext): Promise<number> {
    return (await ctx.loaders.get(this.services.loaders.questions).load(quiz.id)).length;
  }

  @FieldResolver(() => [QuizQuestion], {
    description:
      'FORBIDDEN without access, CONTENT_LOCKED before the module is released; answer keys for staff only.',
  })
  async questions(@Root() quiz: Quiz, @Ctx() ctx: RequestContext): Promise<QuizQuestion[]> {
    assertOpen(await moduleItemAccessInRequest(this.services, quiz, ctx));
    const course = await ctx.loaders.get(this.services.loaders.course).load(quiz.courseId);
    const staff = course !== null && isCourseStaff(ctx.viewer, course);
    return (await ctx.loaders.get(this.services.loaders.questions).load(quiz.id)).map((q) =>
      QuizQuestion.from(q, staff),
    );
  }

  @FieldResolver(() => [QuizAttempt], { description: 'The viewer’s attempts, newest first.' })
  async viewerAttempts(@Root() quiz: Quiz, @Ctx() ctx: RequestContext): Promise<QuizAttempt[]> {
    if (!ctx.viewer) return [];
    return (
      await ctx.loaders.get(this.services.loaders.attempts).load(`${quiz.id}|${ctx.viewer.userId}`)
    ).map(QuizAttempt.from);
  }
}

/** `CourseModule.assignments` and `CourseModule.quizzes`. */
@Resolver(() => CourseModule)
export class ModuleAssessmentsResolver extends ServicesResolver {
  @FieldResolver(() => [Assignment])
  async assignments(@Root() module: CourseModule, @Ctx() ctx: RequestContext): Promise<Assignment[]> {
    return (await ctx.loaders.get(this.services.loaders.assignmentsByModule).load(module.id)).map(
      Assignment.from,
    );
  }

  @FieldResolver(() => [Quiz])
  async quizzes(@Root() module: CourseModule, @Ctx() ctx: RequestContext): Promise<Quiz[]> {
    return (await ctx.loaders.get(this.services.loaders.quizzesByModule).load(module.id)).map(Quiz.from);
  }
}
