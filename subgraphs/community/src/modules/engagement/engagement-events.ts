/**
 * Events the engagement module consumes (consumer `community-engagement`, kit inbox: once each).
 * Payload shapes as agreed between the community modules (/tmp contracts): the feed module publishes
 * posts, comments and reactions, the events module attendance, learning `lesson.completed`.
 * Only the fields engagement reads are typed here.
 */
export const POST_CREATED = 'community.post.created';
export const COMMENT_CREATED = 'community.comment.created';
export const REACTION_ADDED = 'community.reaction.added';
export const EVENT_ATTENDED = 'community.event.attended';
export const LESSON_COMPLETED = 'lesson.completed';

export type PostCreatedEvent = { communityId: string; postId: string; authorId: string; createdAt: string };

export type CommentCreatedEvent = {
  communityId: string;
  postId: string;
  commentId: string;
  authorId: string;
  createdAt: string;
};

export type ReactionAddedEvent = {
  communityId: string;
  targetType: 'POST' | 'COMMENT';
  targetId: string;
  targetAuthorId: string;
  userId: string;
  emoji: string;
  createdAt: string;
};

export type EventAttendedEvent = {
  communityId: string;
  eventId: string;
  occurrenceId: string;
  userId: string;
  attendedAt: string;
};

/** learning's `lesson.completed` (subgraphs/learning progress.service.ts). */
export type LessonCompletedEvent = {
  userId: string;
  courseId: string;
  lessonId: string;
  enrollmentId: string;
  completedAt: string;
};
