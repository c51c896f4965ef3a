import type { RequestContext } from '@edugraph/kit';
import type { LearningServices } from '../learning-services.js';
import { lessonAccess, type LessonAccess } from '../modules/access/lesson-access.js';
import type { CourseEntity } from '../modules/course/course.entity.js';
import type { LessonEntity } from '../modules/curriculum/curriculum.entity.js';
import type { EnrollmentEntity } from '../modules/enrollment/enrollment.entity.js';

/** The viewer's enrollment in a course, through the request's loader (null when signed out). */
export async function viewerEnrollment(
  services: LearningServices,
  courseId: string,
  ctx: RequestContext,
): Promise<EnrollmentEntity | null> {
  if (!ctx.viewer) return null;
  return ctx.loaders.get(services.loaders.enrollment).load(`${courseId}|${ctx.viewer.userId}`);
}

/** Whether the viewer may see the course at all (published, staff, or enrolled in any state). */
export async function mayViewCourse(
  services: LearningServices,
  course: CourseEntity,
  ctx: RequestContext,
): Promise<boolean> {
  if (course.status === 'PUBLISHED') return true;
  return services.courses.mayView(ctx.viewer, course, await viewerEnrollment(services, course.id, ctx));
}

/** The access rule for one lesson, from the request's loaders (bounded queries over a page of lessons). */
export async function lessonAccessInRequest(
  services: LearningServices,
  lesson: Pick<LessonEntity, 'courseId' | 'moduleId' | 'releaseAt' | 'releaseOffsetDays' | 'isPreview'>,
  ctx: RequestContext,
): Promise<LessonAccess> {
  const [course, module, enrollment] = await Promise.all([
    ctx.loaders.get(services.loaders.course).load(lesson.courseId),
    ctx.loaders.get(services.loaders.module).load(lesson.moduleId),
    viewerEnrollment(services, lesson.courseId, ctx),
  ]);
  if (!course || !module) return { state: 'ENROLLMENT_REQUIRED', unlocksAt: null };
  return lessonAccess({ viewer: ctx.viewer, course, module, lesson, enrollment, now: services.clock.now() });
}

/** Maps a kit connection's nodes. */
export function mapConnection<A, B extends object>(
  connection: { edges: { cursor: string; node: A }[]; pageInfo: object },
  map: (a: A) => B,
) {
  return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: map(e.node) })) };
}

/** The access rule for an assignment or quiz (its module's release), from the request's loaders. */
export async function moduleItemAccessInRequest(
  services: LearningServices,
  item: { courseId: string; moduleId: string },
  ctx: RequestContext,
): Promise<LessonAccess> {
  return lessonAccessInRequest(
    services,
    {
      courseId: item.courseId,
      moduleId: item.moduleId,
      releaseAt: null,
      releaseOffsetDays: null,
      isPreview: false,
    },
    ctx,
  );
}
