import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, type Viewer } from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { LimitReachedError } from '../../common/learning.errors.js';
import { MAX_BODY_LENGTH, sanitizeLessonHtml } from '../../common/sanitize.js';
import { assertUuid, intInRange, isUuid, text } from '../../common/validation.js';
import type { CourseService } from '../course/course.service.js';
import { CourseModuleEntity, LessonEntity, type LessonContentKind } from './curriculum.entity.js';

export const MAX_MODULES_PER_COURSE = 100;
export const MAX_LESSONS_PER_MODULE = 200;

export type ReleaseFields = {
  releaseOffsetDays?: number | null;
  releaseAt?: Date | null;
};

export type ModuleFields = ReleaseFields & { title?: string | null };

export type LessonFields = ReleaseFields & {
  title?: string | null;
  contentKind?: LessonContentKind | null;
  assetId?: string | null;
  bodyHtml?: string | null;
  durationSeconds?: number | null;
  isPreview?: boolean | null;
  isRequired?: boolean | null;
};

/** Applies drip fields: an explicit null clears; setting one clears the other. */
function applyRelease(
  target: ReleaseFields & { releaseOffsetDays: number | null; releaseAt: Date | null },
  fields: ReleaseFields,
): void {
  const hasOffset = fields.releaseOffsetDays !== undefined && fields.releaseOffsetDays !== null;
  const hasAt = fields.releaseAt !== undefined && fields.releaseAt !== null;
  if (hasOffset && hasAt)
    throw new BadUserInputError('Set either "releaseOffsetDays" or "releaseAt", not both.', 'releaseAt');
  if (hasOffset) {
    target.releaseOffsetDays = intInRange(fields.releaseOffsetDays as number, 'releaseOffsetDays', 0, 3650);
    target.releaseAt = null;
  } else if (hasAt) {
    const at = fields.releaseAt as Date;
    if (Number.isNaN(at.getTime())) throw new BadUserInputError('"releaseAt" is not a date.', 'releaseAt');
    target.releaseAt = at;
    target.releaseOffsetDays = null;
  } else {
    if (fields.releaseOffsetDays === null) target.releaseOffsetDays = null;
    if (fields.releaseAt === null) target.releaseAt = null;
  }
}

/** Moves `position` of rows under one parent so that the row `id` ends at `to` (gapless 1…n). */
async function shiftInto(
  manager: EntityManager,
  table: 'course_modules' | 'lessons',
  parentColumn: 'course_id' | 'module_id',
  parentId: string,
  from: number,
  to: number,
): Promise<void> {
  if (to < from) {
    await manager.query(
      `UPDATE "learning".${table} SET position = position + 1 WHERE ${parentColumn} = $1 AND position >= $2 AND position < $3`,
      [parentId, to, from],
    );
  } else if (to > from) {
    await manager.query(
      `UPDATE "learning".${table} SET position = position - 1 WHERE ${parentColumn} = $1 AND position > $2 AND position <= $3`,
      [parentId, from, to],
    );
  }
}

function clampPosition(position: number | null | undefined, last: number): number {
  if (position === null || position === undefined) return last;
  intInRange(position, 'position', 1, 100_000);
  return Math.min(position, last);
}

/**
 * Modules and lessons of a course: ordering (gapless positions, deferred unique constraints), content
 * (media asset or sanitised rich text), previews and drip settings. Every change locks the course row,
 * so concurrent edits of one course serialise.
 */
export class CurriculumService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly courses: CourseService,
    private readonly clock: Clock,
  ) {}

  async modulesOf(courseIds: readonly string[]): Promise<CourseModuleEntity[]> {
    return this.dataSource
      .getRepository(CourseModuleEntity)
      .find({ where: { courseId: In([...courseIds]) }, order: { position: 'ASC' } });
  }

  async lessonsOf(moduleIds: readonly string[]): Promise<LessonEntity[]> {
    return this.dataSource
      .getRepository(LessonEntity)
      .find({ where: { moduleId: In([...moduleIds]) }, order: { position: 'ASC' } });
  }

  async modulesByIds(ids: readonly string[]): Promise<CourseModuleEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.dataSource.getRepository(CourseModuleEntity).findBy({ id: In(valid) }) : [];
  }

  async lessonsByIds(ids: readonly string[]): Promise<LessonEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.dataSource.getRepository(LessonEntity).findBy({ id: In(valid) }) : [];
  }

  /** Lesson counts per course, plus required-lesson counts. */
  async lessonCounts(
    courseIds: readonly string[],
  ): Promise<Map<string, { total: number; required: number }>> {
    const rows: { course_id: string; total: number; required: number }[] = await this.dataSource.query(
      `SELECT course_id, count(*)::int AS total, count(*) FILTER (WHERE is_required)::int AS required
       FROM "learning".lessons WHERE course_id = ANY($1::uuid[]) GROUP BY course_id`,
      [[...courseIds]],
    );
    return new Map(rows.map((r) => [r.course_id, { total: r.total, required: r.required }]));
  }

  private async moduleForAuthoring(manager: EntityManager, viewer: Viewer, moduleId: string) {
    const module = await manager
      .getRepository(CourseModuleEntity)
      .findOneBy({ id: assertUuid(moduleId, 'moduleId') });
    if (!module) throw new NotFoundError('Module');
    const course = await this.courses.forAuthoring(manager, viewer, module.courseId);
    // Re-read under the course lock: another transaction may have moved it meanwhile.
    const locked = await manager.getRepository(CourseModuleEntity).findOneByOrFail({ id: module.id });
    return { course, module: locked };
  }

  private async lessonForAuthoring(manager: EntityManager, viewer: Viewer, lessonId: string) {
    const lesson = await manager
      .getRepository(LessonEntity)
      .findOneBy({ id: assertUuid(lessonId, 'lessonId') });
    if (!lesson) throw new NotFoundError('Lesson');
    const course = await this.courses.forAuthoring(manager, viewer, lesson.courseId);
    const locked = await manager.getRepository(LessonEntity).findOneByOrFail({ id: lesson.id });
    return { course, lesson: locked };
  }

  async addModule(
    viewer: Viewer,
    courseId: string,
    fields: ModuleFields & { position?: number | null },
  ): Promise<CourseModuleEntity> {
    if (!fields.title) throw new BadUserInputError('"title" is required.', 'title');
    return this.dataSource.transaction(async (manager) => {
      const course = await this.courses.forAuthoring(manager, viewer, courseId);
      const repo = manager.getRepository(CourseModuleEntity);
      const count = await repo.countBy({ courseId: course.id });
      if (count >= MAX_MODULES_PER_COURSE) throw new LimitReachedError('modules', MAX_MODULES_PER_COURSE);
      const now = this.clock.now();
      const module = Object.assign(new CourseModuleEntity(), {
        id: randomUUID(),
        courseId: course.id,
        title: text(fields.title ?? '', 'title', 1, 160),
        position: clampPosition(fields.position, count + 1),
        releaseOffsetDays: null,
        releaseAt: null,
        createdAt: now,
        updatedAt: now,
      } satisfies CourseModuleEntity);
      applyRelease(module, fields);
      await shiftInto(manager, 'course_modules', 'course_id', course.id, count + 1, module.position);
      await repo.insert(module);
      return module;
    });
  }

  async updateModule(viewer: Viewer, moduleId: string, fields: ModuleFields): Promise<CourseModuleEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { module } = await this.moduleForAuthoring(manager, viewer, moduleId);
      if (fields.title !== undefined && fields.title !== null)
        module.title = text(fields.title, 'title', 1, 160);
      applyRelease(module, fields);
      module.updatedAt = this.clock.now();
      await manager.getRepository(CourseModuleEntity).save(module);
      return module;
    });
  }

  /** Moves a module to `position` (1-based, clamped to the end); the others close up. */
  async moveModule(viewer: Viewer, moduleId: string, position: number): Promise<CourseModuleEntity[]> {
    return this.dataSource.transaction(async (manager) => {
      const { module } = await this.moduleForAuthoring(manager, viewer, moduleId);
      const repo = manager.getRepository(CourseModuleEntity);
      const count = await repo.countBy({ courseId: module.courseId });
      const to = clampPosition(position, count);
      await shiftInto(manager, 'course_modules', 'course_id', module.courseId, module.position, to);
      await repo.update({ id: module.id }, { position: to, updatedAt: this.clock.now() });
      return repo.find({ where: { courseId: module.courseId }, order: { position: 'ASC' } });
    });
  }

  /** Deletes a module with its lessons (and their progress); the following modules close up. */
  async deleteModule(viewer: Viewer, moduleId: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const { module } = await this.moduleForAuthoring(manager, viewer, moduleId);
      await manager.getRepository(CourseModuleEntity).delete({ id: module.id });
      await manager.query(
        `UPDATE "learning".course_modules SET position = position - 1 WHERE course_id = $1 AND position > $2`,
        [module.courseId, module.position],
      );
      return module.courseId;
    });
  }

  private applyLessonFields(lesson: LessonEntity, fields: LessonFields): void {
    if (fields.title !== undefined && fields.title !== null)
      lesson.title = text(fields.title, 'title', 1, 160);
    if (fields.contentKind) lesson.contentKind = fields.contentKind;
    if (fields.assetId !== undefined)
      lesson.assetId = fields.assetId === null ? null : assertUuid(fields.assetId, 'assetId');
    if (fields.bodyHtml !== undefined) {
      if (fields.bodyHtml === null) lesson.bodyHtml = null;
      else {
        if (fields.bodyHtml.length > MAX_BODY_LENGTH * 2)
          throw new BadUserInputError('"bodyHtml" is too long.', 'bodyHtml');
        const clean = sanitizeLessonHtml(fields.bodyHtml);
        if (clean.length > MAX_BODY_LENGTH)
          throw new BadUserInputError('"bodyHtml" is too long.', 'bodyHtml');
        lesson.bodyHtml = clean;
      }
    }
    if (fields.durationSeconds !== undefined)
      lesson.durationSeconds =
        fields.durationSeconds === null
          ? null
          : intInRange(fields.durationSeconds, 'durationSeconds', 0, 86_400);
    if (fields.isPreview !== undefined && fields.isPreview !== null) lesson.isPreview = fields.isPreview;
    if (fields.isRequired !== undefined && fields.isRequired !== null) lesson.isRequired = fields.isRequired;
    applyRelease(lesson, fields);
    if (lesson.contentKind === 'TEXT') {
      if (!lesson.bodyHtml) throw new BadUserInputError('A TEXT lesson needs "bodyHtml".', 'bodyHtml');
      if (lesson.assetId) throw new BadUserInputError('A TEXT lesson has no "assetId".', 'assetId');
    } else if (!lesson.assetId) {
      throw new BadUserInputError(`A ${lesson.contentKind} lesson needs "assetId".`, 'assetId');
    }
  }

  async addLesson(
    viewer: Viewer,
    moduleId: string,
    fields: LessonFields & { position?: number | null },
  ): Promise<LessonEntity> {
    if (!fields.title) throw new BadUserInputError('"title" is required.', 'title');
    if (!fields.contentKind) throw new BadUserInputError('"contentKind" is required.', 'contentKind');
    return this.dataSource.transaction(async (manager) => {
      const { module } = await this.moduleForAuthoring(manager, viewer, moduleId);
      const repo = manager.getRepository(LessonEntity);
      const count = await repo.countBy({ moduleId: module.id });
      if (count >= MAX_LESSONS_PER_MODULE)
        throw new LimitReachedError('lessons per module', MAX_LESSONS_PER_MODULE);
      const now = this.clock.now();
      const lesson = Object.assign(new LessonEntity(), {
        id: randomUUID(),
        courseId: module.courseId,
        moduleId: module.id,
        title: '',
        position: clampPosition(fields.position, count + 1),
        contentKind: 'TEXT',
        assetId: null,
        bodyHtml: null,
        durationSeconds: null,
        isPreview: false,
        isRequired: true,
        releaseOffsetDays: null,
        releaseAt: null,
        createdAt: now,
        updatedAt: now,
      } satisfies LessonEntity);
      this.applyLessonFields(lesson, fields);
      await shiftInto(manager, 'lessons', 'module_id', module.id, count + 1, lesson.position);
      await repo.insert(lesson);
      return lesson;
    });
  }

  async updateLesson(viewer: Viewer, lessonId: string, fields: LessonFields): Promise<LessonEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { lesson } = await this.lessonForAuthoring(manager, viewer, lessonId);
      this.applyLessonFields(lesson, fields);
      lesson.updatedAt = this.clock.now();
      await manager.getRepository(LessonEntity).save(lesson);
      return lesson;
    });
  }

  /**
   * Moves a lesson to `position` in `moduleId` (default: its own module; another module of the same
   * course moves it across). Both modules stay gapless.
   */
  async moveLesson(
    viewer: Viewer,
    lessonId: string,
    position: number,
    moduleId: string | null,
  ): Promise<LessonEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { lesson } = await this.lessonForAuthoring(manager, viewer, lessonId);
      const repo = manager.getRepository(LessonEntity);
      const targetId = moduleId ? assertUuid(moduleId, 'moduleId') : lesson.moduleId;
      if (targetId === lesson.moduleId) {
        const to = clampPosition(position, await repo.countBy({ moduleId: lesson.moduleId }));
        await shiftInto(manager, 'lessons', 'module_id', lesson.moduleId, lesson.position, to);
        lesson.position = to;
      } else {
        const target = await manager.getRepository(CourseModuleEntity).findOneBy({ id: targetId });
        if (!target || target.courseId !== lesson.courseId) throw new NotFoundError('Module');
        const count = await repo.countBy({ moduleId: target.id });
        if (count >= MAX_LESSONS_PER_MODULE)
          throw new LimitReachedError('lessons per module', MAX_LESSONS_PER_MODULE);
        await manager.query(
          `UPDATE "learning".lessons SET position = position - 1 WHERE module_id = $1 AND position > $2`,
          [lesson.moduleId, lesson.position],
        );
        const to = clampPosition(position, count + 1);
        await shiftInto(manager, 'lessons', 'module_id', target.id, count + 1, to);
        lesson.moduleId = target.id;
        lesson.position = to;
      }
      lesson.updatedAt = this.clock.now();
      await repo.update(
        { id: lesson.id },
        { moduleId: lesson.moduleId, position: lesson.position, updatedAt: lesson.updatedAt },
      );
      return lesson;
    });
  }

  async deleteLesson(viewer: Viewer, lessonId: string): Promise<LessonEntity> {
    return this.dataSource.transaction(async (manager) => {
      const { lesson } = await this.lessonForAuthoring(manager, viewer, lessonId);
      await manager.getRepository(LessonEntity).delete({ id: lesson.id });
      await manager.query(
        `UPDATE "learning".lessons SET position = position - 1 WHERE module_id = $1 AND position > $2`,
        [lesson.moduleId, lesson.position],
      );
      return lesson;
    });
  }
}
