import { Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType } from '@edugraph/kit';
import { ApiKeyScope } from './api-key-scope.enum.js';
import type { ApiKeyEntity } from './api-key.entity.js';

@ObjectType('ApiKey', {
  description: 'A key for third-party integrators; the secret itself is never shown again.',
})
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The first characters of the key, to tell keys apart.' })
  prefix!: string;

  @Field(() => [ApiKeyScope])
  scopes!: ApiKeyScope[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Updated at most once a minute.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

export const ApiKeyConnection = ConnectionType(ApiKey, 'ApiKey');

@ObjectType('CreateApiKeyPayload')
export class CreateApiKeyPayload {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field(() => String, { description: 'The key itself. Shown only now: store it safely.' })
  plaintextKey!: string;
}

export function toApiKey(entity: ApiKeyEntity): ApiKey {
  return Object.assign(new ApiKey(), {
    id: entity.id,
    name: entity.name,
    prefix: entity.prefix,
    scopes: entity.scopes as ApiKeyScope[],
    createdAt: entity.createdAt,
    lastUsedAt: entity.lastUsedAt,
    revokedAt: entity.revokedAt,
  });
}
