import { ForbiddenError, NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { ContentLockedError } from '../../common/learning.errors.js';
import { isUuid } from '../../common/validation.js';
import { CourseEntity } from '../course/course.entity.js';
import { CourseModuleEntity, LessonEntity } from '../curriculum/curriculum.entity.js';
import { EnrollmentEntity } from '../enrollment/enrollment.entity.js';
import { lessonAccess, type LessonAccess } from './lesson-access.js';

export type LessonContext = {
  lesson: LessonEntity;
  module: CourseModuleEntity;
  course: CourseEntity;
  enrollment: EnrollmentEntity | null;
  access: LessonAccess;
};

/** Throws unless the content is OPEN: FORBIDDEN without access, CONTENT_LOCKED before its release. */
export function assertOpen(access: LessonAccess): void {
  if (access.state === 'ENROLLMENT_REQUIRED')
    throw new ForbiddenError('Enroll in this course to see this lesson.');
  if (access.state === 'LOCKED') throw new ContentLockedError(access.unlocksAt);
}

/** Loads a lesson with what its access rule needs (one place for queries, progress and the media rule). */
export class AccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  now(): Date {
    return this.clock.now();
  }

  async lessonContext(
    viewer: Viewer | null,
    lessonId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LessonContext | null> {
    if (!isUuid(lessonId)) return null;
    const lesson = await manager.getRepository(LessonEntity).findOneBy({ id: lessonId });
    if (!lesson) return null;
    const [module, course, enrollment] = await Promise.all([
      manager.getRepository(CourseModuleEntity).findOneByOrFail({ id: lesson.moduleId }),
      manager.getRepository(CourseEntity).findOneByOrFail({ id: lesson.courseId }),
      viewer
        ? manager
            .getRepository(EnrollmentEntity)
            .findOneBy({ courseId: lesson.courseId, userId: viewer.userId })
        : Promise.resolve(null),
    ]);
    const access = lessonAccess({ viewer, course, module, lesson, enrollment, now: this.clock.now() });
    return { lesson, module, course, enrollment, access };
  }

  async requireLessonContext(
    viewer: Viewer | null,
    lessonId: string,
    manager?: EntityManager,
  ): Promise<LessonContext> {
    const context = await this.lessonContext(viewer, lessonId, manager);
    if (!context) throw new NotFoundError('Lesson');
    return context;
  }

  /**
   * Media's "may view" rule for RESTRICTED assets owned by learning: the asset must be the content of
   * the lesson in `subjectRef` (`Lesson:<id>`), and that lesson's content OPEN for the viewer.
   */
  async mayViewAsset(viewer: Viewer, asset: { id: string; subjectRef: string | null }): Promise<boolean> {
    const match = /^Lesson:([0-9a-fA-F-]{36})$/.exec(asset.subjectRef ?? '');
    if (!match?.[1] || !isUuid(asset.id)) return false;
    const context = await this.lessonContext(viewer, match[1].toLowerCase());
    if (!context || context.lesson.assetId !== asset.id.toLowerCase()) return false;
    return context.access.state === 'OPEN';
  }
}
