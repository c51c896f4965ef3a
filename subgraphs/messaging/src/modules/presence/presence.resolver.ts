import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { assertUuid } from '../conversation/conversation.service.js';
import { HeartbeatInput, Presence } from './presence.type.js';

@Resolver(() => Presence)
export class PresenceResolver extends ServicesResolver {
  @Authenticated()
  @Query(() => [Presence], {
    description: 'Presence of up to 100 users (OFFLINE after 5 minutes without a heartbeat).',
  })
  async presence(
    @Arg('userIds', () => [ID]) userIds: string[],
    @Ctx() ctx: RequestContext,
  ): Promise<Presence[]> {
    viewerOf(ctx);
    const ids = userIds.map((id) => assertUuid(id, 'userIds'));
    return (await this.services.presence.of(ids)).map(Presence.from);
  }

  @Authenticated()
  @Mutation(() => Presence, {
    description: 'Marks the viewer ONLINE/AWAY for the next 5 minutes (or OFFLINE now).',
  })
  async heartbeat(
    @Arg('input', () => HeartbeatInput, { nullable: true }) input: HeartbeatInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Presence> {
    return Presence.from(await this.services.presence.heartbeat(viewerOf(ctx), input?.status ?? 'ONLINE'));
  }
}

/** `User.presence`: messaging adds presence to identity's User. */
@Resolver(() => User)
export class UserPresenceResolver extends ServicesResolver {
  @FieldResolver(() => Presence)
  async presence(@Root() user: User, @Ctx() ctx: RequestContext): Promise<Presence> {
    return Presence.from(await ctx.loaders.get(this.services.loaders.presence).load(user.id));
  }
}
