import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { Authenticated, Public, type RequestContext } from '@edugraph/kit';
import { identity } from '../../services.js';
import { actorOf } from '../user/user.resolver.js';
import { toUser, User } from '../user/user.type.js';
import {
  ChangePasswordInput,
  ConfirmEmailVerificationInput,
  ConfirmPasswordResetInput,
  RequestPasswordResetInput,
} from './dto/account.inputs.js';

@Resolver()
export class AccountResolver {
  @Authenticated()
  @Mutation(() => Boolean, {
    description: 'Mails a 6-digit code (valid 60 min); at most one per 60 s (COOLDOWN).',
  })
  async requestEmailVerification(@Ctx() ctx: RequestContext): Promise<boolean> {
    const session = await identity().auth.requireSession(ctx.viewer);
    return identity().account.requestEmailVerification(session.userId);
  }

  @Authenticated()
  @Mutation(() => User)
  async confirmEmailVerification(
    @Arg('input', () => ConfirmEmailVerificationInput) input: ConfirmEmailVerificationInput,
    @Ctx() ctx: RequestContext,
  ): Promise<User> {
    const session = await identity().auth.requireSession(ctx.viewer);
    return toUser(await identity().account.confirmEmailVerification(session.userId, input.code));
  }

  @Public()
  @Mutation(() => Boolean, {
    description: 'Mails a reset code (valid 30 min) if the account exists; always returns true.',
  })
  requestPasswordReset(
    @Arg('input', () => RequestPasswordResetInput) input: RequestPasswordResetInput,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return identity().account.requestPasswordReset(input.email, ctx.ip);
  }

  @Public()
  @Mutation(() => Boolean, { description: 'Sets a new password with a mailed code; ends every session.' })
  confirmPasswordReset(
    @Arg('input', () => ConfirmPasswordResetInput) input: ConfirmPasswordResetInput,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    return identity().account.confirmPasswordReset(actorOf(ctx), input);
  }

  @Authenticated()
  @Mutation(() => Int, {
    description: 'Needs the current password; ends the other sessions and returns how many.',
  })
  async changePassword(
    @Arg('input', () => ChangePasswordInput) input: ChangePasswordInput,
    @Ctx() ctx: RequestContext,
  ): Promise<number> {
    const session = await identity().auth.requireSession(ctx.viewer);
    return identity().account.changePassword(
      session.userId,
      session.id,
      input.currentPassword,
      input.newPassword,
    );
  }
}
