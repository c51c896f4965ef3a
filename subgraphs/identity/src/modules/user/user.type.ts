import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, type PlatformRole } from '@edugraph/kit';
import { PlatformRoleEnum } from './platform-role.enum.js';
import type { UserEntity } from './user.entity.js';

/** How long another viewer may be shown the same public fields of a user (e.g. a renamed display name). */
export const USER_PUBLIC_MAX_AGE_SECONDS = 30;

/**
 * A person with an account. Public fields: id, displayName, roles, createdAt (the same for every viewer,
 * so answers with only these are `Cache-Control: public, max-age=30`). `email`, `emailVerified`,
 * `twoFactorEnabled` and `disabled` resolve only for the user themself and for ADMIN/SUPPORT; for anyone
 * else they are null (so lists that reference users never fail); they make an answer private.
 */
@Directive('@key(fields: "id")')
@Directive(`@cacheControl(maxAge: ${USER_PUBLIC_MAX_AGE_SECONDS}, scope: PUBLIC)`)
@ObjectType('User')
export class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => [PlatformRoleEnum])
  roles!: PlatformRole[];

  @Field(() => Date)
  createdAt!: Date;

  /** Not exposed: the row behind the object, for field resolvers. */
  entity!: UserEntity;

  /** Not exposed: set when the object is handed to the user themself (e.g. AuthPayload of sign-in). */
  selfView = false;
}

export function toUser(entity: UserEntity, options: { selfView?: boolean } = {}): User {
  const user = new User();
  user.id = entity.id;
  user.displayName = entity.displayName;
  user.roles = [...entity.roles];
  user.createdAt = entity.createdAt;
  user.entity = entity;
  user.selfView = options.selfView ?? false;
  return user;
}

/** `UserSearchConnection`: named apart from connections of users other subgraphs may define. */
export const UserConnection = ConnectionType(User, 'UserSearch');
