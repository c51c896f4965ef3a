import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Key-only stub of learning's Course (the classroom links courses); learning resolves the rest. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Course')
export class Course {
  @Field(() => ID)
  id!: string;
}
