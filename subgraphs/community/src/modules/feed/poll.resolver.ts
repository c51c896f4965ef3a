import type { RequestContext } from '@edugraph/kit';
import { Ctx, FieldResolver, ID, Int, Resolver, Root } from 'type-graphql';
import { ServicesResolver } from '../../common/services-resolver.js';
import { isModerator } from './feed-access.js';
import { postContext } from './feed-request.js';
import { Poll, PollOption } from './feed.type.js';

/**
 * Poll results: hidden (null counts) from a viewer who has not voted when `resultsHiddenUntilVoted`,
 * until the poll closes; the post's author and POST_MODERATE holders always see them.
 */
@Resolver(() => Poll)
export class PollResolver extends ServicesResolver {
  private async votes(poll: Poll, ctx: RequestContext): Promise<string[]> {
    if (!ctx.viewer) return [];
    return ctx.loaders
      .get(this.services.loaders.feed.pollVotes)
      .load(`${poll.entity.postId}|${ctx.viewer.userId}`);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the viewer sees the counts.' })
  async resultsVisible(@Root() poll: Poll, @Ctx() ctx: RequestContext): Promise<boolean> {
    if (!poll.resultsHiddenUntilVoted || poll.closed) return true;
    if ((await this.votes(poll, ctx)).length > 0) return true;
    const post = await ctx.loaders.get(this.services.loaders.feed.post).load(poll.entity.postId);
    if (!post) return false;
    if (ctx.viewer?.userId === post.authorId) return true;
    const context = await postContext(this.services, ctx, post);
    return Boolean(context && isModerator(context));
  }

  @FieldResolver(() => [PollOption], { description: 'By position.' })
  async options(@Root() poll: Poll, @Ctx() ctx: RequestContext): Promise<PollOption[]> {
    const [options, visible] = await Promise.all([
      ctx.loaders.get(this.services.loaders.feed.pollOptions).load(poll.entity.postId),
      this.resultsVisible(poll, ctx),
    ]);
    return options.map((o) => ({
      id: o.id,
      position: o.position,
      label: o.label,
      voteCount: visible ? o.voteCount : null,
    }));
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: 'People who voted; null while results are hidden.',
  })
  async voterCount(@Root() poll: Poll, @Ctx() ctx: RequestContext): Promise<number | null> {
    return (await this.resultsVisible(poll, ctx)) ? poll.entity.voterCount : null;
  }

  @FieldResolver(() => [ID], { description: 'The options the viewer voted for.' })
  viewerVoteOptionIds(@Root() poll: Poll, @Ctx() ctx: RequestContext): Promise<string[]> {
    return this.votes(poll, ctx);
  }
}
