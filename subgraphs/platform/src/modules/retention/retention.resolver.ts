import { ConnectionArgs, Roles, type Connection, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { auditActorOf } from '../../common/audit-actor.js';
import { platformServices } from '../../platform-services.js';
import type {
  RetentionPolicyEntity,
  RetentionRunEntity,
  RetentionRunItemEntity,
} from './retention.entity.js';
import { itemsByRunLoader } from './retention.loaders.js';
import {
  RetentionPolicy,
  RetentionRun,
  RetentionRunConnection,
  RetentionRunItem,
  RunRetentionInput,
  RunRetentionPayload,
  SetRetentionPolicyInput,
  SetRetentionPolicyPayload,
} from './retention.type.js';

@Resolver(() => RetentionRun)
export class RetentionResolver {
  @Roles('ADMIN')
  @Query(() => [RetentionPolicy], { description: 'Every retention policy (≤ 200), by entity. ADMIN.' })
  async retentionPolicies(): Promise<RetentionPolicyEntity[]> {
    return platformServices().retention.listPolicies();
  }

  @Roles('ADMIN')
  @Query(() => RetentionRunConnection, { description: 'Retention runs, newest first. ADMIN.' })
  async retentionRuns(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
  ): Promise<Connection<RetentionRunEntity>> {
    return platformServices().retention.listRuns(args);
  }

  @Roles('ADMIN')
  @Mutation(() => SetRetentionPolicyPayload, {
    description: 'Creates or replaces the policy of an entity. Audited.',
  })
  async setRetentionPolicy(
    @Arg('input', () => SetRetentionPolicyInput) input: SetRetentionPolicyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ policy: RetentionPolicyEntity }> {
    return { policy: await platformServices().retention.setPolicy(input, auditActorOf(ctx)) };
  }

  @Roles('ADMIN')
  @Mutation(() => RunRetentionPayload, {
    description: 'Starts a retention run now (dry run: report only). Audited.',
  })
  async runRetention(
    @Arg('input', () => RunRetentionInput) input: RunRetentionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ run: RetentionRunEntity }> {
    return {
      run: await platformServices().retention.startRun({
        dryRun: input.dryRun,
        trigger: 'MANUAL',
        actor: auditActorOf(ctx),
      }),
    };
  }

  @FieldResolver(() => [RetentionRunItem])
  async items(
    @Root() run: RetentionRunEntity,
    @Ctx() ctx: RequestContext,
  ): Promise<RetentionRunItemEntity[]> {
    return ctx.loaders.get(itemsByRunLoader).load(run.id);
  }
}
