import { CourseEntity, CoursePrerequisiteEntity } from './modules/course/course.entity.js';
import { CourseModuleEntity, LessonEntity } from './modules/curriculum/curriculum.entity.js';
import { EnrollmentEntity } from './modules/enrollment/enrollment.entity.js';
import { CertificateEntity, LessonProgressEntity } from './modules/progress/progress.entity.js';

export const learningEntities = [
  CourseEntity,
  CoursePrerequisiteEntity,
  CourseModuleEntity,
  LessonEntity,
  EnrollmentEntity,
  LessonProgressEntity,
  CertificateEntity,
];
