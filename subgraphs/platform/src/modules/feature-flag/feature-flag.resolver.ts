import {
  Authenticated,
  ForbiddenError,
  Public,
  Roles,
  hasRole,
  type Connection,
  type RequestContext,
} from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { auditActorOf } from '../../common/audit-actor.js';
import { User } from '../../external/user.external.js';
import { platformServices } from '../../platform-services.js';
import type { FeatureFlagEntity, FeatureFlagOverrideEntity } from './feature-flag.entity.js';
import {
  ArchiveFeatureFlagInput,
  CreateFeatureFlagInput,
  EvaluateFeatureFlagsInput,
  FeatureFlagsArgs,
  PublicFeatureFlagsInput,
  RemoveFeatureFlagOverrideInput,
  SetFeatureFlagKillSwitchInput,
  SetFeatureFlagOverrideInput,
  UpdateFeatureFlagInput,
} from './feature-flag.input.js';
import {
  overridesByFlagLoader,
  OVERRIDES_PER_FLAG,
  userFlagsKey,
  userFlagsLoader,
} from './feature-flag.loaders.js';
import {
  FeatureFlag,
  FeatureFlagConnection,
  FeatureFlagOverride,
  FeatureFlagPayload,
  FlagEvaluation,
  RemoveFeatureFlagOverridePayload,
  SetFeatureFlagOverridePayload,
} from './feature-flag.type.js';
import type { FlagEvaluationResult } from './flag-evaluator.js';

@Resolver(() => FeatureFlag)
export class FeatureFlagResolver {
  @Roles('ADMIN')
  @Query(() => FeatureFlag, {
    nullable: true,
    description: 'A flag definition by key (archived included). ADMIN.',
  })
  async featureFlag(@Arg('key', () => String) key: string): Promise<FeatureFlagEntity | null> {
    return platformServices().flags.getByKey(key);
  }

  @Roles('ADMIN')
  @Query(() => FeatureFlagConnection, { description: 'Flag definitions by key. ADMIN.' })
  async featureFlags(
    @Args(() => FeatureFlagsArgs) args: FeatureFlagsArgs,
  ): Promise<Connection<FeatureFlagEntity>> {
    return platformServices().flags.list(args);
  }

  @Authenticated()
  @Query(() => [FlagEvaluation], {
    description: 'Evaluates flags for the signed-in viewer (roles from the token).',
  })
  async evaluateFeatureFlags(
    @Arg('input', () => EvaluateFeatureFlagsInput) input: EvaluateFeatureFlagsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<FlagEvaluationResult[]> {
    const flags = platformServices().flags;
    return flags.evaluate(input.keys, flags.subjectFor(ctx.viewer, input));
  }

  @Public()
  @Query(() => [FlagEvaluation], {
    description:
      'Evaluates flags without a user (signed-out screens): no roles or user ids match, USER overrides never apply, ' +
      'PERCENTAGE buckets use `anonymousId` (off without it). Ignores any signed-in viewer.',
  })
  async publicFeatureFlags(
    @Arg('input', () => PublicFeatureFlagsInput) input: PublicFeatureFlagsInput,
  ): Promise<FlagEvaluationResult[]> {
    const flags = platformServices().flags;
    return flags.evaluate(input.keys, flags.subjectFor(null, input, input.anonymousId ?? null));
  }

  @Roles('ADMIN')
  @Mutation(() => FeatureFlagPayload)
  async createFeatureFlag(
    @Arg('input', () => CreateFeatureFlagInput) input: CreateFeatureFlagInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ featureFlag: FeatureFlagEntity }> {
    return { featureFlag: await platformServices().flags.create(input, auditActorOf(ctx)) };
  }

  @Roles('ADMIN')
  @Mutation(() => FeatureFlagPayload)
  async updateFeatureFlag(
    @Arg('input', () => UpdateFeatureFlagInput) input: UpdateFeatureFlagInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ featureFlag: FeatureFlagEntity }> {
    return { featureFlag: await platformServices().flags.update(input, auditActorOf(ctx)) };
  }

  @Roles('ADMIN')
  @Mutation(() => FeatureFlagPayload, {
    description: 'Archives a flag: it evaluates as off (ARCHIVED) and its key stays reserved.',
  })
  async archiveFeatureFlag(
    @Arg('input', () => ArchiveFeatureFlagInput) input: ArchiveFeatureFlagInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ featureFlag: FeatureFlagEntity }> {
    return { featureFlag: await platformServices().flags.archive(input.key, auditActorOf(ctx)) };
  }

  @Roles('ADMIN')
  @Mutation(() => FeatureFlagPayload)
  async setFeatureFlagKillSwitch(
    @Arg('input', () => SetFeatureFlagKillSwitchInput) input: SetFeatureFlagKillSwitchInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ featureFlag: FeatureFlagEntity }> {
    return {
      featureFlag: await platformServices().flags.setKillSwitch(input.key, input.killed, auditActorOf(ctx)),
    };
  }

  @Roles('ADMIN')
  @Mutation(() => SetFeatureFlagOverridePayload)
  async setFeatureFlagOverride(
    @Arg('input', () => SetFeatureFlagOverrideInput) input: SetFeatureFlagOverrideInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ featureFlag: FeatureFlagEntity; override: FeatureFlagOverrideEntity }> {
    const { flag, override } = await platformServices().flags.setOverride(input, auditActorOf(ctx));
    return { featureFlag: flag, override };
  }

  @Roles('ADMIN')
  @Mutation(() => RemoveFeatureFlagOverridePayload)
  async removeFeatureFlagOverride(
    @Arg('input', () => RemoveFeatureFlagOverrideInput) input: RemoveFeatureFlagOverrideInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ featureFlag: FeatureFlagEntity; removed: boolean }> {
    const { flag, removed } = await platformServices().flags.removeOverride(input, auditActorOf(ctx));
    return { featureFlag: flag, removed };
  }

  @FieldResolver(() => [FeatureFlagOverride], {
    description: `Latest overrides, at most ${OVERRIDES_PER_FLAG}.`,
  })
  async overrides(
    @Root() flag: FeatureFlagEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<FeatureFlagOverrideEntity[]> {
    return ctx.loaders.get(overridesByFlagLoader).load(flag.id);
  }
}

@Resolver(() => User)
export class UserFeatureFlagsResolver {
  @FieldResolver(() => [FlagEvaluation], {
    description:
      'Every active flag evaluated for this user. Visible to the user themself and ADMIN. Roles come from the ' +
      "viewer's token when it is the user; an ADMIN looking at someone else sees an evaluation without roles.",
  })
  async featureFlags(@Root() user: User, @Ctx() ctx: RequestContext): Promise<FlagEvaluationResult[]> {
    const viewer = ctx.viewer;
    if (!viewer) throw new ForbiddenError('Only the user themself or an ADMIN can see their feature flags.');
    const self = viewer.userId === user.id;
    if (!self && !hasRole(viewer, 'ADMIN'))
      throw new ForbiddenError('Only the user themself or an ADMIN can see their feature flags.');
    return ctx.loaders.get(userFlagsLoader).load(userFlagsKey(user.id, self ? viewer.roles : []));
  }
}
