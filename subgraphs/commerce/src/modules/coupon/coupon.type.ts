import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money, money } from '../../common/money.type.js';
import type { CouponEntity } from './coupon.entity.js';

export enum CouponKindEnum {
  PERCENT = 'PERCENT',
  AMOUNT = 'AMOUNT',
}
registerEnumType(CouponKindEnum, {
  name: 'CouponKind',
  description: 'PERCENT (1–80 %) or a fixed AMOUNT in one currency.',
});

@ObjectType('Coupon')
export class Coupon {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  code!: string;

  @Field(() => CouponKindEnum)
  kind!: CouponKindEnum;

  @Field(() => Int, { nullable: true })
  percentOff!: number | null;

  @Field(() => Money, { nullable: true })
  amountOff!: Money | null;

  @Field(() => Date, { nullable: true })
  startsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt!: Date | null;

  @Field(() => Int, { nullable: true })
  maxRedemptions!: number | null;

  @Field(() => Int, { nullable: true })
  perUserLimit!: number | null;

  @Field(() => Int)
  redeemedCount!: number;

  static from(c: CouponEntity): Coupon {
    return Object.assign(new Coupon(), {
      id: c.id,
      code: c.code,
      kind: c.kind as CouponKindEnum,
      percentOff: c.percentOff,
      amountOff: c.amountOffMinor !== null && c.currency ? money(c.amountOffMinor, c.currency) : null,
      startsAt: c.startsAt,
      endsAt: c.endsAt,
      maxRedemptions: c.maxRedemptions,
      perUserLimit: c.perUserLimit,
      redeemedCount: c.redeemedCount,
    });
  }
}

@InputType('CreateCouponInput')
export class CreateCouponInput {
  @Field(() => String, { description: '3–32 letters, digits, - or _; stored upper-case.' })
  code!: string;

  @Field(() => CouponKindEnum)
  kind!: CouponKindEnum;

  @Field(() => Int, { nullable: true })
  percentOff?: number | null;

  @Field(() => Int, { nullable: true, description: 'Minor units (AMOUNT).' })
  amountOff?: number | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 (AMOUNT).' })
  currency?: string | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => Int, { nullable: true })
  maxRedemptions?: number | null;

  @Field(() => Int, { nullable: true })
  perUserLimit?: number | null;
}

@ObjectType('CreateCouponPayload')
export class CreateCouponPayload {
  @Field(() => Coupon)
  coupon!: Coupon;
}
