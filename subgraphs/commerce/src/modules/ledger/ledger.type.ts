import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../../external/user.external.js';

export enum LedgerAccountKindEnum {
  PROVIDER_CLEARING = 'PROVIDER_CLEARING',
  PLATFORM_REVENUE = 'PLATFORM_REVENUE',
  TAX_PAYABLE = 'TAX_PAYABLE',
  SELLER_PAYABLE = 'SELLER_PAYABLE',
  AFFILIATE_PAYABLE = 'AFFILIATE_PAYABLE',
}
registerEnumType(LedgerAccountKindEnum, { name: 'LedgerAccountKind' });

@ObjectType('LedgerBalance', {
  description: 'An account’s balance, derived from its entries (debit > 0, credit < 0).',
})
export class LedgerBalance {
  @Field(() => ID)
  accountId!: string;

  @Field(() => LedgerAccountKindEnum)
  kind!: LedgerAccountKindEnum;

  @Field(() => User, { nullable: true })
  owner!: User | null;

  @Field(() => String)
  currency!: string;

  @Field(() => Float, {
    description:
      'Integer minor units, signed (a payable is a credit balance, i.e. negative); Float: balances outgrow 32 bits.',
  })
  balance!: number;
}

@ObjectType('LedgerEntry')
export class LedgerEntry {
  @Field(() => LedgerAccountKindEnum)
  kind!: LedgerAccountKindEnum;

  @Field(() => User, { nullable: true })
  owner!: User | null;

  @Field(() => String)
  currency!: string;

  @Field(() => Float, { description: 'Signed integer minor units: debit > 0, credit < 0.' })
  amount!: number;
}

@ObjectType('LedgerTransaction')
export class LedgerTransaction {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  kind!: string;

  @Field(() => String)
  idempotencyKey!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => [LedgerEntry])
  entries!: LedgerEntry[];
}
