import { Authenticated, pageSize, Public, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mapConnection } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Asset } from '../../external/asset.external.js';
import { User } from '../../external/user.external.js';
import { Community } from '../community/community.type.js';
import { COMMENT_MAX_PAGE } from './feed-queries.js';
import { lockedFor, postContext, visiblePost } from './feed-request.js';
import { isModerator } from './feed-access.js';
import type { PostEntity } from './feed.entity.js';
import {
  Comment,
  CommentConnection,
  CommentsArgs,
  CreatePostInput,
  DeletePostInput,
  DeletePostPayload,
  PinPostInput,
  Poll,
  Post,
  PostPayload,
  ReactionCount,
  UpdatePostInput,
  VotePollInput,
} from './feed.type.js';

/** `post(id)`, the post mutations and the fields of `Post` (all relations through DataLoaders). */
@Resolver(() => Post)
export class PostResolver extends ServicesResolver {
  private view(post: PostEntity): Post {
    return Post.from(post, this.services.clock.now());
  }

  @Public()
  @Query(() => Post, {
    nullable: true,
    description:
      'A post; null when missing, deleted or hidden from the viewer (unreadable community, scheduled, moderated).',
  })
  async post(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Post | null> {
    const found = await visiblePost(this.services, ctx, id);
    return found ? this.view(found.post) : null;
  }

  @Authenticated()
  @Mutation(() => PostPayload, {
    description:
      'POST_CREATE (members; MODERATORS_ONLY posting: moderators and above; muted members cannot). `pinned` needs POST_PIN, `announcement` POST_ANNOUNCE, `requiredTierId` TIER_MANAGE. Typed errors: BAD_USER_INPUT, INVALID_PUBLISH_TIME, PIN_LIMIT, FORBIDDEN (reason), NOT_FOUND.',
  })
  async createPost(
    @Arg('input', () => CreatePostInput) input: CreatePostInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PostPayload> {
    const { communityId, ...fields } = input;
    const post = await this.services.feed.posts.create(viewerOf(ctx), communityId, fields);
    return { post: this.view(post) };
  }

  @Authenticated()
  @Mutation(() => PostPayload, {
    description: 'The author (an active, unmuted member). FORBIDDEN (reason NOT_AUTHOR) for others.',
  })
  async updatePost(
    @Arg('input', () => UpdatePostInput) input: UpdatePostInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PostPayload> {
    const { postId, ...fields } = input;
    const post = await this.services.feed.posts.update(viewerOf(ctx), postId, fields);
    return { post: this.view(post) };
  }

  @Authenticated()
  @Mutation(() => DeletePostPayload, { description: 'The author or POST_MODERATE (moderators and above).' })
  async deletePost(
    @Arg('input', () => DeletePostInput) input: DeletePostInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeletePostPayload> {
    const post = await this.services.feed.posts.delete(viewerOf(ctx), input.postId);
    return { postId: post.id };
  }

  @Authenticated()
  @Mutation(() => PostPayload, {
    description: 'POST_PIN: pinned posts come first in the feed (at most 5 per community: PIN_LIMIT).',
  })
  async pinPost(
    @Arg('input', () => PinPostInput) input: PinPostInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PostPayload> {
    const post = await this.services.feed.posts.pin(viewerOf(ctx), input.postId, input.pinned);
    return { post: this.view(post) };
  }

  @Authenticated()
  @Mutation(() => PostPayload, {
    description:
      'POLL_VOTE: vote, or change one’s vote, until the poll closes (POLL_CLOSED). INVALID_POLL_VOTE for a wrong number of options or foreign ones.',
  })
  async votePoll(
    @Arg('input', () => VotePollInput) input: VotePollInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PostPayload> {
    const post = await this.services.feed.polls.vote(viewerOf(ctx), input.postId, input.optionIds);
    return { post: this.view(post) };
  }

  // --- fields ---

  @FieldResolver(() => Community, { nullable: true })
  async community(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<Community | null> {
    const context = await postContext(this.services, ctx, post.entity);
    return context?.canSee ? Community.from(context.community) : null;
  }

  @FieldResolver(() => User)
  author(@Root() post: Post): User {
    return { id: post.entity.authorId };
  }

  @FieldResolver(() => [User])
  mentionedUsers(@Root() post: Post): User[] {
    return post.entity.mentionUserIds.map((id) => ({ id }));
  }

  @FieldResolver(() => Boolean, {
    description: 'Gated by a paid tier the viewer does not hold: only title and excerpt are shown.',
  })
  async locked(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<boolean> {
    const context = await postContext(this.services, ctx, post.entity);
    return !context || (await lockedFor(this.services, ctx, context, post.entity));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Sanitised HTML; null when the post is locked.',
  })
  async body(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await this.locked(post, ctx)) ? null : post.entity.body;
  }

  @FieldResolver(() => [Asset], { description: 'Empty when the post is locked.' })
  async attachments(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<Asset[]> {
    if (post.entity.attachmentAssetIds.length === 0 || (await this.locked(post, ctx))) return [];
    return post.entity.attachmentAssetIds.map((id) => ({ id }));
  }

  @FieldResolver(() => [ReactionCount], { description: 'Reactions per emoji, most used first.' })
  async reactions(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<ReactionCount[]> {
    if (post.entity.reactionCount === 0) return [];
    return ctx.loaders.get(this.services.loaders.feed.reactionCounts).load(`POST|${post.id}`);
  }

  @FieldResolver(() => [String], { description: 'The viewer’s emojis on this post.' })
  async viewerReactions(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<string[]> {
    if (!ctx.viewer) return [];
    return ctx.loaders
      .get(this.services.loaders.feed.viewerReactions)
      .load(`POST|${post.id}|${ctx.viewer.userId}`);
  }

  @FieldResolver(() => Poll, {
    nullable: true,
    description: 'Null without a poll, or when the post is locked.',
  })
  async poll(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<Poll | null> {
    const poll = await ctx.loaders.get(this.services.loaders.feed.poll).load(post.id);
    if (!poll || (await this.locked(post, ctx))) return null;
    return Poll.from(poll, this.services.clock.now());
  }

  @FieldResolver(() => CommentConnection, {
    nullable: true,
    description:
      'Top-level comments, oldest first (first ≤ 100); replies through `Comment.replies`. Null when the post is locked.',
  })
  async comments(
    @Root() post: Post,
    @Args(() => CommentsArgs) args: CommentsArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const context = await postContext(this.services, ctx, post.entity);
    if (!context || (await lockedFor(this.services, ctx, context, post.entity))) return null;
    const page = await ctx.loaders.get(this.services.loaders.feed.commentPage).load({
      postId: post.id,
      parentId: null,
      first: pageSize(args.first, COMMENT_MAX_PAGE),
      after: args.after ?? null,
      viewerId: ctx.viewer?.userId ?? null,
      moderator: isModerator(context),
    });
    return mapConnection(page, Comment.from);
  }

  @FieldResolver(() => Boolean, { description: 'The viewer wrote it and may edit it.' })
  viewerCanEdit(@Root() post: Post, @Ctx() ctx: RequestContext): boolean {
    return ctx.viewer?.userId === post.entity.authorId;
  }

  @FieldResolver(() => Boolean, { description: 'The viewer wrote it, or holds POST_MODERATE.' })
  async viewerCanDelete(@Root() post: Post, @Ctx() ctx: RequestContext): Promise<boolean> {
    if (!ctx.viewer) return false;
    if (ctx.viewer.userId === post.entity.authorId) return true;
    const context = await postContext(this.services, ctx, post.entity);
    return Boolean(context?.has('POST_MODERATE'));
  }
}
