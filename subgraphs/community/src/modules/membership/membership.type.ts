import { Field, ID, InputType, ObjectType } from 'type-graphql';
import {
  CommunityMemberRoleEnum,
  CommunityMembershipStatusEnum,
  CommunityPermissionEnum,
} from '../access/access.type.js';
import { Community } from '../community/community.type.js';
import type { CommunityRoleEntity, MembershipEntity } from './membership.entity.js';

/** A custom role: a name and the permissions it adds to its holders' built-in role. */
@ObjectType('CommunityRole')
export class CommunityRole {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => [CommunityPermissionEnum])
  permissions!: CommunityPermissionEnum[];

  @Field(() => Date)
  createdAt!: Date;

  entity!: CommunityRoleEntity;

  static from(entity: CommunityRoleEntity): CommunityRole {
    return Object.assign(new CommunityRole(), {
      id: entity.id,
      name: entity.name,
      permissions: entity.permissions as CommunityPermissionEnum[],
      createdAt: entity.createdAt,
      entity,
    });
  }
}

/** A user's membership in a community, in any status. */
@ObjectType('CommunityMembership')
export class CommunityMembership {
  @Field(() => ID)
  id!: string;

  @Field(() => CommunityMemberRoleEnum)
  role!: CommunityMemberRoleEnum;

  @Field(() => CommunityMembershipStatusEnum)
  status!: CommunityMembershipStatusEnum;

  @Field(() => String, { description: 'IANA time zone; streaks and reminders count days in it.' })
  timeZone!: string;

  @Field(() => Date, { nullable: true, description: 'When the membership last became ACTIVE.' })
  joinedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the user asked to join (PENDING).' })
  requestedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Muted (no posts or comments) until then.' })
  mutedUntil!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  entity!: MembershipEntity;

  static from(entity: MembershipEntity): CommunityMembership {
    return Object.assign(new CommunityMembership(), {
      id: entity.id,
      role: entity.role as CommunityMemberRoleEnum,
      status: entity.status as CommunityMembershipStatusEnum,
      timeZone: entity.timeZone,
      joinedAt: entity.joinedAt,
      requestedAt: entity.requestedAt,
      mutedUntil: entity.mutedUntil,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

@ObjectType('CommunityMembershipPayload')
export class CommunityMembershipPayload {
  @Field(() => CommunityMembership)
  membership!: CommunityMembership;

  @Field(() => Community, { nullable: true, description: 'The community, when the viewer may still see it.' })
  community!: Community | null;
}

@InputType('JoinCommunityInput')
export class JoinCommunityInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { nullable: true, description: 'The member’s IANA time zone (default UTC).' })
  timeZone?: string | null;
}

@InputType('LeaveCommunityInput')
export class LeaveCommunityInput {
  @Field(() => ID)
  communityId!: string;
}
