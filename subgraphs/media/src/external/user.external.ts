import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of identity's User; media references it as an asset owner. */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class User {
  @Field(() => ID)
  id!: string;
}

/** Reference resolver: media needs nothing but the id. */
export const userReferenceResolver = {
  __resolveReference: (reference: { __typename: string; id: string }): User => ({ id: reference.id }),
};
