import { Authenticated, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import {
  CurrencyInput,
  Payout,
  PayoutBatch,
  PayoutBatchIdInput,
  PayoutBatchPayload,
  PayoutPayload,
} from './payout.type.js';

@Resolver(() => Payout)
export class PayoutResolver extends ServicesResolver {
  @Authenticated()
  @Query(() => [Payout], { description: 'The viewer’s payouts (statement), newest first (at most 100).' })
  async myPayouts(@Ctx() ctx: RequestContext): Promise<Payout[]> {
    return (await this.services.payouts.forPayee(viewerOf(ctx).userId)).map(Payout.from);
  }

  @Authenticated()
  @Mutation(() => PayoutPayload, {
    description:
      'Requests everything owed to the viewer in a currency (sales and affiliate commissions); at least 100.00.',
  })
  async requestPayout(
    @Arg('input', () => CurrencyInput) input: CurrencyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PayoutPayload> {
    return { payout: Payout.from(await this.services.payouts.request(viewerOf(ctx), input.currency)) };
  }

  @Roles('FINANCE', 'ADMIN')
  @Mutation(() => PayoutBatchPayload, {
    description: 'Groups every requested payout in a currency into a batch.',
  })
  async createPayoutBatch(
    @Arg('input', () => CurrencyInput) input: CurrencyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<PayoutBatchPayload> {
    return {
      batch: PayoutBatch.from(await this.services.payouts.createBatch(viewerOf(ctx), input.currency)),
    };
  }

  @Roles('FINANCE', 'ADMIN')
  @Mutation(() => PayoutBatchPayload, {
    description: 'The batch was transferred: posts each payout to the ledger, once.',
  })
  async markPayoutBatchPaid(
    @Arg('input', () => PayoutBatchIdInput) input: PayoutBatchIdInput,
  ): Promise<PayoutBatchPayload> {
    return { batch: PayoutBatch.from(await this.services.payouts.markBatchPaid(input.batchId)) };
  }
}
