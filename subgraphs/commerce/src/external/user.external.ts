import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of identity's User (buyers and sellers). */
@Directive('@key(fields: "id")')
@ObjectType('User')
export class User {
  @Field(() => ID)
  id!: string;
}

export function userRef(id: string): User {
  return Object.assign(new User(), { id });
}

export const userReferenceResolver = {
  __resolveReference: (reference: { __typename: string; id: string }): User => userRef(reference.id),
};
