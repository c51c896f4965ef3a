import { randomBytes, randomUUID } from 'node:crypto';
import { ForbiddenError, recordEvent, type Viewer } from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { intInRange, isUuid } from '../../common/validation.js';
import { LEARNING_SCHEMA } from '../../environment.js';
import { assertOpen, type AccessService } from '../access/access.service.js';
import type { CourseEntity } from '../course/course.entity.js';
import type { LessonEntity } from '../curriculum/curriculum.entity.js';
import { EnrollmentEntity, grantsAccess } from '../enrollment/enrollment.entity.js';
import { CertificateEntity, LessonProgressEntity } from './progress.entity.js';

export const LESSON_COMPLETED = 'lesson.completed';
export const COURSE_COMPLETED = 'course.completed';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 16 characters of Crockford-free base32 (80 random bits): the public id printed on a certificate. */
export function newVerificationId(): string {
  const bytes = randomBytes(16);
  let id = '';
  for (const byte of bytes) id += BASE32[byte % 32];
  return id;
}

export type ProgressResult = {
  progress: LessonProgressEntity;
  enrollment: EnrollmentEntity;
  certificate: CertificateEntity | null;
};

/** Lesson positions and completion, course percent and resume point, certificates and their events. */
export class ProgressService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  /** Key `userId|lessonId`. */
  async progressOf(keys: readonly string[]): Promise<LessonProgressEntity[]> {
    const pairs = keys.map((k) => k.split('|')).filter((p) => p.length === 2 && p.every(isUuid));
    if (pairs.length === 0) return [];
    return this.dataSource.getRepository(LessonProgressEntity).find({
      where: pairs.map(([userId, lessonId]) => ({ userId: userId as string, lessonId: lessonId as string })),
    });
  }

  async certificatesOf(enrollmentIds: readonly string[]): Promise<CertificateEntity[]> {
    return this.dataSource.getRepository(CertificateEntity).findBy({ enrollmentId: In([...enrollmentIds]) });
  }

  async certificateByVerificationId(verificationId: string): Promise<CertificateEntity | null> {
    const id = verificationId.trim().toUpperCase();
    if (!/^[A-Z0-9]{16}$/.test(id)) return null;
    return this.dataSource.getRepository(CertificateEntity).findOneBy({ verificationId: id });
  }

  /**
   * Done and total counted items of a learner in a course: required lessons, required assignments (graded,
   * at or above the pass score) and required quizzes (passed); every lesson when nothing is required.
   */
  async counts(
    manager: EntityManager,
    userId: string,
    courseId: string,
  ): Promise<{ done: number; total: number }> {
    const [row] = (await manager.query(
      `WITH required_assignments AS (SELECT a.id, a.pass_score FROM "learning".assignments a WHERE a.course_id = $2 AND a.is_required),
       required_quizzes AS (SELECT q.id FROM "learning".quizzes q WHERE q.course_id = $2 AND q.is_required),
       counted AS (
         SELECT l.id FROM "learning".lessons l
         WHERE l.course_id = $2
           AND (l.is_required OR NOT (
             EXISTS (SELECT 1 FROM "learning".lessons r WHERE r.course_id = $2 AND r.is_required)
             OR EXISTS (SELECT 1 FROM required_assignments) OR EXISTS (SELECT 1 FROM required_quizzes)))
       )
       SELECT (SELECT count(*) FROM counted)::int
              + (SELECT count(*) FROM required_assignments)::int
              + (SELECT count(*) FROM required_quizzes)::int AS total,
              (SELECT count(*) FROM "learning".lesson_progress p JOIN counted c ON c.id = p.lesson_id
               WHERE p.user_id = $1 AND p.completed_at IS NOT NULL)::int
              + (SELECT count(*) FROM required_assignments a WHERE EXISTS (
                   SELECT 1 FROM "learning".assignment_submissions s
                   WHERE s.assignment_id = a.id AND s.user_id = $1 AND s.status = 'GRADED'
                     AND (a.pass_score IS NULL OR s.score >= a.pass_score)))::int
              + (SELECT count(*) FROM required_quizzes q WHERE EXISTS (
                   SELECT 1 FROM "learning".quiz_attempts t WHERE t.quiz_id = q.id AND t.user_id = $1 AND t.passed))::int AS done`,
      [userId, courseId],
    )) as { total: number; done: number }[];
    return { done: row?.done ?? 0, total: row?.total ?? 0 };
  }

  /**
   * Recomputes the enrollment's percent after a learner finished something (call inside the transaction that
   * recorded it, with the enrollment row locked). When every counted item is done, an ACTIVE enrollment becomes
   * COMPLETED, the certificate is issued (once) and `course.completed` is recorded. Saves the enrollment.
   */
  async settle(
    manager: EntityManager,
    enrollment: EnrollmentEntity,
    course: Pick<CourseEntity, 'id' | 'title'>,
  ): Promise<CertificateEntity | null> {
    const now = this.clock.now();
    const { done, total } = await this.counts(manager, enrollment.userId, course.id);
    enrollment.progressPercent = total === 0 ? 0 : Math.floor((100 * done) / total);
    enrollment.lastActivityAt = now;
    enrollment.updatedAt = now;
    const certificates = manager.getRepository(CertificateEntity);
    let certificate = await certificates.findOneBy({ enrollmentId: enrollment.id });
    if (total > 0 && done >= total && enrollment.status === 'ACTIVE') {
      Object.assign(enrollment, { status: 'COMPLETED', completedAt: now });
      if (!certificate) {
        certificate = Object.assign(new CertificateEntity(), {
          id: randomUUID(),
          verificationId: newVerificationId(),
          enrollmentId: enrollment.id,
          courseId: course.id,
          userId: enrollment.userId,
          courseTitle: course.title,
          issuedAt: now,
        } satisfies CertificateEntity);
        await certificates.insert(certificate);
      }
      await recordEvent(manager, LEARNING_SCHEMA, {
        type: COURSE_COMPLETED,
        aggregateId: course.id,
        payload: {
          userId: enrollment.userId,
          courseId: course.id,
          enrollmentId: enrollment.id,
          certificateId: certificate.id,
          verificationId: certificate.verificationId,
          completedAt: now.toISOString(),
        },
      });
    }
    await manager.getRepository(EnrollmentEntity).save(enrollment);
    return certificate;
  }

  /** The learner's enrollment in a course, locked for `settle` (null without one). */
  async lockEnrollment(
    manager: EntityManager,
    courseId: string,
    userId: string,
  ): Promise<EnrollmentEntity | null> {
    return manager
      .getRepository(EnrollmentEntity)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.course_id = :courseId AND e.user_id = :userId', { courseId, userId })
      .getOne();
  }

  /** Loads the lesson for the enrolled viewer (OPEN content only) and locks their enrollment row. */
  private async forLearner(manager: EntityManager, viewer: Viewer, lessonId: string) {
    const context = await this.access.requireLessonContext(viewer, lessonId, manager);
    if (!context.enrollment || !grantsAccess(context.enrollment))
      throw new ForbiddenError('Enroll in this course to record progress.');
    assertOpen(context.access);
    const enrollment = await manager
      .getRepository(EnrollmentEntity)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.id = :id', { id: context.enrollment.id })
      .getOneOrFail();
    return { ...context, enrollment };
  }

  private async upsert(
    manager: EntityManager,
    userId: string,
    lesson: LessonEntity,
    values: { positionSeconds?: number | null; positionPage?: number | null; completedAt?: Date },
  ): Promise<{ progress: LessonProgressEntity; newlyCompleted: boolean }> {
    const repo = manager.getRepository(LessonProgressEntity);
    const now = this.clock.now();
    const existing = await repo.findOneBy({ userId, lessonId: lesson.id });
    const wasCompleted = Boolean(existing?.completedAt);
    const progress = Object.assign(existing ?? new LessonProgressEntity(), {
      userId,
      lessonId: lesson.id,
      courseId: lesson.courseId,
      positionSeconds:
        values.positionSeconds !== undefined ? values.positionSeconds : (existing?.positionSeconds ?? null),
      positionPage:
        values.positionPage !== undefined ? values.positionPage : (existing?.positionPage ?? null),
      completedAt: existing?.completedAt ?? values.completedAt ?? null,
      updatedAt: now,
    } satisfies LessonProgressEntity);
    await repo.save(progress);
    return { progress, newlyCompleted: !wasCompleted && Boolean(values.completedAt) };
  }

  /** Saves where the learner is in a lesson (video seconds, page); it becomes the resume point. */
  async savePosition(
    viewer: Viewer,
    lessonId: string,
    position: { positionSeconds?: number | null; positionPage?: number | null },
  ): Promise<ProgressResult> {
    const values: { positionSeconds?: number | null; positionPage?: number | null } = {};
    if (position.positionSeconds !== undefined && position.positionSeconds !== null)
      values.positionSeconds = intInRange(position.positionSeconds, 'positionSeconds', 0, 86_400);
    if (position.positionPage !== undefined && position.positionPage !== null)
      values.positionPage = intInRange(position.positionPage, 'positionPage', 1, 100_000);
    return this.dataSource.transaction(async (manager) => {
      const { lesson, enrollment } = await this.forLearner(manager, viewer, lessonId);
      const { progress } = await this.upsert(manager, viewer.userId, lesson, values);
      const now = this.clock.now();
      Object.assign(enrollment, { lastLessonId: lesson.id, lastActivityAt: now, updatedAt: now });
      await manager.getRepository(EnrollmentEntity).save(enrollment);
      const certificate = await manager
        .getRepository(CertificateEntity)
        .findOneBy({ enrollmentId: enrollment.id });
      return { progress, enrollment, certificate };
    });
  }

  /**
   * Marks a lesson complete (idempotent), updates the course percent, and when every counted lesson is
   * done completes the enrollment and issues the certificate. Records `lesson.completed` once per
   * lesson and learner, `course.completed` once per enrollment.
   */
  async completeLesson(viewer: Viewer, lessonId: string): Promise<ProgressResult> {
    return this.dataSource.transaction(async (manager) => {
      const { lesson, course, enrollment } = await this.forLearner(manager, viewer, lessonId);
      const now = this.clock.now();
      const { progress, newlyCompleted } = await this.upsert(manager, viewer.userId, lesson, {
        completedAt: now,
      });
      if (newlyCompleted)
        await recordEvent(manager, LEARNING_SCHEMA, {
          type: LESSON_COMPLETED,
          aggregateId: lesson.id,
          payload: {
            userId: viewer.userId,
            courseId: course.id,
            lessonId: lesson.id,
            enrollmentId: enrollment.id,
            completedAt: now.toISOString(),
          },
        });
      enrollment.lastLessonId = lesson.id;
      const certificate = await this.settle(manager, enrollment, course);
      return { progress, enrollment, certificate };
    });
  }

  /** The resume point of enrollments: the last lesson worked on, else the course's first lesson. */
  async firstLessons(courseIds: readonly string[]): Promise<Map<string, string>> {
    const rows: { course_id: string; id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (l.course_id) l.course_id, l.id
       FROM "learning".lessons l JOIN "learning".course_modules m ON m.id = l.module_id
       WHERE l.course_id = ANY($1::uuid[])
       ORDER BY l.course_id, m.position, l.position`,
      [[...courseIds]],
    );
    return new Map(rows.map((r) => [r.course_id, r.id]));
  }
}
