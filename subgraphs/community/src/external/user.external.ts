import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of identity's User; community adds `memberships` (and modules add more). */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class User {
  @Field(() => ID)
  id!: string;
}

/** Reference resolver: community needs nothing but the id. */
export const userReferenceResolver = {
  __resolveReference: (reference: { __typename: string; id: string }): User => ({ id: reference.id }),
};
