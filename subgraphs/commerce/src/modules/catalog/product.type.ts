import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money, money } from '../../common/money.type.js';
import { User, userRef } from '../../external/user.external.js';
import type { ProductEntity } from './product.entity.js';

export enum ProductKindEnum {
  COURSE = 'COURSE',
  EBOOK = 'EBOOK',
  COMMUNITY_TIER = 'COMMUNITY_TIER',
  TUTOR_HOURS = 'TUTOR_HOURS',
  LIVE_TICKET = 'LIVE_TICKET',
}
registerEnumType(ProductKindEnum, { name: 'ProductKind', description: 'What a product sells.' });

export enum BillingIntervalEnum {
  MONTHLY = 'MONTHLY',
  QUARTERLY = 'QUARTERLY',
  ANNUAL = 'ANNUAL',
  LIFETIME = 'LIFETIME',
}
registerEnumType(BillingIntervalEnum, {
  name: 'BillingInterval',
  description: 'How often a tier subscription renews.',
});

@ObjectType('Product', {
  description: 'Something for sale: a course, ebook, community tier, tutor hour or live ticket.',
})
export class Product {
  @Field(() => ID)
  id!: string;

  @Field(() => ProductKindEnum)
  kind!: ProductKindEnum;

  @Field(() => ID, {
    description: 'The id of the Course, Ebook, CommunityTier, TutorProfile or LiveSession.',
  })
  refId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Money)
  price!: Money;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => User, { description: 'Who receives the seller share.' })
  seller!: User;

  @Field(() => BillingIntervalEnum, {
    nullable: true,
    description: 'Community tiers: the subscription interval.',
  })
  billingInterval!: BillingIntervalEnum | null;

  @Field(() => Int, { description: 'Community tiers: free trial days before the first charge.' })
  trialDays!: number;

  static from(entity: ProductEntity): Product {
    return Object.assign(new Product(), {
      id: entity.id,
      kind: entity.kind as ProductKindEnum,
      refId: entity.refId,
      title: entity.title,
      price: money(entity.priceMinor, entity.currency),
      active: entity.active,
      seller: userRef(entity.sellerId),
      billingInterval: entity.billingInterval as BillingIntervalEnum | null,
      trialDays: entity.trialDays,
    });
  }
}

@InputType('SetProductPriceInput')
export class SetProductPriceInput {
  @Field(() => ProductKindEnum)
  kind!: ProductKindEnum;

  @Field(() => ID)
  refId!: string;

  @Field(() => String, { description: '1–200 characters (shown on orders).' })
  title!: string;

  @Field(() => Int, { description: 'Minor units, 50–5,000,000.' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217.' })
  currency!: string;

  @Field(() => Boolean, { nullable: true, description: 'For sale (default true).' })
  active?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'ADMIN only: who receives the seller share.' })
  sellerId?: string | null;

  @Field(() => BillingIntervalEnum, { nullable: true, description: 'COMMUNITY_TIER only (default MONTHLY).' })
  billingInterval?: BillingIntervalEnum | null;

  @Field(() => Int, { nullable: true, description: 'COMMUNITY_TIER only: 0–90 free days (not LIFETIME).' })
  trialDays?: number | null;
}

@ObjectType('SetProductPricePayload')
export class SetProductPricePayload {
  @Field(() => Product)
  product!: Product;
}
