import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money, money } from '../../common/money.type.js';
import { Order } from '../order/order.type.js';
import type { RefundEntity } from './refund.entity.js';

export enum RefundStatusEnum {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(RefundStatusEnum, { name: 'RefundStatus' });

@ObjectType('Refund')
export class Refund {
  @Field(() => ID)
  id!: string;

  @Field(() => Money)
  amount!: Money;

  @Field(() => RefundStatusEnum)
  status!: RefundStatusEnum;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  static from(r: RefundEntity, currency: string): Refund {
    return Object.assign(new Refund(), {
      id: r.id,
      amount: money(r.amountMinor, currency),
      status: r.status as RefundStatusEnum,
      reason: r.reason,
      createdAt: r.createdAt,
    });
  }
}

@InputType('RefundOrderInput')
export class RefundOrderInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => Int, { nullable: true, description: 'Minor units; default: everything that remains.' })
  amount?: number | null;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@ObjectType('RefundOrderPayload')
export class RefundOrderPayload {
  @Field(() => Refund)
  refund!: Refund;

  @Field(() => Order)
  order!: Order;
}
