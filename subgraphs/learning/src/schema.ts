import 'reflect-metadata';
import { buildFederatedSchema, type BuiltSubgraphSchema } from '@edugraph/kit';
import { mayViewCourse } from './common/request-access.js';
import { ServicesContainer } from './common/services-resolver.js';
import { userReferenceResolver } from './external/user.external.js';
import type { LearningServices } from './learning-services.js';
import {
  AssignmentResolver,
  GradeBookResolver,
  SubmissionResolver,
} from './modules/assignment/assignment.resolver.js';
import { CourseResolver, UserLearningResolver } from './modules/course/course.resolver.js';
import { Course } from './modules/course/course.type.js';
import { EbookChapterResolver, EbookResolver, UserLibraryResolver } from './modules/ebook/ebook.resolver.js';
import { Ebook } from './modules/ebook/ebook.type.js';
import { CourseModuleResolver, LessonResolver } from './modules/curriculum/curriculum.resolver.js';
import { Lesson } from './modules/curriculum/curriculum.type.js';
import { EnrollmentResolver } from './modules/enrollment/enrollment.resolver.js';
import { ProgressResolver } from './modules/progress/progress.resolver.js';
import { ModuleAssessmentsResolver, QuizResolver } from './modules/quiz/quiz.resolver.js';
import { CourseReviewFieldsResolver, ReviewResolver } from './modules/review/review.resolver.js';

/**
 * The learning subgraph schema. With services: resolvers call them. Without (composition,
 * `npm run compose`): the same SDL, resolvers unbound.
 */
export function buildLearningSchema(services: LearningServices | null = null): Promise<BuiltSubgraphSchema> {
  return buildFederatedSchema({
    resolvers: [
      CourseResolver,
      UserLearningResolver,
      CourseModuleResolver,
      LessonResolver,
      EnrollmentResolver,
      ProgressResolver,
      ReviewResolver,
      CourseReviewFieldsResolver,
      AssignmentResolver,
      SubmissionResolver,
      GradeBookResolver,
      QuizResolver,
      ModuleAssessmentsResolver,
      EbookResolver,
      EbookChapterResolver,
      UserLibraryResolver,
    ],
    container: new ServicesContainer(services),
    referenceResolvers: {
      User: userReferenceResolver,
      // A reference from another subgraph resolves only for viewers who may see the course.
      Course: {
        __resolveReference: async (reference, ctx) => {
          if (!services) return null;
          const course = await ctx.loaders.get(services.loaders.course).load(reference.id);
          return course && (await mayViewCourse(services, course, ctx)) ? Course.from(course) : null;
        },
      },
      Ebook: {
        __resolveReference: async (reference, ctx) => {
          if (!services) return null;
          const ebook = await ctx.loaders.get(services.loaders.ebook).load(reference.id);
          if (!ebook) return null;
          const owned =
            ctx.viewer !== null &&
            (await ctx.loaders
              .get(services.loaders.libraryEntry)
              .load(`${ebook.id}|${ctx.viewer.userId}`)) !== null;
          return services.ebooks.mayView(ctx.viewer, ebook, owned) ? Ebook.from(ebook) : null;
        },
      },
      Lesson: {
        __resolveReference: async (reference, ctx) => {
          if (!services) return null;
          const lesson = await ctx.loaders.get(services.loaders.lesson).load(reference.id);
          if (!lesson) return null;
          const course = await ctx.loaders.get(services.loaders.course).load(lesson.courseId);
          return course && (await mayViewCourse(services, course, ctx)) ? Lesson.from(lesson) : null;
        },
      },
    },
  });
}
