import { randomBytes } from 'node:crypto';
import { byKey, groupByKey, type LoaderFactory, type Logger } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { systemClock, type Clock } from './common/clock.js';
import { AccessService } from './modules/access/access.service.js';
import type { AssignmentEntity, SubmissionEntity } from './modules/assignment/assignment.entity.js';
import { AssignmentService } from './modules/assignment/assignment.service.js';
import type { CourseEntity } from './modules/course/course.entity.js';
import { CourseService } from './modules/course/course.service.js';
import type { CourseModuleEntity, LessonEntity } from './modules/curriculum/curriculum.entity.js';
import type {
  EbookBookmarkEntity,
  EbookChapterEntity,
  EbookEntity,
  EbookHighlightEntity,
  EbookLibraryEntity,
  EbookProgressEntity,
} from './modules/ebook/ebook.entity.js';
import { EbookService } from './modules/ebook/ebook.service.js';
import { CurriculumService } from './modules/curriculum/curriculum.service.js';
import type { EnrollmentEntity } from './modules/enrollment/enrollment.entity.js';
import { EnrollmentService } from './modules/enrollment/enrollment.service.js';
import type { CertificateEntity, LessonProgressEntity } from './modules/progress/progress.entity.js';
import { ProgressService } from './modules/progress/progress.service.js';
import type { QuizAttemptEntity, QuizEntity, QuizQuestionEntity } from './modules/quiz/quiz.entity.js';
import { QuizService } from './modules/quiz/quiz.service.js';
import type { CourseReviewEntity } from './modules/review/review.entity.js';
import { ReviewService } from './modules/review/review.service.js';

/** Per-request DataLoaders (factories are per services instance, so `ctx.loaders.get(factory)` keys them). */
export type LearningLoaders = {
  course: LoaderFactory<string, CourseEntity | null>;
  /** Course id → its prerequisite course ids. */
  prerequisites: LoaderFactory<string, string[]>;
  /** Course id → modules in order. */
  modules: LoaderFactory<string, CourseModuleEntity[]>;
  module: LoaderFactory<string, CourseModuleEntity | null>;
  /** Module id → lessons in order. */
  lessons: LoaderFactory<string, LessonEntity[]>;
  lesson: LoaderFactory<string, LessonEntity | null>;
  lessonCounts: LoaderFactory<string, { total: number; required: number }>;
  /** Key `courseId|userId`. */
  enrollment: LoaderFactory<string, EnrollmentEntity | null>;
  /** Key `userId|lessonId`. */
  progress: LoaderFactory<string, LessonProgressEntity | null>;
  /** Enrollment id → certificate. */
  certificate: LoaderFactory<string, CertificateEntity | null>;
  /** Course id → its first lesson id. */
  firstLesson: LoaderFactory<string, string | null>;
  /** Key `courseId|userId`. */
  viewerReview: LoaderFactory<string, CourseReviewEntity | null>;
  assignment: LoaderFactory<string, AssignmentEntity | null>;
  assignmentsByModule: LoaderFactory<string, AssignmentEntity[]>;
  /** Key `assignmentId|userId` → submissions, newest first. */
  submissions: LoaderFactory<string, SubmissionEntity[]>;
  quiz: LoaderFactory<string, QuizEntity | null>;
  quizzesByModule: LoaderFactory<string, QuizEntity[]>;
  questions: LoaderFactory<string, QuizQuestionEntity[]>;
  /** Key `quizId|userId` → attempts, newest first. */
  attempts: LoaderFactory<string, QuizAttemptEntity[]>;
  ebook: LoaderFactory<string, EbookEntity | null>;
  chapters: LoaderFactory<string, EbookChapterEntity[]>;
  /** Key `ebookId|userId`. */
  libraryEntry: LoaderFactory<string, EbookLibraryEntity | null>;
  /** Key `ebookId|userId` (the viewer's own reading data). */
  highlights: LoaderFactory<string, EbookHighlightEntity[]>;
  bookmarks: LoaderFactory<string, EbookBookmarkEntity[]>;
  readingProgress: LoaderFactory<string, EbookProgressEntity | null>;
  downloadsUsed: LoaderFactory<string, number>;
};

export type LearningServices = {
  courses: CourseService;
  curriculum: CurriculumService;
  enrollments: EnrollmentService;
  progress: ProgressService;
  access: AccessService;
  reviews: ReviewService;
  assignments: AssignmentService;
  quizzes: QuizService;
  ebooks: EbookService;
  clock: Clock;
  loaders: LearningLoaders;
};

export type LearningServicesOptions = {
  dataSource: DataSource;
  logger: Logger;
  clock?: Clock;
  /** Watermarked downloads per reader and ebook (default 3) and the watermark HMAC key (default: random). */
  ebooks?: { downloadLimit?: number; watermarkSecret?: string };
};

export function createLearningServices(options: LearningServicesOptions): LearningServices {
  const { dataSource, logger } = options;
  const clock = options.clock ?? systemClock;
  const courses = new CourseService(dataSource, clock);
  const curriculum = new CurriculumService(dataSource, courses, clock);
  const access = new AccessService(dataSource, clock);
  const progress = new ProgressService(dataSource, access, clock);
  const reviews = new ReviewService(dataSource, clock);
  const assignments = new AssignmentService(dataSource, progress, clock);
  const quizzes = new QuizService(dataSource, progress, clock);
  const ebooks = new EbookService(dataSource, clock, {
    downloadLimit: options.ebooks?.downloadLimit ?? 3,
    watermarkSecret: options.ebooks?.watermarkSecret ?? randomBytes(32).toString('base64url'),
  });
  const enrollments = new EnrollmentService(dataSource, courses, clock, logger, ebooks);
  return {
    courses,
    curriculum,
    enrollments,
    progress,
    access,
    reviews,
    assignments,
    quizzes,
    ebooks,
    clock,
    loaders: {
      course: () => new DataLoader(async (ids) => byKey(ids, await courses.byIds(ids), (r) => r.id)),
      prerequisites: () =>
        new DataLoader(async (ids) =>
          groupByKey(ids, await courses.prerequisitesOf(ids), (r) => r.courseId).map((rows) =>
            rows.map((r) => r.prerequisiteId),
          ),
        ),
      modules: () =>
        new DataLoader(async (ids) => groupByKey(ids, await curriculum.modulesOf(ids), (r) => r.courseId)),
      module: () =>
        new DataLoader(async (ids) => byKey(ids, await curriculum.modulesByIds(ids), (r) => r.id)),
      lessons: () =>
        new DataLoader(async (ids) => groupByKey(ids, await curriculum.lessonsOf(ids), (r) => r.moduleId)),
      lesson: () =>
        new DataLoader(async (ids) => byKey(ids, await curriculum.lessonsByIds(ids), (r) => r.id)),
      lessonCounts: () =>
        new DataLoader(async (ids) => {
          const counts = await curriculum.lessonCounts(ids);
          return ids.map((id) => counts.get(id) ?? { total: 0, required: 0 });
        }),
      enrollment: () =>
        new DataLoader(async (keys) =>
          byKey(keys, await enrollments.byCourseAndUser(keys), (r) => `${r.courseId}|${r.userId}`),
        ),
      progress: () =>
        new DataLoader(async (keys) =>
          byKey(keys, await progress.progressOf(keys), (r) => `${r.userId}|${r.lessonId}`),
        ),
      certificate: () =>
        new DataLoader(async (ids) => byKey(ids, await progress.certificatesOf(ids), (r) => r.enrollmentId)),
      firstLesson: () =>
        new DataLoader(async (ids) => {
          const first = await progress.firstLessons(ids);
          return ids.map((id) => first.get(id) ?? null);
        }),
      viewerReview: () =>
        new DataLoader(async (keys) =>
          byKey(keys, await reviews.byCourseAndUser(keys), (r) => `${r.courseId}|${r.userId}`),
        ),
      assignment: () => new DataLoader(async (ids) => byKey(ids, await assignments.byIds(ids), (r) => r.id)),
      assignmentsByModule: () =>
        new DataLoader(async (ids) => groupByKey(ids, await assignments.ofModules(ids), (r) => r.moduleId)),
      submissions: () =>
        new DataLoader(async (keys) =>
          groupByKey(keys, await assignments.submissionsOf(keys), (r) => `${r.assignmentId}|${r.userId}`),
        ),
      quiz: () => new DataLoader(async (ids) => byKey(ids, await quizzes.byIds(ids), (r) => r.id)),
      quizzesByModule: () =>
        new DataLoader(async (ids) => groupByKey(ids, await quizzes.ofModules(ids), (r) => r.moduleId)),
      questions: () =>
        new DataLoader(async (ids) => groupByKey(ids, await quizzes.questionsOf(ids), (r) => r.quizId)),
      attempts: () =>
        new DataLoader(async (keys) =>
          groupByKey(keys, await quizzes.attemptsOf(keys), (r) => `${r.quizId}|${r.userId}`),
        ),
      ebook: () => new DataLoader(async (ids) => byKey(ids, await ebooks.byIds(ids), (r) => r.id)),
      chapters: () =>
        new DataLoader(async (ids) => groupByKey(ids, await ebooks.chaptersOf(ids), (r) => r.ebookId)),
      libraryEntry: () =>
        new DataLoader(async (keys) =>
          byKey(keys, await ebooks.libraryEntries(keys), (r) => `${r.ebookId}|${r.userId}`),
        ),
      highlights: () =>
        new DataLoader(async (keys) =>
          groupByKey(keys, await ebooks.highlightsOf(keys), (r) => `${r.ebookId}|${r.userId}`),
        ),
      bookmarks: () =>
        new DataLoader(async (keys) =>
          groupByKey(keys, await ebooks.bookmarksOf(keys), (r) => `${r.ebookId}|${r.userId}`),
        ),
      readingProgress: () =>
        new DataLoader(async (keys) =>
          byKey(keys, await ebooks.progressOf(keys), (r) => `${r.ebookId}|${r.userId}`),
        ),
      downloadsUsed: () => new DataLoader((keys) => ebooks.downloadCounts(keys)),
    },
  };
}
