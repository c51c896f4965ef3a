import { Field, Float, InputType, Int, ObjectType } from 'type-graphql';
import { PaymentProviderEnum } from '../order/order.type.js';

@ObjectType('FinanceSummary', {
  description: 'One currency over one period, in integer minor units (Float: sums outgrow 32 bits).',
})
export class FinanceSummary {
  @Field(() => String)
  currency!: string;

  @Field(() => Int, { description: 'Orders paid in the period.' })
  orders!: number;

  @Field(() => Float, { description: 'List price × quantity of those orders.' })
  grossMinor!: number;

  @Field(() => Float)
  discountsMinor!: number;

  @Field(() => Float, { description: 'Tax collected.' })
  taxMinor!: number;

  @Field(() => Float, { description: 'What buyers paid.' })
  collectedMinor!: number;

  @Field(() => Float, { description: 'Refunds completed in the period.' })
  refundsMinor!: number;

  @Field(() => Float, { description: 'Collected − refunds − tax kept (from the ledger).' })
  netMinor!: number;

  @Field(() => Float, { description: 'Platform commission (fees) earned, net of refunds.' })
  commissionMinor!: number;
}

@InputType('ProviderRecordInput')
export class ProviderRecordInput {
  @Field(() => String)
  paymentId!: string;

  @Field(() => Int)
  amountMinor!: number;

  @Field(() => String)
  currency!: string;
}

@InputType('ReconcilePaymentsInput')
export class ReconcilePaymentsInput {
  @Field(() => PaymentProviderEnum)
  provider!: PaymentProviderEnum;

  @Field(() => Date)
  from!: Date;

  @Field(() => Date)
  to!: Date;

  @Field(() => [ProviderRecordInput], {
    description: 'The provider’s settled payments for the period (≤ 10,000).',
  })
  records!: ProviderRecordInput[];
}

@ObjectType('ReconciliationLine')
export class ReconciliationLine {
  @Field(() => String)
  currency!: string;

  @Field(() => Float)
  oursMinor!: number;

  @Field(() => Float)
  providerMinor!: number;

  @Field(() => Int, { description: 'Variance in basis points of the larger side.' })
  varianceBps!: number;

  @Field(() => Boolean, { description: 'Variance above 250 bps (an alert event is emitted).' })
  alert!: boolean;

  @Field(() => [String])
  missingHere!: string[];

  @Field(() => [String])
  missingAtProvider!: string[];

  @Field(() => [String])
  amountMismatches!: string[];
}

@ObjectType('ReconcilePaymentsPayload')
export class ReconcilePaymentsPayload {
  @Field(() => [ReconciliationLine])
  lines!: ReconciliationLine[];
}
