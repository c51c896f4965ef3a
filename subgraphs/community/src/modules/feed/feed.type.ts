import { ConnectionArgs, ConnectionType } from '@edugraph/kit';
import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type {
  CommentEntity,
  CommunityCourseEntity,
  ModerationState,
  PollEntity,
  PostEntity,
  ResourceEntity,
} from './feed.entity.js';

export enum ModerationStateEnum {
  VISIBLE = 'VISIBLE',
  PENDING_REVIEW = 'PENDING_REVIEW',
  SUPPRESSED = 'SUPPRESSED',
  REMOVED = 'REMOVED',
}
registerEnumType(ModerationStateEnum, {
  name: 'ContentModerationState',
  description:
    'VISIBLE: every reader. PENDING_REVIEW, SUPPRESSED: moderators and the author only. REMOVED: moderators, by id only.',
});

export enum PostStatusEnum {
  PUBLISHED = 'PUBLISHED',
  SCHEDULED = 'SCHEDULED',
}
registerEnumType(PostStatusEnum, {
  name: 'PostStatus',
  description:
    'SCHEDULED until `publishAt` (visible to the author and moderators only), PUBLISHED from then on.',
});

export enum FeedSortEnum {
  NEW = 'NEW',
  TOP = 'TOP',
}
registerEnumType(FeedSortEnum, {
  name: 'CommunityFeedSort',
  description: 'NEW: newest first. TOP: highest score (reactions + 2 × comments) first, then newest.',
});

export enum FeedWindowEnum {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  ALL = 'ALL',
}
registerEnumType(FeedWindowEnum, {
  name: 'CommunityFeedWindow',
  description: 'Posts published within the last 24 hours, 7 days, 30 days, or ever.',
});

export enum ReactionTargetTypeEnum {
  POST = 'POST',
  COMMENT = 'COMMENT',
}
registerEnumType(ReactionTargetTypeEnum, { name: 'ReactionTargetType' });

export enum PollModeEnum {
  SINGLE = 'SINGLE',
  MULTIPLE = 'MULTIPLE',
}
registerEnumType(PollModeEnum, {
  name: 'PollMode',
  description: 'SINGLE: exactly one option per voter. MULTIPLE: one or more.',
});

export enum FeedEventKindEnum {
  CREATED = 'CREATED',
  UPDATED = 'UPDATED',
  DELETED = 'DELETED',
  PINNED = 'PINNED',
  UNPINNED = 'UNPINNED',
}
registerEnumType(FeedEventKindEnum, {
  name: 'CommunityFeedEventKind',
  description:
    'CREATED: published (scheduled posts at their time). DELETED: deleted — or no longer visible to you (moderation).',
});

@ObjectType('ReactionCount')
export class ReactionCount {
  @Field(() => String)
  emoji!: string;

  @Field(() => Int)
  count!: number;
}

/** A post in a community feed. */
@Directive('@key(fields: "id")')
@ObjectType('Post')
export class Post {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true, description: 'Plain text, at most 200 characters.' })
  title!: string | null;

  @Field(() => String, {
    description: 'Plain text, at most 280 characters (also shown when the post is locked).',
  })
  excerpt!: string;

  @Field(() => [String], { description: 'Lowercase, 1–32 characters each, at most 12.' })
  tags!: string[];

  @Field(() => [String], { description: '`@handle` mentions as written (lowercased).' })
  mentionHandles!: string[];

  @Field(() => Boolean, { description: 'An announcement (notifies every member).' })
  announcement!: boolean;

  @Field(() => Boolean)
  pinned!: boolean;

  @Field(() => Date, { nullable: true })
  pinnedAt!: Date | null;

  @Field(() => PostStatusEnum)
  status!: PostStatusEnum;

  @Field(() => Date, { description: 'When it becomes (or became) visible.' })
  publishAt!: Date;

  @Field(() => ModerationStateEnum)
  moderationState!: ModerationStateEnum;

  @Field(() => ID, { nullable: true, description: 'A paid tier of the community gating the body.' })
  requiredTierId!: string | null;

  @Field(() => Int, { description: 'Visible comments (all depths).' })
  commentCount!: number;

  @Field(() => Int, { description: 'Reactions (all emojis).' })
  reactionCount!: number;

  @Field(() => Int, { description: 'reactionCount + 2 × commentCount (TOP feeds).' })
  score!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Last edit after publication.' })
  editedAt!: Date | null;

  entity!: PostEntity;

  static from(entity: PostEntity, now: Date): Post {
    return Object.assign(new Post(), {
      id: entity.id,
      title: entity.title,
      excerpt: entity.excerpt,
      tags: entity.tags,
      mentionHandles: entity.mentionHandles,
      announcement: entity.announcement,
      pinned: entity.pinnedAt !== null,
      pinnedAt: entity.pinnedAt,
      status: entity.publishAt > now ? PostStatusEnum.SCHEDULED : PostStatusEnum.PUBLISHED,
      publishAt: entity.publishAt,
      moderationState: entity.moderationState as ModerationStateEnum,
      requiredTierId: entity.requiredTierId,
      commentCount: entity.commentCount,
      reactionCount: entity.reactionCount,
      score: entity.score ?? entity.reactionCount + 2 * entity.commentCount,
      createdAt: entity.createdAt,
      editedAt: entity.editedAt,
      entity,
    });
  }
}

export const PostConnection = ConnectionType(Post, 'Post');

@ObjectType('Comment')
export class Comment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, { nullable: true })
  parentId!: string | null;

  @Field(() => Int, { description: '0: a comment on the post; 1 and 2: replies (three levels at most).' })
  depth!: number;

  @Field(() => String, { description: 'Sanitised HTML, 1–4,000 characters of text.' })
  body!: string;

  @Field(() => [String])
  mentionHandles!: string[];

  @Field(() => ModerationStateEnum)
  moderationState!: ModerationStateEnum;

  @Field(() => Int, { description: 'Visible direct replies.' })
  replyCount!: number;

  @Field(() => Int)
  reactionCount!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  editedAt!: Date | null;

  entity!: CommentEntity;

  static from(entity: CommentEntity): Comment {
    return Object.assign(new Comment(), {
      id: entity.id,
      parentId: entity.parentId,
      depth: entity.depth,
      body: entity.body,
      mentionHandles: entity.mentionHandles,
      moderationState: entity.moderationState as ModerationState as ModerationStateEnum,
      replyCount: entity.replyCount,
      reactionCount: entity.reactionCount,
      createdAt: entity.createdAt,
      editedAt: entity.editedAt,
      entity,
    });
  }
}

export const CommentConnection = ConnectionType(Comment, 'Comment');

@ObjectType('PollOption')
export class PollOption {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  position!: number;

  @Field(() => String)
  label!: string;

  @Field(() => Int, { nullable: true, description: 'Null while the results are hidden from the viewer.' })
  voteCount!: number | null;
}

@ObjectType('Poll')
export class Poll {
  @Field(() => PollModeEnum)
  mode!: PollModeEnum;

  @Field(() => Date, { nullable: true })
  closesAt!: Date | null;

  @Field(() => Boolean)
  closed!: boolean;

  @Field(() => Boolean, {
    description: 'Results are hidden from each viewer until they vote (or the poll closes).',
  })
  resultsHiddenUntilVoted!: boolean;

  entity!: PollEntity;

  static from(entity: PollEntity, now: Date): Poll {
    return Object.assign(new Poll(), {
      mode: entity.mode as PollModeEnum,
      closesAt: entity.closesAt,
      closed: entity.closesAt !== null && entity.closesAt <= now,
      resultsHiddenUntilVoted: entity.resultsHiddenUntilVoted,
      entity,
    });
  }
}

@ObjectType('Resource')
export class Resource {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  description!: string;

  @Field(() => String, { nullable: true, description: 'A folder (category) of the library.' })
  folder!: string | null;

  @Field(() => ID, { nullable: true })
  requiredTierId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  entity!: ResourceEntity;

  static from(entity: ResourceEntity): Resource {
    return Object.assign(new Resource(), {
      id: entity.id,
      title: entity.title,
      description: entity.description,
      folder: entity.folder,
      requiredTierId: entity.requiredTierId,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      entity,
    });
  }
}

export const ResourceConnection = ConnectionType(Resource, 'Resource');

@ObjectType('ClassroomCourse', { description: 'A learning course linked to a community’s classroom.' })
export class ClassroomCourse {
  @Field(() => Int, { description: '0-based place in the classroom.' })
  position!: number;

  @Field(() => Date)
  addedAt!: Date;

  entity!: CommunityCourseEntity;

  static from(entity: CommunityCourseEntity): ClassroomCourse {
    return Object.assign(new ClassroomCourse(), {
      position: entity.position,
      addedAt: entity.createdAt,
      entity,
    });
  }
}

export const ClassroomCourseConnection = ConnectionType(ClassroomCourse, 'ClassroomCourse');

@ObjectType('CommunityFeedEvent')
export class CommunityFeedEvent {
  @Field(() => FeedEventKindEnum)
  kind!: FeedEventKindEnum;

  @Field(() => ID)
  communityId!: string;

  @Field(() => ID)
  postId!: string;

  @Field(() => Post, { nullable: true, description: 'Null for DELETED.' })
  post!: Post | null;

  @Field(() => Date)
  at!: Date;
}

// --- arguments and inputs ---

@ArgsType()
export class CommunityFeedArgs {
  @Field(() => Int, { nullable: true, description: 'Posts after the pinned ones (default 20, at most 50).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => FeedSortEnum, { nullable: true, description: 'Default NEW.' })
  sort?: FeedSortEnum | null;

  @Field(() => FeedWindowEnum, { nullable: true, description: 'Default ALL.' })
  window?: FeedWindowEnum | null;

  @Field(() => String, { nullable: true, description: 'Only posts with this tag.' })
  tag?: string | null;
}

@ArgsType()
export class ScheduledPostsArgs {
  @Field(() => Int, { nullable: true, description: 'Default 20, at most 50.' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class CommentsArgs extends ConnectionArgs {}

@ArgsType()
export class ResourcesArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Only this folder.' })
  folder?: string | null;
}

@InputType('CreatePollInput')
export class CreatePollInput {
  @Field(() => [String], { description: '2–10 different options, 1–100 characters each.' })
  options!: string[];

  @Field(() => PollModeEnum, { nullable: true, description: 'Default SINGLE.' })
  mode?: PollModeEnum | null;

  @Field(() => Date, { nullable: true, description: 'In the future, at most a year ahead; null: open.' })
  closesAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'Default false.' })
  resultsHiddenUntilVoted?: boolean | null;
}

@InputType('CreatePostInput')
export class CreatePostInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  title?: string | null;

  @Field(() => String, { description: 'Rich text (HTML, sanitised): 1–8,000 characters of text.' })
  body!: string;

  @Field(() => [String], { nullable: true, description: 'At most 12; normalised to lowercase.' })
  tags?: string[] | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Mentioned users (besides `@handle`s in the text), at most 50.',
  })
  mentionUserIds?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Media assets, at most 10.' })
  attachmentAssetIds?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'POST_PIN.' })
  pinned?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'POST_ANNOUNCE.' })
  announcement?: boolean | null;

  @Field(() => Date, { nullable: true, description: 'Schedule: in the future, at most a year ahead.' })
  publishAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'TIER_MANAGE: gate the body behind a paid tier.' })
  requiredTierId?: string | null;

  @Field(() => CreatePollInput, { nullable: true })
  poll?: CreatePollInput | null;
}

@InputType('UpdatePostInput')
export class UpdatePostInput {
  @Field(() => ID)
  postId!: string;

  @Field(() => String, { nullable: true, description: 'null or empty: no title.' })
  title?: string | null;

  @Field(() => String, { nullable: true })
  body?: string | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => [ID], { nullable: true })
  mentionUserIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  attachmentAssetIds?: string[] | null;

  @Field(() => Date, { nullable: true, description: 'Reschedule a post not yet published.' })
  publishAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'TIER_MANAGE; null removes the gate.' })
  requiredTierId?: string | null;
}

@InputType('PinPostInput')
export class PinPostInput {
  @Field(() => ID)
  postId!: string;

  @Field(() => Boolean)
  pinned!: boolean;
}

@InputType('DeletePostInput')
export class DeletePostInput {
  @Field(() => ID)
  postId!: string;
}

@ObjectType('PostPayload')
export class PostPayload {
  @Field(() => Post)
  post!: Post;
}

@ObjectType('DeletePostPayload')
export class DeletePostPayload {
  @Field(() => ID)
  postId!: string;
}

@InputType('CreateCommentInput')
export class CreateCommentInput {
  @Field(() => ID)
  postId!: string;

  @Field(() => ID, { nullable: true, description: 'Reply to this comment (three levels at most).' })
  parentId?: string | null;

  @Field(() => String, { description: 'Rich text (HTML, sanitised): 1–4,000 characters of text.' })
  body!: string;

  @Field(() => [ID], { nullable: true })
  mentionUserIds?: string[] | null;
}

@InputType('UpdateCommentInput')
export class UpdateCommentInput {
  @Field(() => ID)
  commentId!: string;

  @Field(() => String)
  body!: string;

  @Field(() => [ID], { nullable: true })
  mentionUserIds?: string[] | null;
}

@InputType('DeleteCommentInput')
export class DeleteCommentInput {
  @Field(() => ID)
  commentId!: string;
}

@ObjectType('CommentPayload')
export class CommentPayload {
  @Field(() => Comment)
  comment!: Comment;

  @Field(() => Post, { description: 'The post, with its comment count.' })
  post!: Post;
}

@ObjectType('DeleteCommentPayload')
export class DeleteCommentPayload {
  @Field(() => ID)
  commentId!: string;

  @Field(() => Post)
  post!: Post;
}

@InputType('CommunityReactionInput')
export class CommunityReactionInput {
  @Field(() => ReactionTargetTypeEnum)
  targetType!: ReactionTargetTypeEnum;

  @Field(() => ID)
  targetId!: string;

  @Field(() => String, { description: 'One emoji (a single grapheme such as 👍, 👍🏽, 👩‍💻 or 🇵🇹).' })
  emoji!: string;
}

@ObjectType('CommunityReactionPayload')
export class CommunityReactionPayload {
  @Field(() => Post)
  post!: Post;

  @Field(() => Comment, { nullable: true, description: 'For COMMENT targets.' })
  comment!: Comment | null;
}

@InputType('VotePollInput')
export class VotePollInput {
  @Field(() => ID)
  postId!: string;

  @Field(() => [ID], {
    description: 'SINGLE: exactly one option; MULTIPLE: one or more. Replaces an earlier vote.',
  })
  optionIds!: string[];
}

@InputType('CreateResourceInput')
export class CreateResourceInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { description: '1–200 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'At most 2,000 characters.' })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'A media asset — or `url`.' })
  assetId?: string | null;

  @Field(() => String, { nullable: true, description: 'An https:// link — or `assetId`.' })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'Folder (category), 1–60 characters.' })
  folder?: string | null;

  @Field(() => ID, { nullable: true, description: 'TIER_MANAGE.' })
  requiredTierId?: string | null;
}

@InputType('UpdateResourceInput')
export class UpdateResourceInput {
  @Field(() => ID)
  resourceId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ID, { nullable: true })
  assetId?: string | null;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true, description: 'null or empty: no folder.' })
  folder?: string | null;

  @Field(() => ID, { nullable: true, description: 'TIER_MANAGE; null removes the gate.' })
  requiredTierId?: string | null;
}

@InputType('DeleteResourceInput')
export class DeleteResourceInput {
  @Field(() => ID)
  resourceId!: string;
}

@ObjectType('ResourcePayload')
export class ResourcePayload {
  @Field(() => Resource)
  resource!: Resource;
}

@ObjectType('DeleteResourcePayload')
export class DeleteResourcePayload {
  @Field(() => ID)
  resourceId!: string;
}

@InputType('LinkClassroomCourseInput')
export class LinkClassroomCourseInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => ID, { description: 'A learning course.' })
  courseId!: string;

  @Field(() => Int, {
    nullable: true,
    description: '0-based place; default: the end. Moves a linked course.',
  })
  position?: number | null;
}

@InputType('UnlinkClassroomCourseInput')
export class UnlinkClassroomCourseInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => ID)
  courseId!: string;
}

@ObjectType('ClassroomCoursePayload')
export class ClassroomCoursePayload {
  @Field(() => ClassroomCourse)
  classroomCourse!: ClassroomCourse;
}
