import { ArrayMaxSize, IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { ApiKeyScope } from '../api-key-scope.enum.js';

@InputType('CreateApiKeyInput')
export class CreateApiKeyInput {
  @Field(() => String)
  @MaxLength(200)
  name!: string;

  @Field(() => [ApiKeyScope])
  @ArrayMaxSize(10)
  scopes!: ApiKeyScope[];
}

@InputType('RevokeApiKeyInput')
export class RevokeApiKeyInput {
  @Field(() => ID)
  @IsUUID()
  apiKeyId!: string;
}
