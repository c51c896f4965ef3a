import { randomUUID } from 'node:crypto';
import {
  ForbiddenError,
  NotFoundError,
  paginate,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
import { In, type DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { assertUuid, intInRange, text } from '../../common/validation.js';
import { CourseEntity } from '../course/course.entity.js';
import { EnrollmentEntity, grantsAccess } from '../enrollment/enrollment.entity.js';
import { CourseReviewEntity } from './review.entity.js';

/** One rating (1–5) and review per enrolled learner and course; the course row keeps the aggregate. */
export class ReviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async ofCourse(courseId: string, args: ConnectionArgs): Promise<Connection<CourseReviewEntity>> {
    const qb = this.dataSource
      .getRepository(CourseReviewEntity)
      .createQueryBuilder('r')
      .where('r.course_id = :courseId', { courseId });
    return paginate(qb, args, { alias: 'r', sortBy: 'createdAt', direction: 'DESC' });
  }

  /** Key `courseId|userId`. */
  async byCourseAndUser(keys: readonly string[]): Promise<CourseReviewEntity[]> {
    const pairs = keys.map((k) => k.split('|') as [string, string]);
    if (pairs.length === 0) return [];
    return this.dataSource
      .getRepository(CourseReviewEntity)
      .find({ where: pairs.map(([courseId, userId]) => ({ courseId, userId })) });
  }

  async byIds(ids: readonly string[]): Promise<CourseReviewEntity[]> {
    return this.dataSource.getRepository(CourseReviewEntity).findBy({ id: In([...ids]) });
  }

  /** Creates or edits the viewer's review; needs an ACTIVE or COMPLETED enrollment. */
  async upsert(
    viewer: Viewer,
    courseId: string,
    rating: number,
    body: string | null,
  ): Promise<CourseReviewEntity> {
    const stars = intInRange(rating, 'rating', 1, 5);
    const cleanBody = body === null ? '' : text(body, 'body', 0, 5000);
    return this.dataSource.transaction(async (manager) => {
      // The course row lock keeps the aggregate consistent under concurrent reviews.
      const course = await manager
        .getRepository(CourseEntity)
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.id = :id', { id: assertUuid(courseId, 'courseId') })
        .getOne();
      if (!course) throw new NotFoundError('Course');
      const enrollment = await manager
        .getRepository(EnrollmentEntity)
        .findOneBy({ courseId: course.id, userId: viewer.userId });
      if (!grantsAccess(enrollment)) throw new ForbiddenError('Only enrolled learners review a course.');
      const repo = manager.getRepository(CourseReviewEntity);
      const existing = await repo.findOneBy({ courseId: course.id, userId: viewer.userId });
      const previousRating = existing?.rating ?? null;
      const now = this.clock.now();
      const review = Object.assign(existing ?? new CourseReviewEntity(), {
        id: existing?.id ?? randomUUID(),
        courseId: course.id,
        userId: viewer.userId,
        rating: stars,
        body: cleanBody,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      } satisfies CourseReviewEntity);
      await repo.save(review);
      await manager.getRepository(CourseEntity).update(
        { id: course.id },
        {
          ratingCount: course.ratingCount + (previousRating === null ? 1 : 0),
          ratingSum: course.ratingSum - (previousRating ?? 0) + stars,
        },
      );
      return review;
    });
  }

  /** Removes the viewer's review (or any, for admins). */
  async remove(viewer: Viewer, courseId: string, userId: string | null): Promise<void> {
    const author = userId ? assertUuid(userId, 'userId') : viewer.userId;
    if (author !== viewer.userId && !viewer.roles.includes('ADMIN'))
      throw new ForbiddenError('Only admins remove other people’s reviews.');
    await this.dataSource.transaction(async (manager) => {
      const course = await manager
        .getRepository(CourseEntity)
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.id = :id', { id: assertUuid(courseId, 'courseId') })
        .getOne();
      if (!course) throw new NotFoundError('Course');
      const review = await manager
        .getRepository(CourseReviewEntity)
        .findOneBy({ courseId: course.id, userId: author });
      if (!review) throw new NotFoundError('Review');
      await manager.getRepository(CourseReviewEntity).delete({ id: review.id });
      await manager
        .getRepository(CourseEntity)
        .update(
          { id: course.id },
          { ratingCount: course.ratingCount - 1, ratingSum: course.ratingSum - review.rating },
        );
    });
  }
}
