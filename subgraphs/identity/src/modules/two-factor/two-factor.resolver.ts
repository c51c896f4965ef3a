import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Authenticated, Roles, type RequestContext } from '@edugraph/kit';
import { identity } from '../../services.js';
import { actorOf } from '../user/user.resolver.js';
import { toUser, User } from '../user/user.type.js';
import {
  ConfirmTwoFactorEnrollmentInput,
  DisableTwoFactorInput,
  RegenerateRecoveryCodesInput,
  ResetTwoFactorInput,
  TwoFactorEnrollment,
} from './dto/two-factor.inputs.js';

@Resolver()
export class TwoFactorResolver {
  @Authenticated()
  @Mutation(() => TwoFactorEnrollment, { description: 'Starts TOTP enrolment; confirm it with a code.' })
  async beginTwoFactorEnrollment(@Ctx() ctx: RequestContext): Promise<TwoFactorEnrollment> {
    const session = await identity().auth.requireSession(ctx.viewer);
    const result = await identity().twoFactor.beginEnrollment(session.userId);
    return Object.assign(new TwoFactorEnrollment(), result);
  }

  @Authenticated()
  @Mutation(() => Boolean, {
    description:
      'Enables two-factor. The current session becomes second-factor verified: refresh to get full roles.',
  })
  async confirmTwoFactorEnrollment(
    @Arg('input', () => ConfirmTwoFactorEnrollmentInput) input: ConfirmTwoFactorEnrollmentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const session = await identity().auth.requireSession(ctx.viewer);
    await identity().twoFactor.confirmEnrollment(session.userId, session.id, input.code);
    return true;
  }

  @Authenticated()
  @Mutation(() => Boolean, {
    description: 'Turns two-factor off (needs a current code; not for ADMIN/FINANCE).',
  })
  async disableTwoFactor(
    @Arg('input', () => DisableTwoFactorInput) input: DisableTwoFactorInput,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    const session = await identity().auth.requireSession(ctx.viewer);
    await identity().twoFactor.disable(actorOf(ctx), session.userId, input.code);
    return true;
  }

  @Authenticated()
  @Mutation(() => [String], {
    description:
      'Replaces your recovery codes with 10 new single-use ones, shown only now (needs a current code).',
  })
  async regenerateRecoveryCodes(
    @Arg('input', () => RegenerateRecoveryCodesInput) input: RegenerateRecoveryCodesInput,
    @Ctx() ctx: RequestContext,
  ): Promise<string[]> {
    const session = await identity().auth.requireSession(ctx.viewer);
    return identity().twoFactor.regenerateRecoveryCodes(session.userId, input.code);
  }

  @Roles('ADMIN')
  @Mutation(() => User, { description: "ADMIN: removes a user's two-factor (lost device); audited." })
  async resetTwoFactor(
    @Arg('input', () => ResetTwoFactorInput) input: ResetTwoFactorInput,
    @Ctx() ctx: RequestContext,
  ): Promise<User> {
    await identity().auth.requireSession(ctx.viewer);
    return toUser(await identity().twoFactor.adminReset(actorOf(ctx), input.userId));
  }
}
