import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Money, money } from '../../common/money.type.js';
import { User, userRef } from '../../external/user.external.js';
import type { Payout as PayoutRow, PayoutBatch as PayoutBatchRow } from './payout.service.js';

export enum PayoutStatusEnum {
  REQUESTED = 'REQUESTED',
  PROCESSING = 'PROCESSING',
  PAID = 'PAID',
}
registerEnumType(PayoutStatusEnum, { name: 'PayoutStatus' });

@ObjectType('Payout')
export class Payout {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  payee!: User;

  @Field(() => Money)
  amount!: Money;

  @Field(() => Money, { description: 'From sales (seller payable).' })
  sellerPart!: Money;

  @Field(() => Money, { description: 'From affiliate commissions.' })
  affiliatePart!: Money;

  @Field(() => PayoutStatusEnum)
  status!: PayoutStatusEnum;

  @Field(() => ID, { nullable: true })
  batchId!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  paidAt!: Date | null;

  static from(p: PayoutRow): Payout {
    return Object.assign(new Payout(), {
      id: p.id,
      payee: userRef(p.payeeId),
      amount: money(p.amountMinor, p.currency),
      sellerPart: money(p.sellerMinor, p.currency),
      affiliatePart: money(p.affiliateMinor, p.currency),
      status: p.status as PayoutStatusEnum,
      batchId: p.batchId,
      createdAt: p.createdAt,
      paidAt: p.paidAt,
    });
  }
}

@ObjectType('PayoutBatch')
export class PayoutBatch {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => String, { description: 'PROCESSING or PAID.' })
  status!: string;

  @Field(() => Float, {
    description: 'Integer minor units of `currency` (Float: a batch total outgrows 32 bits).',
  })
  totalMinor!: number;

  @Field(() => [Payout])
  payouts!: Payout[];

  static from(b: PayoutBatchRow): PayoutBatch {
    return Object.assign(new PayoutBatch(), {
      id: b.id,
      currency: b.currency,
      status: b.status,
      totalMinor: b.payouts.reduce((sum, p) => sum + p.amountMinor, 0),
      payouts: b.payouts.map(Payout.from),
    });
  }
}

@InputType('CurrencyInput')
export class CurrencyInput {
  @Field(() => String, { description: 'ISO 4217.' })
  currency!: string;
}

@InputType('PayoutBatchIdInput')
export class PayoutBatchIdInput {
  @Field(() => ID)
  batchId!: string;
}

@ObjectType('PayoutPayload')
export class PayoutPayload {
  @Field(() => Payout)
  payout!: Payout;
}

@ObjectType('PayoutBatchPayload')
export class PayoutBatchPayload {
  @Field(() => PayoutBatch)
  batch!: PayoutBatch;
}
