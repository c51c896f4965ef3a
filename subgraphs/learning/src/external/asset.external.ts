import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Key-only stub of media's Asset: `Lesson.asset` returns `{ id }` and the gateway asks media for the
 * rest, which resolves it only for viewers media's "may view" rule allows (learning's rule for
 * RESTRICTED lesson assets: `POST /internal/media/may-view`).
 */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Asset')
export class Asset {
  @Field(() => ID)
  id!: string;
}
