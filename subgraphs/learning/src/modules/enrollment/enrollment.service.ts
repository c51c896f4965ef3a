import { randomUUID } from 'node:crypto';
import {
  ForbiddenError,
  hasRole,
  NotFoundError,
  paginate,
  recordEvent,
  type Connection,
  type ConnectionArgs,
  type DomainEvent,
  type Logger,
  type Viewer,
} from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  AlreadyEnrolledError,
  CourseNotFreeError,
  InvalidCourseStateError,
  InvalidEnrollmentStateError,
  PrerequisitesNotMetError,
} from '../../common/learning.errors.js';
import { assertUuid, isUuid } from '../../common/validation.js';
import { LEARNING_SCHEMA } from '../../environment.js';
import { isCourseStaff } from '../access/lesson-access.js';
import { CourseEntity, CoursePrerequisiteEntity } from '../course/course.entity.js';
import type { CourseService } from '../course/course.service.js';
import { EnrollmentEntity, type EnrollmentSource, type EnrollmentStatus } from './enrollment.entity.js';
import type { EbookService } from '../ebook/ebook.service.js';
import { EbookEntity } from '../ebook/ebook.entity.js';
import { parseOrderPaid } from './order-paid.js';

export const ENROLLMENT_ACTIVATED = 'enrollment.activated';

/** Enrollments: purchase (`order.paid`), instructor grants and invitations, free self-enrollment. */
export class EnrollmentService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly courses: CourseService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly ebooks: Pick<EbookService, 'grant'>,
  ) {}

  /** Key `courseId|userId`. */
  async byCourseAndUser(keys: readonly string[]): Promise<EnrollmentEntity[]> {
    const pairs = keys
      .map((k) => k.split('|'))
      .filter((p): p is [string, string] => p.length === 2 && isUuid(p[0] ?? '') && isUuid(p[1] ?? ''));
    if (pairs.length === 0) return [];
    return this.dataSource
      .getRepository(EnrollmentEntity)
      .find({ where: pairs.map(([courseId, userId]) => ({ courseId, userId })) });
  }

  async byIds(ids: readonly string[]): Promise<EnrollmentEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length ? this.dataSource.getRepository(EnrollmentEntity).findBy({ id: In(valid) }) : [];
  }

  /** A user's enrollments (newest first): the user themself or an admin. */
  async ofUser(
    viewer: Viewer,
    userId: string,
    args: ConnectionArgs,
    status: EnrollmentStatus | null,
  ): Promise<Connection<EnrollmentEntity>> {
    if (viewer.userId !== userId && !hasRole(viewer, 'ADMIN'))
      throw new ForbiddenError('Only you (or an admin) may list your enrollments.');
    const qb = this.dataSource
      .getRepository(EnrollmentEntity)
      .createQueryBuilder('e')
      .where('e.user_id = :userId', { userId });
    if (status) qb.andWhere('e.status = :status', { status });
    return paginate(qb, args, { alias: 'e', sortBy: 'createdAt', direction: 'DESC' });
  }

  /** A course's roster: its instructor or an admin. */
  async ofCourse(
    viewer: Viewer,
    course: CourseEntity,
    args: ConnectionArgs,
    status: EnrollmentStatus | null,
  ): Promise<Connection<EnrollmentEntity>> {
    if (!isCourseStaff(viewer, course)) throw new ForbiddenError('Only the instructor sees the roster.');
    const qb = this.dataSource
      .getRepository(EnrollmentEntity)
      .createQueryBuilder('e')
      .where('e.course_id = :courseId', { courseId: course.id });
    if (status) qb.andWhere('e.status = :status', { status });
    return paginate(qb, args, { alias: 'e', sortBy: 'createdAt', direction: 'DESC' });
  }

  /** Who may see an enrollment: its learner, the course's instructor, an admin. */
  mayView(viewer: Viewer | null, enrollment: EnrollmentEntity, course: CourseEntity | null): boolean {
    if (!viewer) return false;
    return viewer.userId === enrollment.userId || (course !== null && isCourseStaff(viewer, course));
  }

  private async lockedCourse(manager: EntityManager, courseId: string): Promise<CourseEntity> {
    const course = await manager
      .getRepository(CourseEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_read')
      .where('c.id = :id', { id: assertUuid(courseId, 'courseId') })
      .getOne();
    if (!course) throw new NotFoundError('Course');
    return course;
  }

  /**
   * Creates or (re)activates the enrollment of `userId`; a COMPLETED one stays COMPLETED. Records
   * `enrollment.activated` when access starts. Returns the row and whether it changed.
   */
  private async activate(
    manager: EntityManager,
    course: CourseEntity,
    userId: string,
    grant: { source: EnrollmentSource; orderId?: string | null; grantedBy?: string | null },
  ): Promise<{ enrollment: EnrollmentEntity; changed: boolean }> {
    const repo = manager.getRepository(EnrollmentEntity);
    const now = this.clock.now();
    const inserted: unknown[] = await manager.query(
      `INSERT INTO "learning".enrollments (id, course_id, user_id, status, source, order_id, granted_by, activated_at, created_at, updated_at)
       VALUES ($1, $2, $3, 'ACTIVE', $4, $5, $6, $7, $7, $7)
       ON CONFLICT ON CONSTRAINT uq_enrollments_course_user DO NOTHING RETURNING id`,
      [randomUUID(), course.id, userId, grant.source, grant.orderId ?? null, grant.grantedBy ?? null, now],
    );
    const enrollment = await repo
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.course_id = :courseId AND e.user_id = :userId', { courseId: course.id, userId })
      .getOneOrFail();
    let changed = inserted.length > 0;
    if (!changed && (enrollment.status === 'INVITED' || enrollment.status === 'CANCELLED')) {
      Object.assign(enrollment, {
        status: 'ACTIVE',
        source: grant.source,
        orderId: grant.orderId ?? enrollment.orderId,
        grantedBy: grant.grantedBy ?? enrollment.grantedBy,
        activatedAt: now,
        cancelledAt: null,
        updatedAt: now,
      });
      await repo.save(enrollment);
      changed = true;
    }
    if (changed)
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: ENROLLMENT_ACTIVATED,
        aggregateId: enrollment.id,
        payload: {
          enrollmentId: enrollment.id,
          courseId: course.id,
          userId,
          source: grant.source,
          orderId: grant.orderId ?? null,
          activatedAt: now.toISOString(),
        },
      });
    return { enrollment, changed };
  }

  /** Free, published course: the viewer enrolls themself (after completing its prerequisites). */
  async enrollSelf(viewer: Viewer, courseId: string): Promise<EnrollmentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const course = await this.lockedCourse(manager, courseId);
      if (course.status !== 'PUBLISHED') throw new InvalidCourseStateError(course.status, 'take enrollments');
      const existing = await manager
        .getRepository(EnrollmentEntity)
        .findOneBy({ courseId: course.id, userId: viewer.userId });
      if (existing && (existing.status === 'ACTIVE' || existing.status === 'COMPLETED'))
        throw new AlreadyEnrolledError(existing.status);
      // An invitation is accepted whatever the price; otherwise the course must be free.
      if (existing?.status !== 'INVITED') {
        if (!course.isFree) throw new CourseNotFreeError();
        await this.assertPrerequisites(manager, course.id, viewer.userId);
      }
      return (
        await this.activate(manager, course, viewer.userId, {
          source: existing?.status === 'INVITED' ? existing.source : 'FREE',
        })
      ).enrollment;
    });
  }

  private async assertPrerequisites(manager: EntityManager, courseId: string, userId: string): Promise<void> {
    const required = await manager.getRepository(CoursePrerequisiteEntity).findBy({ courseId });
    if (required.length === 0) return;
    const done = await manager.getRepository(EnrollmentEntity).findBy({
      userId,
      courseId: In(required.map((r) => r.prerequisiteId)),
      status: 'COMPLETED',
    });
    const doneIds = new Set(done.map((e) => e.courseId));
    const missing = required.map((r) => r.prerequisiteId).filter((id) => !doneIds.has(id));
    if (missing.length > 0) throw new PrerequisitesNotMetError(missing);
  }

  /** The instructor (or an admin) enrolls a learner now, or invites them (INVITED until they accept). */
  async grant(viewer: Viewer, courseId: string, userId: string, invite: boolean): Promise<EnrollmentEntity> {
    const learnerId = assertUuid(userId, 'userId');
    return this.dataSource.transaction(async (manager) => {
      const course = await this.lockedCourse(manager, courseId);
      if (!isCourseStaff(viewer, course))
        throw new ForbiddenError('Only the course instructor or an admin may enroll learners.');
      if (course.status === 'ARCHIVED') throw new InvalidCourseStateError(course.status, 'take enrollments');
      const repo = manager.getRepository(EnrollmentEntity);
      const existing = await repo.findOneBy({ courseId: course.id, userId: learnerId });
      if (existing && (existing.status === 'ACTIVE' || existing.status === 'COMPLETED'))
        throw new AlreadyEnrolledError(existing.status);
      if (!invite)
        return (
          await this.activate(manager, course, learnerId, { source: 'INSTRUCTOR', grantedBy: viewer.userId })
        ).enrollment;
      if (existing?.status === 'INVITED') return existing;
      const now = this.clock.now();
      const enrollment = Object.assign(existing ?? new EnrollmentEntity(), {
        id: existing?.id ?? randomUUID(),
        courseId: course.id,
        userId: learnerId,
        status: 'INVITED',
        source: 'INSTRUCTOR',
        orderId: existing?.orderId ?? null,
        grantedBy: viewer.userId,
        invitedAt: now,
        activatedAt: existing?.activatedAt ?? null,
        completedAt: existing?.completedAt ?? null,
        cancelledAt: null,
        progressPercent: existing?.progressPercent ?? 0,
        lastLessonId: existing?.lastLessonId ?? null,
        lastActivityAt: existing?.lastActivityAt ?? null,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      } satisfies EnrollmentEntity);
      await repo.save(enrollment);
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: 'enrollment.invited',
        aggregateId: enrollment.id,
        payload: {
          enrollmentId: enrollment.id,
          courseId: course.id,
          userId: learnerId,
          invitedBy: viewer.userId,
        },
      });
      return enrollment;
    });
  }

  /** The learner accepts an invitation: INVITED → ACTIVE. */
  async acceptInvitation(viewer: Viewer, courseId: string): Promise<EnrollmentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const course = await this.lockedCourse(manager, courseId);
      const existing = await manager
        .getRepository(EnrollmentEntity)
        .findOneBy({ courseId: course.id, userId: viewer.userId });
      if (!existing) throw new NotFoundError('Invitation');
      if (existing.status !== 'INVITED')
        throw new InvalidEnrollmentStateError(existing.status, 'be accepted');
      return (await this.activate(manager, course, viewer.userId, { source: existing.source })).enrollment;
    });
  }

  /** Cancels an enrollment: its learner, the instructor or an admin. Access ends at once. */
  async cancel(viewer: Viewer, enrollmentId: string): Promise<EnrollmentEntity> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(EnrollmentEntity);
      const enrollment = await repo
        .createQueryBuilder('e')
        .setLock('pessimistic_write')
        .where('e.id = :id', { id: assertUuid(enrollmentId, 'enrollmentId') })
        .getOne();
      if (!enrollment) throw new NotFoundError('Enrollment');
      const course = await manager.getRepository(CourseEntity).findOneByOrFail({ id: enrollment.courseId });
      if (!this.mayView(viewer, enrollment, course)) throw new NotFoundError('Enrollment');
      if (enrollment.status === 'CANCELLED')
        throw new InvalidEnrollmentStateError(enrollment.status, 'be cancelled');
      const now = this.clock.now();
      Object.assign(enrollment, { status: 'CANCELLED', cancelledAt: now, updatedAt: now });
      await repo.save(enrollment);
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: 'enrollment.cancelled',
        aggregateId: enrollment.id,
        payload: {
          enrollmentId: enrollment.id,
          courseId: course.id,
          userId: enrollment.userId,
          cancelledBy: viewer.userId,
        },
      });
      return enrollment;
    });
  }

  /**
   * `order.paid` from commerce (runs inside the inbox transaction, so a redelivered event has no second
   * effect): each COURSE line enrolls the buyer, each EBOOK line puts the ebook in the buyer's library. Unknown courses are logged and skipped — retrying would
   * not make them appear; commerce only sells courses it learned about from learning.
   */
  readonly onOrderPaid = async (event: DomainEvent, manager: EntityManager): Promise<void> => {
    const order = parseOrderPaid(event.payload);
    if (!order) {
      this.logger.error({ eventId: event.id }, 'order.paid: malformed payload, ignored');
      return;
    }
    for (const line of order.lines) {
      if (line.kind === 'EBOOK') {
        const ebook = isUuid(line.refId)
          ? await manager.getRepository(EbookEntity).findOneBy({ id: line.refId })
          : null;
        if (!ebook)
          this.logger.error({ eventId: event.id, ebookId: line.refId }, 'order.paid: unknown ebook, skipped');
        else await this.ebooks.grant(manager, ebook.id, order.userId, 'PURCHASE', order.orderId);
        continue;
      }
      if (line.kind !== 'COURSE') continue;
      if (!isUuid(line.refId)) {
        this.logger.error({ eventId: event.id, refId: line.refId }, 'order.paid: course id is not a uuid');
        continue;
      }
      const course = await manager.getRepository(CourseEntity).findOneBy({ id: line.refId });
      if (!course) {
        this.logger.error({ eventId: event.id, courseId: line.refId }, 'order.paid: unknown course, skipped');
        continue;
      }
      await this.activate(manager, course, order.userId, { source: 'PURCHASE', orderId: order.orderId });
    }
  };
}
