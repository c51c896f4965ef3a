import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Contract with moderation (`feed-moderation.ts`): who sees a post or comment. */
export const MODERATION_STATES = ['VISIBLE', 'PENDING_REVIEW', 'SUPPRESSED', 'REMOVED'] as const;
export type ModerationState = (typeof MODERATION_STATES)[number];

/**
 * A post in a community feed. `publishAt` is when it becomes visible (creation time, or a scheduled
 * time); `publishedAt` is set once `community.post.created` was recorded for it (at creation, or by the
 * scheduled-post job). `score` (reactions + 2 × comments) is a generated column ranking TOP feeds.
 */
@Entity({ name: 'posts' })
export class PostEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  authorId!: string;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  /** Sanitised HTML. */
  @Column({ type: 'text' })
  body!: string;

  /** Plain text, ≤ 280 characters: locked previews, notifications. */
  @Column({ type: 'text' })
  excerpt!: string;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ type: 'uuid', array: true })
  mentionUserIds!: string[];

  @Column({ type: 'text', array: true })
  mentionHandles!: string[];

  @Column({ type: 'uuid', array: true })
  attachmentAssetIds!: string[];

  @Column({ type: 'boolean' })
  announcement!: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  pinnedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  pinnedById!: string | null;

  @Column({ type: 'timestamptz' })
  publishAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ type: 'text' })
  moderationState!: ModerationState;

  @Column({ type: 'uuid', nullable: true })
  requiredTierId!: string | null;

  @Column({ type: 'integer' })
  commentCount!: number;

  @Column({ type: 'integer' })
  reactionCount!: number;

  @Column({ type: 'integer', insert: false, update: false })
  score!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  deletedById!: string | null;
}

/** A comment on a post; `depth` 0–2 (`parentId` null at 0), `ancestorIds` root first. */
@Entity({ name: 'comments' })
export class CommentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  postId!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  authorId!: string;

  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  @Column({ type: 'uuid', array: true })
  ancestorIds!: string[];

  @Column({ type: 'integer' })
  depth!: number;

  /** Sanitised HTML. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'uuid', array: true })
  mentionUserIds!: string[];

  @Column({ type: 'text', array: true })
  mentionHandles!: string[];

  @Column({ type: 'text' })
  moderationState!: ModerationState;

  /** Direct replies that are not deleted. */
  @Column({ type: 'integer' })
  replyCount!: number;

  @Column({ type: 'integer' })
  reactionCount!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  deletedById!: string | null;
}

export type ReactionTargetType = 'POST' | 'COMMENT';

@Entity({ name: 'reactions' })
export class ReactionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  /** The post (for a comment: its post), so deleting a post removes every reaction under it. */
  @Column({ type: 'uuid' })
  postId!: string;

  @Column({ type: 'text' })
  targetType!: ReactionTargetType;

  @Column({ type: 'uuid' })
  targetId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  emoji!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/** Reactions per target and emoji, kept in the transaction of every add and remove. */
@Entity({ name: 'reaction_counts' })
export class ReactionCountEntity {
  @PrimaryColumn({ type: 'text' })
  targetType!: ReactionTargetType;

  @PrimaryColumn({ type: 'uuid' })
  targetId!: string;

  @PrimaryColumn({ type: 'text' })
  emoji!: string;

  @Column({ type: 'integer' })
  count!: number;

  @Column({ type: 'timestamptz' })
  firstAt!: Date;
}

export type PollMode = 'SINGLE' | 'MULTIPLE';

@Entity({ name: 'polls' })
export class PollEntity {
  @PrimaryColumn({ type: 'uuid' })
  postId!: string;

  @Column({ type: 'text' })
  mode!: PollMode;

  @Column({ type: 'timestamptz', nullable: true })
  closesAt!: Date | null;

  @Column({ type: 'boolean' })
  resultsHiddenUntilVoted!: boolean;

  @Column({ type: 'integer' })
  voterCount!: number;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'poll_options' })
export class PollOptionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  postId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'text' })
  label!: string;

  @Column({ type: 'integer' })
  voteCount!: number;
}

@Entity({ name: 'poll_votes' })
export class PollVoteEntity {
  @PrimaryColumn({ type: 'uuid' })
  optionId!: string;

  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  postId!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ name: 'resources' })
export class ResourceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'uuid', nullable: true })
  assetId!: string | null;

  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Column({ type: 'text', nullable: true })
  folder!: string | null;

  @Column({ type: 'uuid', nullable: true })
  requiredTierId!: string | null;

  @Column({ type: 'uuid' })
  createdById!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** A learning course linked to a community's classroom. */
@Entity({ name: 'community_courses' })
export class CommunityCourseEntity {
  @PrimaryColumn({ type: 'uuid' })
  communityId!: string;

  @PrimaryColumn({ type: 'uuid' })
  courseId!: string;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ type: 'uuid' })
  addedById!: string;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;
}

/** Every entity of the feed module (appended to `communityEntities`). */
export const feedEntities = [
  PostEntity,
  CommentEntity,
  ReactionEntity,
  ReactionCountEntity,
  PollEntity,
  PollOptionEntity,
  PollVoteEntity,
  ResourceEntity,
  CommunityCourseEntity,
];
