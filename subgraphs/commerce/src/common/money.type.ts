import { Directive, Field, Int, ObjectType } from 'type-graphql';

/** An amount in integer minor units of an ISO 4217 currency (ARCHITECTURE.md §8). */
@Directive('@shareable')
@ObjectType('Money', { description: 'An amount in integer minor units (cents) of an ISO 4217 currency.' })
export class Money {
  @Field(() => Int, { description: 'Minor units (e.g. 1999 = 19.99 USD).' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 code, e.g. USD.' })
  currency!: string;
}

export function money(amount: number, currency: string): Money {
  return Object.assign(new Money(), { amount, currency });
}
