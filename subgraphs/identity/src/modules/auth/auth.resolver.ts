import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { Authenticated, Public, type RequestContext } from '@edugraph/kit';
import { identity } from '../../services.js';
import { toUser } from '../user/user.type.js';
import type { AuthResult } from './auth.service.js';
import { AuthPayload } from './auth-payload.type.js';
import { RefreshSessionInput, SignInInput, SignOutEverywhereInput, SignUpInput } from './dto/auth.inputs.js';

export function toAuthPayload(result: AuthResult): AuthPayload {
  const payload = new AuthPayload();
  payload.accessToken = result.accessToken;
  payload.refreshToken = result.refreshToken;
  payload.accessTokenExpiresAt = result.accessTokenExpiresAt;
  payload.user = toUser(result.user, { selfView: true });
  payload.twoFactorEnrollmentRequired = result.twoFactorEnrollmentRequired;
  return payload;
}

function client(ctx: RequestContext) {
  return { ip: ctx.ip, userAgent: ctx.userAgent };
}

@Resolver()
export class AuthResolver {
  @Public()
  @Mutation(() => AuthPayload, { description: 'Creates a LEARNER account and signs in.' })
  async signUp(
    @Arg('input', () => SignUpInput) input: SignUpInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    return toAuthPayload(await identity().auth.signUp(input, client(ctx)));
  }

  @Public()
  @Mutation(() => AuthPayload)
  async signIn(
    @Arg('input', () => SignInInput) input: SignInInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AuthPayload> {
    return toAuthPayload(await identity().auth.signIn(input, client(ctx)));
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token (one time) for new tokens.' })
  async refreshSession(
    @Arg('input', () => RefreshSessionInput) input: RefreshSessionInput,
  ): Promise<AuthPayload> {
    return toAuthPayload(await identity().auth.refresh(input.refreshToken));
  }

  @Authenticated()
  @Mutation(() => Boolean, { description: 'Ends the current session.' })
  signOut(@Ctx() ctx: RequestContext): Promise<boolean> {
    return identity().auth.signOut(ctx.viewer);
  }

  @Authenticated()
  @Mutation(() => Int, { description: 'Ends all sessions (or all others); returns how many were ended.' })
  signOutEverywhere(
    @Arg('input', () => SignOutEverywhereInput) input: SignOutEverywhereInput,
    @Ctx() ctx: RequestContext,
  ): Promise<number> {
    return identity().auth.signOutEverywhere(ctx.viewer, input.scope);
  }
}
