import type { DomainEvent, DomainEventHandler } from '@edugraph/kit';
import type { Clock } from '../../common/clock.js';
import { communitiesLinkingCourse } from '../feed/classroom.service.js';
import {
  COMMENT_CREATED,
  EVENT_ATTENDED,
  LESSON_COMPLETED,
  POST_CREATED,
  REACTION_ADDED,
  type CommentCreatedEvent,
  type EventAttendedEvent,
  type LessonCompletedEvent,
  type PostCreatedEvent,
  type ReactionAddedEvent,
} from './engagement-events.js';
import type { PointsService } from './points.service.js';

/** The consumer of the engagement module's events (its own inbox entries, apart from consumer `community`). */
export const ENGAGEMENT_CONSUMER = 'community-engagement';

/** The activity's time from the payload, else when the event was recorded, else now. */
function timeOf(value: unknown, event: DomainEvent, clock: Clock): Date {
  for (const candidate of [value, event.occurredAt]) {
    if (typeof candidate !== 'string') continue;
    const date = new Date(candidate);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return clock.now();
}

/**
 * Automatic points, each once (kit inbox per event; the ledger's `source_key` per activity):
 * - `community.post.created` → the author (`post:<postId>`); `community.comment.created` → the author
 *   (`comment:<commentId>`);
 * - `community.reaction.added` → the target's author, not for reacting to oneself; once per reactor and
 *   target whatever the emoji (`reaction:<type>:<targetId>:<reactorId>`). Removing a reaction does not
 *   take the points back, and adding it again does not award them twice;
 * - `community.event.attended` → the attendee (`attended:<occurrenceId>:<userId>`), also counted as
 *   attendance;
 * - learning's `lesson.completed` → the learner in each community whose classroom links the course
 *   (feed's `communitiesLinkingCourse`) and where they are an ACTIVE member (`lesson:<lessonId>:<userId>`).
 * Only ACTIVE members earn points. Posts, comments, attendance and lessons continue the streak.
 */
export function engagementEventHandlers(
  points: PointsService,
  clock: Clock,
): Record<string, DomainEventHandler> {
  return {
    [POST_CREATED]: async (event, manager) => {
      const p = event.payload as PostCreatedEvent;
      await points.awardAutomatic(manager, {
        communityId: p.communityId,
        userId: p.authorId,
        reason: 'POST_CREATED',
        sourceKey: `post:${p.postId}`,
        occurredAt: timeOf(p.createdAt, event, clock),
      });
    },
    [COMMENT_CREATED]: async (event, manager) => {
      const p = event.payload as CommentCreatedEvent;
      await points.awardAutomatic(manager, {
        communityId: p.communityId,
        userId: p.authorId,
        reason: 'COMMENT_CREATED',
        sourceKey: `comment:${p.commentId}`,
        occurredAt: timeOf(p.createdAt, event, clock),
      });
    },
    [REACTION_ADDED]: async (event, manager) => {
      const p = event.payload as ReactionAddedEvent;
      if (!p.targetAuthorId || p.targetAuthorId === p.userId) return;
      await points.awardAutomatic(manager, {
        communityId: p.communityId,
        userId: p.targetAuthorId,
        reason: 'REACTION_RECEIVED',
        sourceKey: `reaction:${p.targetType}:${p.targetId}:${p.userId}`,
        occurredAt: timeOf(p.createdAt, event, clock),
      });
    },
    [EVENT_ATTENDED]: async (event, manager) => {
      const p = event.payload as EventAttendedEvent;
      await points.awardAutomatic(manager, {
        communityId: p.communityId,
        userId: p.userId,
        reason: 'EVENT_ATTENDED',
        sourceKey: `attended:${p.occurrenceId ?? p.eventId}:${p.userId}`,
        occurredAt: timeOf(p.attendedAt, event, clock),
      });
    },
    [LESSON_COMPLETED]: async (event, manager) => {
      const p = event.payload as LessonCompletedEvent;
      // Only where the classroom links the course; awardAutomatic skips communities the learner is not active in.
      for (const communityId of await communitiesLinkingCourse(manager, p.courseId))
        await points.awardAutomatic(manager, {
          communityId,
          userId: p.userId,
          reason: 'LESSON_COMPLETED',
          sourceKey: `lesson:${p.lessonId}:${p.userId}`,
          occurredAt: timeOf(p.completedAt, event, clock),
        });
    },
  };
}
