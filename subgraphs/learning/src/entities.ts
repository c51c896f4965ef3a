import { AssignmentEntity, SubmissionEntity } from './modules/assignment/assignment.entity.js';
import { CourseEntity, CoursePrerequisiteEntity } from './modules/course/course.entity.js';
import { CourseModuleEntity, LessonEntity } from './modules/curriculum/curriculum.entity.js';
import {
  EbookBookmarkEntity,
  EbookChapterEntity,
  EbookDownloadEntity,
  EbookEntity,
  EbookHighlightEntity,
  EbookLibraryEntity,
  EbookProgressEntity,
  ReaderSettingsEntity,
} from './modules/ebook/ebook.entity.js';
import { EnrollmentEntity } from './modules/enrollment/enrollment.entity.js';
import { CertificateEntity, LessonProgressEntity } from './modules/progress/progress.entity.js';
import { QuizAttemptEntity, QuizEntity, QuizQuestionEntity } from './modules/quiz/quiz.entity.js';
import { CourseReviewEntity } from './modules/review/review.entity.js';

export const learningEntities = [
  CourseEntity,
  CoursePrerequisiteEntity,
  CourseModuleEntity,
  LessonEntity,
  EnrollmentEntity,
  LessonProgressEntity,
  CertificateEntity,
  CourseReviewEntity,
  AssignmentEntity,
  SubmissionEntity,
  QuizEntity,
  QuizQuestionEntity,
  QuizAttemptEntity,
  EbookEntity,
  EbookChapterEntity,
  EbookLibraryEntity,
  ReaderSettingsEntity,
  EbookHighlightEntity,
  EbookBookmarkEntity,
  EbookProgressEntity,
  EbookDownloadEntity,
];
