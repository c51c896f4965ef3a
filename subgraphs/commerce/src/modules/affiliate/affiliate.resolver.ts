import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { money } from '../../common/money.type.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import {
  Affiliate,
  AffiliateCommission,
  JoinAffiliateProgramInput,
  JoinAffiliateProgramPayload,
} from './affiliate.type.js';

@Resolver(() => Affiliate)
export class AffiliateResolver extends ServicesResolver {
  @Authenticated()
  @Query(() => Affiliate, { nullable: true, description: 'The viewer’s affiliate account, if they joined.' })
  async myAffiliate(@Ctx() ctx: RequestContext): Promise<Affiliate | null> {
    return this.services.affiliates.forUser(viewerOf(ctx).userId);
  }

  @Authenticated()
  @Query(() => [AffiliateCommission], {
    description: 'The viewer’s affiliate commissions, newest first (at most 200).',
  })
  async myAffiliateCommissions(@Ctx() ctx: RequestContext): Promise<AffiliateCommission[]> {
    const rows = await this.services.affiliates.commissions(viewerOf(ctx).userId);
    return rows.map((r) => ({ ...r, amount: money(r.amountMinor, r.currency) }));
  }

  @Authenticated()
  @Mutation(() => JoinAffiliateProgramPayload, {
    description: 'Gets the viewer a referral code (idempotent).',
  })
  async joinAffiliateProgram(
    @Arg('input', () => JoinAffiliateProgramInput) input: JoinAffiliateProgramInput,
    @Ctx() ctx: RequestContext,
  ): Promise<JoinAffiliateProgramPayload> {
    return { affiliate: await this.services.affiliates.join(viewerOf(ctx), input.code ?? null) };
  }
}
