import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Money } from '../../common/money.type.js';

@ObjectType('Affiliate', {
  description: 'The viewer’s affiliate account: 25 % of the platform commission on referred orders.',
})
export class Affiliate {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Referral code buyers enter at checkout (upper-case, unique).' })
  code!: string;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('AffiliateCommission', {
  description: 'A commission earned on a referred sale, or reversed by its refund.',
})
export class AffiliateCommission {
  @Field(() => ID)
  transactionId!: string;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => String, { description: 'SALE or REFUND.' })
  kind!: string;

  @Field(() => Money, { description: 'Earned (> 0) or reversed (< 0).' })
  amount!: Money;

  @Field(() => Date)
  createdAt!: Date;
}

@InputType('JoinAffiliateProgramInput')
export class JoinAffiliateProgramInput {
  @Field(() => String, { nullable: true, description: '4–16 letters or digits (default: a random code).' })
  code?: string | null;
}

@ObjectType('JoinAffiliateProgramPayload')
export class JoinAffiliateProgramPayload {
  @Field(() => Affiliate)
  affiliate!: Affiliate;
}
