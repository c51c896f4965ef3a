import { Authenticated, pageSize, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { mapConnection } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { isModerator } from './feed-access.js';
import { COMMENT_MAX_PAGE } from './feed-queries.js';
import { postContext, visiblePost } from './feed-request.js';
import type { PostEntity } from './feed.entity.js';
import {
  Comment,
  CommentConnection,
  CommentPayload,
  CommentsArgs,
  CommunityReactionInput,
  CommunityReactionPayload,
  CreateCommentInput,
  DeleteCommentInput,
  DeleteCommentPayload,
  Post,
  ReactionCount,
  UpdateCommentInput,
} from './feed.type.js';

/** Comment mutations, reactions, and the fields of `Comment`. */
@Resolver(() => Comment)
export class CommentResolver extends ServicesResolver {
  private async postView(postId: string): Promise<Post> {
    const post = await this.services.feed.queries.postsByIds([postId]);
    return Post.from(post[0] as PostEntity, this.services.clock.now());
  }

  @Authenticated()
  @Mutation(() => CommentPayload, {
    description:
      'COMMENT_CREATE (members; muted members cannot) on a published post; `parentId` replies (three levels at most: COMMENT_TOO_DEEP). Gated posts: TIER_REQUIRED without the tier.',
  })
  async createComment(
    @Arg('input', () => CreateCommentInput) input: CreateCommentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommentPayload> {
    const comment = await this.services.feed.comments.create(viewerOf(ctx), input);
    return { comment: Comment.from(comment), post: await this.postView(comment.postId) };
  }

  @Authenticated()
  @Mutation(() => CommentPayload, { description: 'The author (an active, unmuted member).' })
  async updateComment(
    @Arg('input', () => UpdateCommentInput) input: UpdateCommentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommentPayload> {
    const { commentId, ...fields } = input;
    const comment = await this.services.feed.comments.update(viewerOf(ctx), commentId, fields);
    return { comment: Comment.from(comment), post: await this.postView(comment.postId) };
  }

  @Authenticated()
  @Mutation(() => DeleteCommentPayload, {
    description: 'The author or POST_MODERATE; the replies below it go with it.',
  })
  async deleteComment(
    @Arg('input', () => DeleteCommentInput) input: DeleteCommentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteCommentPayload> {
    const comment = await this.services.feed.comments.delete(viewerOf(ctx), input.commentId);
    return { commentId: comment.id, post: await this.postView(comment.postId) };
  }

  @Authenticated()
  @Mutation(() => CommunityReactionPayload, {
    description:
      'REACTION_CREATE: one reaction per person, target and emoji — adding it again changes nothing. At most 10 different emojis per person and target (REACTION_LIMIT); INVALID_EMOJI.',
  })
  async addCommunityReaction(
    @Arg('input', () => CommunityReactionInput) input: CommunityReactionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityReactionPayload> {
    const target = await this.services.feed.reactions.add(viewerOf(ctx), input);
    return {
      post: Post.from(target.post, this.services.clock.now()),
      comment: target.comment ? Comment.from(target.comment) : null,
    };
  }

  @Authenticated()
  @Mutation(() => CommunityReactionPayload, {
    description:
      'REACTION_CREATE: removes the viewer’s reaction with this emoji (nothing when there is none).',
  })
  async removeCommunityReaction(
    @Arg('input', () => CommunityReactionInput) input: CommunityReactionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityReactionPayload> {
    const target = await this.services.feed.reactions.remove(viewerOf(ctx), input);
    return {
      post: Post.from(target.post, this.services.clock.now()),
      comment: target.comment ? Comment.from(target.comment) : null,
    };
  }

  // --- fields ---

  @FieldResolver(() => Post, { nullable: true })
  async post(@Root() comment: Comment, @Ctx() ctx: RequestContext): Promise<Post | null> {
    const found = await visiblePost(this.services, ctx, comment.entity.postId);
    return found ? Post.from(found.post, this.services.clock.now()) : null;
  }

  @FieldResolver(() => User)
  author(@Root() comment: Comment): User {
    return { id: comment.entity.authorId };
  }

  @FieldResolver(() => [User])
  mentionedUsers(@Root() comment: Comment): User[] {
    return comment.entity.mentionUserIds.map((id) => ({ id }));
  }

  @FieldResolver(() => CommentConnection, { description: 'Direct replies, oldest first (first ≤ 100).' })
  async replies(
    @Root() comment: Comment,
    @Args(() => CommentsArgs) args: CommentsArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const first = pageSize(args.first, COMMENT_MAX_PAGE);
    const context = await postContext(this.services, ctx, comment.entity);
    const page = await ctx.loaders.get(this.services.loaders.feed.commentPage).load({
      postId: comment.entity.postId,
      parentId: comment.id,
      first,
      after: args.after ?? null,
      viewerId: ctx.viewer?.userId ?? null,
      moderator: context ? isModerator(context) : false,
    });
    return mapConnection(page, Comment.from);
  }

  @FieldResolver(() => [ReactionCount])
  async reactions(@Root() comment: Comment, @Ctx() ctx: RequestContext): Promise<ReactionCount[]> {
    if (comment.entity.reactionCount === 0) return [];
    return ctx.loaders.get(this.services.loaders.feed.reactionCounts).load(`COMMENT|${comment.id}`);
  }

  @FieldResolver(() => [String])
  async viewerReactions(@Root() comment: Comment, @Ctx() ctx: RequestContext): Promise<string[]> {
    if (!ctx.viewer) return [];
    return ctx.loaders
      .get(this.services.loaders.feed.viewerReactions)
      .load(`COMMENT|${comment.id}|${ctx.viewer.userId}`);
  }

  @FieldResolver(() => Boolean)
  viewerCanEdit(@Root() comment: Comment, @Ctx() ctx: RequestContext): boolean {
    return ctx.viewer?.userId === comment.entity.authorId;
  }

  @FieldResolver(() => Boolean)
  async viewerCanDelete(@Root() comment: Comment, @Ctx() ctx: RequestContext): Promise<boolean> {
    if (!ctx.viewer) return false;
    if (ctx.viewer.userId === comment.entity.authorId) return true;
    const context = await postContext(this.services, ctx, comment.entity);
    return Boolean(context?.has('POST_MODERATE'));
  }
}
