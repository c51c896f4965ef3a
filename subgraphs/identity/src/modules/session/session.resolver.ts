import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Authenticated, type RequestContext } from '@edugraph/kit';
import { identity } from '../../services.js';
import { RevokeSessionInput } from './dto/revoke-session.input.js';
import { Session, toSession } from './session.type.js';

@Resolver(() => Session)
export class SessionResolver {
  @Authenticated()
  @Query(() => [Session], { description: "The viewer's active sessions (at most 10), oldest first." })
  async sessions(@Ctx() ctx: RequestContext): Promise<Session[]> {
    const { auth, sessions } = identity();
    const current = await auth.requireSession(ctx.viewer);
    const list = await sessions.list(current.userId);
    return list.map((s) => toSession(s, current.id));
  }

  @Authenticated()
  @Mutation(() => Boolean, { description: "Ends one of the viewer's sessions." })
  async revokeSession(
    @Arg('input', () => RevokeSessionInput) input: RevokeSessionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const { auth, sessions } = identity();
    const current = await auth.requireSession(ctx.viewer);
    await sessions.revoke(current.userId, input.sessionId, 'REVOKED');
    return true;
  }
}
