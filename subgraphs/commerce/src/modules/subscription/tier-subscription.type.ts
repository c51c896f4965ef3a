import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Money, money } from '../../common/money.type.js';
import { CommunityTier } from '../../external/priced.external.js';
import { User, userRef } from '../../external/user.external.js';
import { BillingIntervalEnum } from '../catalog/product.type.js';
import { Order, PaymentProviderEnum, PaymentSession } from '../order/order.type.js';
import type { TierSubscriptionEntity } from './tier-subscription.entity.js';

export enum TierSubscriptionStatusEnum {
  INCOMPLETE = 'INCOMPLETE',
  TRIALING = 'TRIALING',
  ACTIVE = 'ACTIVE',
  PAST_DUE = 'PAST_DUE',
  CANCELED = 'CANCELED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(TierSubscriptionStatusEnum, {
  name: 'TierSubscriptionStatus',
  description:
    'INCOMPLETE → TRIALING | ACTIVE → PAST_DUE (renewal failed, 7 days of grace) → CANCELED | EXPIRED.',
});

@ObjectType('TierSubscription', { description: 'A subscription to a paid community tier.' })
export class TierSubscription {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  subscriber!: User;

  @Field(() => CommunityTier)
  tier!: CommunityTier;

  @Field(() => TierSubscriptionStatusEnum)
  status!: TierSubscriptionStatusEnum;

  @Field(() => BillingIntervalEnum)
  billingInterval!: BillingIntervalEnum;

  @Field(() => Money, { description: 'Charged each period (the price when subscribing).' })
  price!: Money;

  @Field(() => Date, { nullable: true })
  trialEndsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  currentPeriodStart!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Null for LIFETIME.' })
  currentPeriodEnd!: Date | null;

  @Field(() => Boolean)
  cancelAtPeriodEnd!: boolean;

  @Field(() => Date, { nullable: true })
  canceledAt!: Date | null;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;

  static from(s: TierSubscriptionEntity): TierSubscription {
    return Object.assign(new TierSubscription(), {
      id: s.id,
      subscriber: userRef(s.userId),
      tier: Object.assign(new CommunityTier(), { id: s.tierId }),
      status: s.status as TierSubscriptionStatusEnum,
      billingInterval: s.billingInterval as BillingIntervalEnum,
      price: money(s.priceMinor, s.currency),
      trialEndsAt: s.trialEndsAt,
      currentPeriodStart: s.currentPeriodStart,
      currentPeriodEnd: s.currentPeriodEnd,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      canceledAt: s.canceledAt,
      endedAt: s.endedAt,
    });
  }
}

@InputType('SubscribeToTierInput')
export class SubscribeToTierInput {
  @Field(() => ID, { description: 'The COMMUNITY_TIER product.' })
  productId!: string;

  @Field(() => String, { description: 'Charged now (unless trialing) and at each renewal.' })
  paymentMethod!: string;

  @Field(() => String)
  billingCountry!: string;

  @Field(() => String, { nullable: true })
  billingRegion?: string | null;

  @Field(() => PaymentProviderEnum, { nullable: true })
  provider?: PaymentProviderEnum | null;
}

@ObjectType('SubscribeToTierPayload')
export class SubscribeToTierPayload {
  @Field(() => TierSubscription)
  subscription!: TierSubscription;

  @Field(() => Order, { nullable: true, description: 'The first period’s order (none while trialing).' })
  order!: Order | null;

  @Field(() => PaymentSession, { nullable: true })
  payment!: PaymentSession | null;
}

@InputType('CancelTierSubscriptionInput')
export class CancelTierSubscriptionInput {
  @Field(() => ID)
  subscriptionId!: string;

  @Field(() => Boolean, {
    description: 'Keep access until the paid period ends (true) or end it now (false).',
  })
  atPeriodEnd!: boolean;
}

@ObjectType('TierSubscriptionPayload')
export class TierSubscriptionPayload {
  @Field(() => TierSubscription)
  subscription!: TierSubscription;
}
