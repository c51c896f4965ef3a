import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  ForbiddenError,
  hasRole,
  NotFoundError,
  paginate,
  recordEvent,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  CourseIncompleteError,
  InvalidCourseStateError,
  PrerequisiteCycleError,
  SlugTakenError,
} from '../../common/learning.errors.js';
import { assertSlug, assertUuid, isUuid, slugify, stringList, text } from '../../common/validation.js';
import { LEARNING_SCHEMA } from '../../environment.js';
import { isCourseStaff } from '../access/lesson-access.js';
import { LessonEntity } from '../curriculum/curriculum.entity.js';
import { EnrollmentEntity } from '../enrollment/enrollment.entity.js';
import {
  CourseEntity,
  CoursePrerequisiteEntity,
  type CourseLevel,
  type CourseStatus,
  type DeliveryFormat,
} from './course.entity.js';

export const MAX_PREREQUISITES = 10;

export type CourseFields = {
  title?: string | null;
  slug?: string | null;
  summary?: string | null;
  level?: CourseLevel | null;
  category?: string | null;
  tags?: string[] | null;
  languages?: string[] | null;
  deliveryFormat?: DeliveryFormat | null;
  isFree?: boolean | null;
};

export type CourseFilter = {
  /** Courses the viewer teaches, in every state. */
  mine?: boolean | null;
  status?: CourseStatus | null;
  instructorId?: string | null;
  category?: string | null;
  level?: CourseLevel | null;
  tag?: string | null;
  isFree?: boolean | null;
  search?: string | null;
};

const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
  return e.code === '23505' && (e.constraint ?? e.driverError?.constraint) === constraint;
}

/** Course authoring, review and the catalogue. The only code touching courses and prerequisites. */
export class CourseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async byIds(ids: readonly string[]): Promise<CourseEntity[]> {
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return [];
    return this.dataSource.getRepository(CourseEntity).findBy({ id: In(valid) });
  }

  async prerequisitesOf(courseIds: readonly string[]): Promise<CoursePrerequisiteEntity[]> {
    return this.dataSource.getRepository(CoursePrerequisiteEntity).findBy({ courseId: In([...courseIds]) });
  }

  /** Published courses for everyone; any state for staff; an archived one for its learners. */
  mayView(viewer: Viewer | null, course: CourseEntity, enrollment: EnrollmentEntity | null): boolean {
    return course.status === 'PUBLISHED' || isCourseStaff(viewer, course) || enrollment !== null;
  }

  /** The course by id or slug if the viewer may see it, else null. */
  async find(
    viewer: Viewer | null,
    key: { id?: string | null; slug?: string | null },
  ): Promise<CourseEntity | null> {
    if (!key.id === !key.slug) throw new BadUserInputError('Pass exactly one of "id" and "slug".', 'id');
    const repo = this.dataSource.getRepository(CourseEntity);
    let course: CourseEntity | null;
    if (key.id) {
      if (!isUuid(key.id)) return null;
      course = await repo.findOneBy({ id: key.id });
    } else {
      course = await repo.findOneBy({ slug: (key.slug ?? '').trim().toLowerCase() });
    }
    if (!course) return null;
    if (course.status === 'PUBLISHED' || isCourseStaff(viewer, course)) return course;
    const enrollment = viewer
      ? await this.dataSource
          .getRepository(EnrollmentEntity)
          .findOneBy({ courseId: course.id, userId: viewer.userId })
      : null;
    return enrollment ? course : null;
  }

  /** Catalogue: published courses for everyone; `mine` or an admin's status filter reach other states. */
  async list(
    viewer: Viewer | null,
    filter: CourseFilter,
    args: ConnectionArgs,
  ): Promise<Connection<CourseEntity>> {
    const qb = this.dataSource.getRepository(CourseEntity).createQueryBuilder('c');
    if (filter.mine) {
      if (!viewer) throw new ForbiddenError('Sign in to list your courses.');
      qb.where('c.instructor_id = :me', { me: viewer.userId });
      if (filter.status) qb.andWhere('c.status = :status', { status: filter.status });
    } else if (hasRole(viewer, 'ADMIN')) {
      qb.where('c.status = :status', { status: filter.status ?? 'PUBLISHED' });
    } else {
      if (filter.status && filter.status !== 'PUBLISHED')
        throw new ForbiddenError('Only admins list courses that are not published (or use "mine").');
      qb.where(`c.status = 'PUBLISHED'`);
    }
    if (filter.instructorId)
      qb.andWhere('c.instructor_id = :instructor', {
        instructor: assertUuid(filter.instructorId, 'instructorId'),
      });
    if (filter.category) qb.andWhere('c.category = :category', { category: filter.category.trim() });
    if (filter.level) qb.andWhere('c.level = :level', { level: filter.level });
    if (filter.tag) qb.andWhere(':tag = ANY(c.tags)', { tag: filter.tag.trim().toLowerCase() });
    if (filter.isFree !== null && filter.isFree !== undefined)
      qb.andWhere('c.is_free = :free', { free: filter.isFree });
    if (filter.search) {
      const search = text(filter.search, 'search', 1, 100).replace(/[\\%_]/g, (c) => `\\${c}`);
      qb.andWhere(`(c.title ILIKE :search OR c.summary ILIKE :search)`, { search: `%${search}%` });
    }
    return paginate(qb, args, { alias: 'c', sortBy: 'createdAt', direction: 'DESC' });
  }

  /** Courses a user teaches: all states for themselves and admins, published for the others. */
  async teaching(
    viewer: Viewer | null,
    userId: string,
    args: ConnectionArgs,
  ): Promise<Connection<CourseEntity>> {
    const qb = this.dataSource
      .getRepository(CourseEntity)
      .createQueryBuilder('c')
      .where('c.instructor_id = :userId', { userId });
    if (!(viewer && (viewer.userId === userId || hasRole(viewer, 'ADMIN'))))
      qb.andWhere(`c.status = 'PUBLISHED'`);
    return paginate(qb, args, { alias: 'c', sortBy: 'createdAt', direction: 'DESC' });
  }

  private clean(fields: CourseFields, course: CourseEntity): void {
    if (fields.title !== undefined && fields.title !== null)
      course.title = text(fields.title, 'title', 1, 160);
    if (fields.summary !== undefined && fields.summary !== null)
      course.summary = text(fields.summary, 'summary', 0, 2000);
    if (fields.slug !== undefined && fields.slug !== null) course.slug = assertSlug(fields.slug);
    if (fields.level) course.level = fields.level;
    if (fields.deliveryFormat) course.deliveryFormat = fields.deliveryFormat;
    if (fields.category !== undefined)
      course.category = fields.category === null ? null : text(fields.category, 'category', 1, 60);
    if (fields.tags)
      course.tags = stringList(
        fields.tags.map((t) => t.toLowerCase()),
        'tags',
        20,
        40,
      );
    if (fields.languages) {
      course.languages = stringList(fields.languages, 'languages', 10, 10);
      if (!course.languages.every((l) => LANGUAGE.test(l)))
        throw new BadUserInputError('"languages" are BCP 47 codes like "en" or "pt-BR".', 'languages');
    }
    if (fields.isFree !== undefined && fields.isFree !== null) course.isFree = fields.isFree;
  }

  /** Loads the course for an author action: the owner or an admin; row locked in `manager`'s transaction. */
  async forAuthoring(
    manager: EntityManager,
    viewer: Viewer,
    courseId: string,
    options: { allowArchived?: boolean } = {},
  ): Promise<CourseEntity> {
    const course = await manager
      .getRepository(CourseEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.id = :id', { id: assertUuid(courseId, 'courseId') })
      .getOne();
    if (!course) throw new NotFoundError('Course');
    if (!isCourseStaff(viewer, course))
      throw new ForbiddenError('Only the course instructor or an admin may change it.');
    if (course.status === 'ARCHIVED' && !options.allowArchived)
      throw new InvalidCourseStateError(course.status, 'be changed');
    return course;
  }

  async create(viewer: Viewer, fields: CourseFields): Promise<CourseEntity> {
    if (!fields.title) throw new BadUserInputError('"title" is required.', 'title');
    const now = this.clock.now();
    const course = Object.assign(new CourseEntity(), {
      id: randomUUID(),
      instructorId: viewer.userId,
      slug: '',
      title: '',
      summary: '',
      level: 'ALL_LEVELS',
      category: null,
      tags: [],
      languages: [],
      deliveryFormat: 'SELF_PACED',
      isFree: false,
      status: 'DRAFT',
      reviewNote: null,
      submittedAt: null,
      publishedAt: null,
      archivedAt: null,
      ratingCount: 0,
      ratingSum: 0,
      createdAt: now,
      updatedAt: now,
    } satisfies CourseEntity);
    this.clean(fields, course);
    const explicitSlug = Boolean(fields.slug);
    if (!explicitSlug) course.slug = slugify(course.title);
    return this.dataSource.transaction(async (manager) => {
      for (let attempt = 0; ; attempt += 1) {
        try {
          await manager.query('SAVEPOINT course_slug');
          await manager.getRepository(CourseEntity).insert(course);
          await manager.query('RELEASE SAVEPOINT course_slug');
          return course;
        } catch (error) {
          if (!isUniqueViolation(error, 'uq_courses_slug')) throw error;
          await manager.query('ROLLBACK TO SAVEPOINT course_slug');
          if (explicitSlug || attempt >= 4) throw new SlugTakenError(course.slug);
          course.slug = `${slugify(course.title)}-${randomUUID().slice(0, 6)}`;
        }
      }
    });
  }

  async update(viewer: Viewer, courseId: string, fields: CourseFields): Promise<CourseEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const course = await this.forAuthoring(manager, viewer, courseId);
        this.clean(fields, course);
        course.updatedAt = this.clock.now();
        await manager.getRepository(CourseEntity).save(course);
        return course;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'uq_courses_slug')) throw new SlugTakenError(fields.slug ?? '');
      throw error;
    }
  }

  /** DRAFT → REVIEW (needs at least one lesson). */
  async submitForReview(viewer: Viewer, courseId: string): Promise<CourseEntity> {
    return this.dataSource.transaction(async (manager) => {
      const course = await this.forAuthoring(manager, viewer, courseId);
      if (course.status !== 'DRAFT') throw new InvalidCourseStateError(course.status, 'be submitted');
      const lessons = await manager.getRepository(LessonEntity).countBy({ courseId: course.id });
      if (lessons === 0) throw new CourseIncompleteError('Add at least one lesson before submitting.');
      const now = this.clock.now();
      Object.assign(course, { status: 'REVIEW', submittedAt: now, reviewNote: null, updatedAt: now });
      await manager.getRepository(CourseEntity).save(course);
      return course;
    });
  }

  /** REVIEW → PUBLISHED (admins). Records `course.published`. */
  async approve(viewer: Viewer, courseId: string): Promise<CourseEntity> {
    return this.dataSource.transaction(async (manager) => {
      const course = await this.forAuthoring(manager, viewer, courseId);
      if (course.status !== 'REVIEW') throw new InvalidCourseStateError(course.status, 'be approved');
      const now = this.clock.now();
      Object.assign(course, { status: 'PUBLISHED', publishedAt: now, reviewNote: null, updatedAt: now });
      await manager.getRepository(CourseEntity).save(course);
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: 'course.published',
        aggregateId: course.id,
        payload: {
          courseId: course.id,
          instructorId: course.instructorId,
          slug: course.slug,
          title: course.title,
          publishedAt: now.toISOString(),
        },
      });
      return course;
    });
  }

  /** REVIEW → DRAFT with the reviewer's note (admins). */
  async reject(viewer: Viewer, courseId: string, note: string): Promise<CourseEntity> {
    const reviewNote = text(note, 'note', 1, 2000);
    return this.dataSource.transaction(async (manager) => {
      const course = await this.forAuthoring(manager, viewer, courseId);
      if (course.status !== 'REVIEW') throw new InvalidCourseStateError(course.status, 'be rejected');
      Object.assign(course, { status: 'DRAFT', reviewNote, updatedAt: this.clock.now() });
      await manager.getRepository(CourseEntity).save(course);
      return course;
    });
  }

  /** Any state but ARCHIVED → ARCHIVED: out of the catalogue; enrolled learners keep access. */
  async archive(viewer: Viewer, courseId: string): Promise<CourseEntity> {
    return this.dataSource.transaction(async (manager) => {
      const course = await this.forAuthoring(manager, viewer, courseId);
      const now = this.clock.now();
      Object.assign(course, { status: 'ARCHIVED', archivedAt: now, updatedAt: now });
      await manager.getRepository(CourseEntity).save(course);
      return course;
    });
  }

  /** Replaces the prerequisites (published or own courses, no cycles, at most 10). */
  async setPrerequisites(viewer: Viewer, courseId: string, prerequisiteIds: string[]): Promise<CourseEntity> {
    const ids = [...new Set(prerequisiteIds.map((id) => assertUuid(id, 'prerequisiteIds')))];
    if (ids.length > MAX_PREREQUISITES)
      throw new BadUserInputError(`At most ${MAX_PREREQUISITES} prerequisites.`, 'prerequisiteIds');
    return this.dataSource.transaction(async (manager) => {
      const course = await this.forAuthoring(manager, viewer, courseId);
      if (ids.includes(course.id)) throw new PrerequisiteCycleError();
      const found = ids.length ? await manager.getRepository(CourseEntity).findBy({ id: In(ids) }) : [];
      if (found.length !== ids.length) throw new NotFoundError('A prerequisite course');
      if (found.some((c) => c.status !== 'PUBLISHED' && !isCourseStaff(viewer, c)))
        throw new BadUserInputError('Prerequisites must be published courses.', 'prerequisiteIds');
      if (ids.length > 0) {
        // Would any prerequisite (transitively) require this course?
        const cycle: unknown[] = await manager.query(
          `WITH RECURSIVE reach(id) AS (
             SELECT prerequisite_id FROM "learning".course_prerequisites WHERE course_id = ANY($1::uuid[])
             UNION
             SELECT p.prerequisite_id FROM "learning".course_prerequisites p JOIN reach r ON p.course_id = r.id
           ) SELECT 1 FROM reach WHERE id = $2 LIMIT 1`,
          [ids, course.id],
        );
        if (cycle.length > 0) throw new PrerequisiteCycleError();
      }
      const repo = manager.getRepository(CoursePrerequisiteEntity);
      await repo.delete({ courseId: course.id });
      if (ids.length > 0)
        await repo.insert(ids.map((prerequisiteId) => ({ courseId: course.id, prerequisiteId })));
      course.updatedAt = this.clock.now();
      await manager.getRepository(CourseEntity).save(course);
      return course;
    });
  }
}
