import { hasRole, type Viewer } from '@edugraph/kit';
import { DAY_MS } from '../../common/clock.js';
import type { CourseEntity } from '../course/course.entity.js';
import type { CourseModuleEntity, LessonEntity } from '../curriculum/curriculum.entity.js';
import { grantsAccess, type EnrollmentEntity } from '../enrollment/enrollment.entity.js';

/**
 * OPEN: the content is served. LOCKED: enrolled, but the drip schedule has not released it yet.
 * ENROLLMENT_REQUIRED: the viewer has no active or completed enrollment (and it is no free preview).
 */
export type LessonAccessState = 'OPEN' | 'LOCKED' | 'ENROLLMENT_REQUIRED';

export type LessonAccess = { state: LessonAccessState; unlocksAt: Date | null };

type Release = { releaseAt: Date | null; releaseOffsetDays: number | null };

/** When a drip setting releases content for a learner active since `activatedAt` (null: no drip). */
export function releaseTime(release: Release, activatedAt: Date | null): Date | null {
  if (release.releaseAt) return release.releaseAt;
  if (release.releaseOffsetDays !== null && release.releaseOffsetDays > 0)
    return activatedAt ? new Date(activatedAt.getTime() + release.releaseOffsetDays * DAY_MS) : null;
  return null;
}

/** A lesson unlocks when both its module and its own release time have passed (the later of the two). */
export function lessonUnlocksAt(module: Release, lesson: Release, activatedAt: Date | null): Date | null {
  const times = [releaseTime(module, activatedAt), releaseTime(lesson, activatedAt)].filter(
    (t): t is Date => t !== null,
  );
  if (times.length === 0) return null;
  return new Date(Math.max(...times.map((t) => t.getTime())));
}

/** Admin or the course's instructor: may author and see everything, drip does not apply. */
export function isCourseStaff(viewer: Viewer | null, course: Pick<CourseEntity, 'instructorId'>): boolean {
  return viewer !== null && (viewer.userId === course.instructorId || hasRole(viewer, 'ADMIN'));
}

/**
 * The access rule for lesson content: admin / owning instructor → OPEN; an ACTIVE or COMPLETED
 * enrollment → OPEN once the module's and lesson's release times passed, LOCKED before; a free preview
 * lesson of a published course → OPEN for anyone; otherwise ENROLLMENT_REQUIRED.
 */
export function lessonAccess(input: {
  viewer: Viewer | null;
  course: Pick<CourseEntity, 'instructorId' | 'status'>;
  module: Release;
  lesson: Release & Pick<LessonEntity, 'isPreview'>;
  enrollment: Pick<EnrollmentEntity, 'status' | 'activatedAt'> | null;
  now: Date;
}): LessonAccess {
  const { viewer, course, module, lesson, enrollment, now } = input;
  if (isCourseStaff(viewer, course)) return { state: 'OPEN', unlocksAt: null };
  if (lesson.isPreview && course.status === 'PUBLISHED') return { state: 'OPEN', unlocksAt: null };
  if (enrollment && grantsAccess(enrollment)) {
    const unlocksAt = lessonUnlocksAt(module, lesson, enrollment.activatedAt);
    if (unlocksAt && unlocksAt.getTime() > now.getTime()) return { state: 'LOCKED', unlocksAt };
    return { state: 'OPEN', unlocksAt };
  }
  return { state: 'ENROLLMENT_REQUIRED', unlocksAt: null };
}

/** A module's own lock for an enrolled learner (staff and non-enrolled viewers see no schedule). */
export function moduleAccess(input: {
  viewer: Viewer | null;
  course: Pick<CourseEntity, 'instructorId'>;
  module: Release & Pick<CourseModuleEntity, 'id'>;
  enrollment: Pick<EnrollmentEntity, 'status' | 'activatedAt'> | null;
  now: Date;
}): { locked: boolean; unlocksAt: Date | null } {
  const { viewer, course, module, enrollment, now } = input;
  if (isCourseStaff(viewer, course)) return { locked: false, unlocksAt: null };
  if (!enrollment || !grantsAccess(enrollment)) return { locked: true, unlocksAt: module.releaseAt ?? null };
  const unlocksAt = releaseTime(module, enrollment.activatedAt);
  return { locked: unlocksAt !== null && unlocksAt.getTime() > now.getTime(), unlocksAt };
}
