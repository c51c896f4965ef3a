import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { ConnectionType, type PlatformRole } from '@edugraph/kit';
import { PlatformRoleEnum } from './platform-role.enum.js';
import type { UserEntity } from './user.entity.js';

/**
 * A person with an account. Public fields: id, displayName, roles, createdAt. `email`,
 * `emailVerified`, `twoFactorEnabled` and `disabled` resolve only for the user themself and for
 * ADMIN/SUPPORT; for anyone else they are null (so lists that reference users never fail).
 */
@Directive('@key(fields: "id")')
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
