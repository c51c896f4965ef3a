import { IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';

@InputType('RevokeSessionInput')
export class RevokeSessionInput {
  @Field(() => ID)
  @IsUUID()
  sessionId!: string;
}
