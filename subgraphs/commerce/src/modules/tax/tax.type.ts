import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType('TaxRate')
export class TaxRate {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  country!: string;

  @Field(() => String, { nullable: true })
  region!: string | null;

  @Field(() => Int, { description: 'Basis points (2000 = 20 %).' })
  rateBps!: number;

  @Field(() => Boolean, { description: 'Prices include the tax (true) or it is added on top.' })
  inclusive!: boolean;
}

@InputType('SetTaxRateInput')
export class SetTaxRateInput {
  @Field(() => String)
  country!: string;

  @Field(() => String, { nullable: true })
  region?: string | null;

  @Field(() => Int)
  rateBps!: number;

  @Field(() => Boolean)
  inclusive!: boolean;
}

@ObjectType('SetTaxRatePayload')
export class SetTaxRatePayload {
  @Field(() => TaxRate)
  taxRate!: TaxRate;
}
