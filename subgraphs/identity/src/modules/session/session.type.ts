import { Field, ID, ObjectType } from 'type-graphql';
import type { SessionEntity } from './session.entity.js';

@ObjectType('Session', { description: 'A signed-in device of the viewer.' })
export class Session {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  lastUsedAt!: Date;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => String, { nullable: true })
  ipAddress!: string | null;

  @Field(() => String, { nullable: true })
  userAgent!: string | null;

  @Field(() => Boolean, { description: 'True for the session making this request.' })
  current!: boolean;
}

export function toSession(entity: SessionEntity, currentSessionId: string | null): Session {
  const session = new Session();
  session.id = entity.id;
  session.createdAt = entity.createdAt;
  session.lastUsedAt = entity.lastUsedAt;
  session.expiresAt =
    entity.expiresAt < entity.absoluteExpiresAt ? entity.expiresAt : entity.absoluteExpiresAt;
  session.ipAddress = entity.ipAddress;
  session.userAgent = entity.userAgent;
  session.current = entity.id === currentSessionId;
  return session;
}
