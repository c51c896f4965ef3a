import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Order, PaymentStatusEnum } from '../order/order.type.js';
import {
  CancelTierSubscriptionInput,
  SubscribeToTierInput,
  SubscribeToTierPayload,
  TierSubscription,
  TierSubscriptionPayload,
} from './tier-subscription.type.js';

@Resolver(() => TierSubscription)
export class TierSubscriptionResolver extends ServicesResolver {
  @Authenticated()
  @Query(() => [TierSubscription], {
    description: 'The viewer’s tier subscriptions, newest first (at most 100).',
  })
  async myTierSubscriptions(@Ctx() ctx: RequestContext): Promise<TierSubscription[]> {
    return (await this.services.subscriptions.listForUser(viewerOf(ctx).userId)).map(TierSubscription.from);
  }

  @Authenticated()
  @Mutation(() => SubscribeToTierPayload, {
    description:
      'Subscribes to a community tier: a trial, or the first period charged now (renewed each period).',
  })
  async subscribeToTier(
    @Arg('input', () => SubscribeToTierInput) input: SubscribeToTierInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscribeToTierPayload> {
    const { subscription, checkout } = await this.services.subscriptions.subscribe(viewerOf(ctx), input);
    return {
      subscription: TierSubscription.from(subscription),
      order: checkout ? Order.from(checkout.order) : null,
      payment: checkout
        ? {
            provider: checkout.payment.provider,
            status: checkout.payment.status as PaymentStatusEnum,
            clientSecret: checkout.payment.clientSecret,
            redirectUrl: checkout.payment.redirectUrl,
            failureCode: checkout.payment.failureCode,
          }
        : null,
    };
  }

  @Authenticated()
  @Mutation(() => TierSubscriptionPayload, {
    description: 'The subscriber (or an ADMIN) cancels, now or at period end.',
  })
  async cancelTierSubscription(
    @Arg('input', () => CancelTierSubscriptionInput) input: CancelTierSubscriptionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<TierSubscriptionPayload> {
    return {
      subscription: TierSubscription.from(await this.services.subscriptions.cancel(viewerOf(ctx), input)),
    };
  }
}
