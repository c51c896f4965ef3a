import { ForbiddenError, NotFoundError, type Viewer } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import type { Clock } from '../common/clock.js';
import { assertOpen } from './access/access.service.js';
import { isCourseStaff, lessonAccess, type LessonAccess } from './access/lesson-access.js';
import { CourseEntity } from './course/course.entity.js';
import { CourseModuleEntity } from './curriculum/curriculum.entity.js';
import { EnrollmentEntity, grantsAccess } from './enrollment/enrollment.entity.js';

const NO_RELEASE = { releaseAt: null, releaseOffsetDays: null, isPreview: false };

/** Assignments and quizzes follow their module's drip, like a lesson without its own release time. */
export function moduleItemAccess(input: {
  viewer: Viewer | null;
  course: CourseEntity;
  module: CourseModuleEntity;
  enrollment: EnrollmentEntity | null;
  now: Date;
}): LessonAccess {
  return lessonAccess({ ...input, lesson: NO_RELEASE });
}

/**
 * Loads course, module and the viewer's enrollment for an assignment/quiz action by a learner: requires an
 * ACTIVE/COMPLETED enrollment and the module released (FORBIDDEN / CONTENT_LOCKED otherwise).
 */
export async function learnerContext(
  manager: EntityManager,
  viewer: Viewer,
  item: { courseId: string; moduleId: string },
  clock: Clock,
): Promise<{ course: CourseEntity; module: CourseModuleEntity; enrollment: EnrollmentEntity }> {
  const [course, module, enrollment] = await Promise.all([
    manager.getRepository(CourseEntity).findOneByOrFail({ id: item.courseId }),
    manager.getRepository(CourseModuleEntity).findOneByOrFail({ id: item.moduleId }),
    manager.getRepository(EnrollmentEntity).findOneBy({ courseId: item.courseId, userId: viewer.userId }),
  ]);
  if (!enrollment || !grantsAccess(enrollment)) throw new ForbiddenError('Enroll in this course first.');
  assertOpen(moduleItemAccess({ viewer, course, module, enrollment, now: clock.now() }));
  return { course, module, enrollment };
}

/** The course for an instructor action on one of its items (owner or admin), row locked. */
export async function staffCourse(
  manager: EntityManager,
  viewer: Viewer,
  courseId: string,
  options: { lock?: boolean } = {},
): Promise<CourseEntity> {
  // Writers lock the course row (inside their transaction); plain reads outside one must not.
  const query = manager.getRepository(CourseEntity).createQueryBuilder('c');
  if (options.lock ?? true) query.setLock('pessimistic_write');
  const course = await query.where('c.id = :id', { id: courseId }).getOne();
  if (!course) throw new NotFoundError('Course');
  if (!isCourseStaff(viewer, course))
    throw new ForbiddenError('Only the course instructor or an admin may do this.');
  return course;
}
