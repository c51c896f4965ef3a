import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of media's Asset (community covers, resources, attachments); media resolves the rest. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Asset')
export class Asset {
  @Field(() => ID)
  id!: string;
}
