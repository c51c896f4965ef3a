import { NotFoundError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { assertUuid, intInRange, isUuid } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import { CommunityCourseEntity } from './feed.entity.js';
import { ClassroomFullError } from './feed.errors.js';

/** Courses one classroom links. */
export const MAX_CLASSROOM_COURSES = 100;

const S = '"community"';

/**
 * The communities whose classroom links a course — for engagement's `lesson.completed` handler (award
 * points only in those communities). Pass the handler's `manager` to read inside its transaction.
 */
export async function communitiesLinkingCourse(manager: EntityManager, courseId: string): Promise<string[]> {
  if (!isUuid(courseId)) return [];
  const rows: { community_id: string }[] = await manager.query(
    `SELECT community_id FROM ${S}.community_courses WHERE course_id = $1 ORDER BY community_id`,
    [courseId],
  );
  return rows.map((r) => r.community_id);
}

/** Whether the community's classroom links the course. */
export async function classroomLinksCourse(
  manager: EntityManager,
  communityId: string,
  courseId: string,
): Promise<boolean> {
  if (!isUuid(communityId) || !isUuid(courseId)) return false;
  const rows: unknown[] = await manager.query(
    `SELECT 1 FROM ${S}.community_courses WHERE community_id = $1 AND course_id = $2`,
    [communityId, courseId],
  );
  return rows.length > 0;
}

/**
 * The classroom: learning courses linked to a community, in order. Linking needs COMMUNITY_UPDATE or
 * RESOURCE_MANAGE. Course ids are learning's (`Course @key(fields: "id")`); learning resolves them for
 * the viewer (a course they may not see — unpublished, missing — resolves to null).
 */
export class ClassroomService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
  ) {}

  /**
   * Links a course (or moves a linked one) at `position` (0-based; default: the end). Later courses move
   * down one place. At most MAX_CLASSROOM_COURSES per community (CLASSROOM_FULL).
   */
  async link(
    viewer: Viewer,
    communityId: string,
    courseId: string,
    position: number | null = null,
  ): Promise<CommunityCourseEntity> {
    const course = assertUuid(courseId, 'courseId');
    if (position !== null) intInRange(position, 'position', 0, MAX_CLASSROOM_COURSES - 1);
    if (!isUuid(communityId)) throw new NotFoundError('Community');
    const now = this.clock.now();
    return this.dataSource.transaction(async (manager) => {
      // The community row's lock orders concurrent changes to one classroom.
      const context = await this.access.resolve(viewer, communityId, { manager, lockCommunity: true });
      this.assertMayManage(context);
      const linked: { course_id: string; position: number }[] = await manager.query(
        `SELECT course_id, position FROM ${S}.community_courses WHERE community_id = $1 ORDER BY position, course_id`,
        [communityId],
      );
      const others = linked.filter((l) => l.course_id !== course).map((l) => l.course_id);
      const existing = linked.find((l) => l.course_id === course);
      if (!existing && linked.length >= MAX_CLASSROOM_COURSES)
        throw new ClassroomFullError(MAX_CLASSROOM_COURSES);
      const at = Math.min(position ?? others.length, others.length);
      const order = [...others.slice(0, at), course, ...others.slice(at)];
      if (!existing)
        await manager.getRepository(CommunityCourseEntity).insert({
          communityId,
          courseId: course,
          position: at,
          addedById: viewer.userId,
          createdAt: now,
        });
      await manager.query(
        `UPDATE ${S}.community_courses cc SET position = o.n - 1
           FROM unnest($2::uuid[]) WITH ORDINALITY AS o(course_id, n)
          WHERE cc.community_id = $1 AND cc.course_id = o.course_id AND cc.position <> o.n - 1`,
        [communityId, order],
      );
      return manager.getRepository(CommunityCourseEntity).findOneByOrFail({ communityId, courseId: course });
    });
  }

  /** Unlinks a course; later courses move up. NOT_FOUND when it was not linked. */
  async unlink(viewer: Viewer, communityId: string, courseId: string): Promise<CommunityCourseEntity> {
    if (!isUuid(communityId)) throw new NotFoundError('Community');
    return this.dataSource.transaction(async (manager) => {
      const context = await this.access.resolve(viewer, communityId, { manager, lockCommunity: true });
      this.assertMayManage(context);
      const link = isUuid(courseId)
        ? await manager.getRepository(CommunityCourseEntity).findOneBy({ communityId, courseId })
        : null;
      if (!link) throw new NotFoundError('Classroom course');
      await manager.getRepository(CommunityCourseEntity).delete({ communityId, courseId: link.courseId });
      await manager.query(
        `UPDATE ${S}.community_courses SET position = position - 1 WHERE community_id = $1 AND position > $2`,
        [communityId, link.position],
      );
      return link;
    });
  }

  /** COMMUNITY_UPDATE or RESOURCE_MANAGE; otherwise the typed error for RESOURCE_MANAGE. */
  private assertMayManage(context: CommunityAccessContext): void {
    if (context.has('COMMUNITY_UPDATE')) return;
    this.access.assert(context, 'RESOURCE_MANAGE');
  }
}
