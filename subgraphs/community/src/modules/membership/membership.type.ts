import { ConnectionArgs, ConnectionType } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  CommunityMemberRoleEnum,
  CommunityMembershipStatusEnum,
  CommunityPermissionEnum,
} from '../access/access.type.js';
import { Community } from '../community/community.type.js';
import type { CommunityInviteEntity, CommunityRoleEntity, MembershipEntity } from './membership.entity.js';

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

export const CommunityMembershipConnection = ConnectionType(CommunityMembership, 'CommunityMembership');

@ArgsType()
export class CommunityMembersArgs extends ConnectionArgs {
  @Field(() => CommunityMembershipStatusEnum, {
    nullable: true,
    description:
      'Default ACTIVE (readers). PENDING requests for approvers, INVITED for inviters, BANNED for those who ban.',
  })
  status?: CommunityMembershipStatusEnum | null;

  @Field(() => CommunityMemberRoleEnum, { nullable: true })
  role?: CommunityMemberRoleEnum | null;
}

@ArgsType()
export class UserMembershipsArgs extends ConnectionArgs {
  @Field(() => CommunityMembershipStatusEnum, {
    nullable: true,
    description: 'The user themselves and platform admins only; others see ACTIVE memberships they may read.',
  })
  status?: CommunityMembershipStatusEnum | null;
}

export enum CommunityInviteStateEnum {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
  EXHAUSTED = 'EXHAUSTED',
}
registerEnumType(CommunityInviteStateEnum, { name: 'CommunityInviteState' });

/** An invite link (its token is shown once, when created). */
@ObjectType('CommunityInviteLink')
export class CommunityInviteLink {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The first characters of the token, to tell links apart.' })
  tokenHint!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Int, { nullable: true, description: 'Null: unlimited until it expires.' })
  maxUses!: number | null;

  @Field(() => Int)
  uses!: number;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  entity!: CommunityInviteEntity;

  static from(entity: CommunityInviteEntity): CommunityInviteLink {
    return Object.assign(new CommunityInviteLink(), {
      id: entity.id,
      tokenHint: entity.tokenHint,
      expiresAt: entity.expiresAt,
      maxUses: entity.maxUses,
      uses: entity.uses,
      revokedAt: entity.revokedAt,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

export const CommunityInviteLinkConnection = ConnectionType(CommunityInviteLink, 'CommunityInviteLink');

@ObjectType('CreateCommunityInviteLinkPayload')
export class CreateCommunityInviteLinkPayload {
  @Field(() => CommunityInviteLink)
  invite!: CommunityInviteLink;

  @Field(() => String, {
    description: 'The secret token; shown only now (joinCommunityWithInvite takes it).',
  })
  token!: string;
}

@ObjectType('CommunityInviteLinkPayload')
export class CommunityInviteLinkPayload {
  @Field(() => CommunityInviteLink)
  invite!: CommunityInviteLink;
}

@ObjectType('CommunityInvitePreview', {
  description: 'What an invite link leads to (also for private communities).',
})
export class CommunityInvitePreview {
  @Field(() => Community)
  community!: Community;

  @Field(() => CommunityInviteStateEnum)
  state!: CommunityInviteStateEnum;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType('CommunityRolePayload')
export class CommunityRolePayload {
  @Field(() => CommunityRole)
  role!: CommunityRole;
}

@InputType('CommunityMemberInput')
export class CommunityMemberInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => ID)
  userId!: string;
}

@InputType('BanCommunityMemberInput')
export class BanCommunityMemberInput extends CommunityMemberInput {
  @Field(() => String, { nullable: true, description: 'At most 500 characters (moderators see it).' })
  reason?: string | null;
}

@InputType('MuteCommunityMemberInput')
export class MuteCommunityMemberInput extends CommunityMemberInput {
  @Field(() => Date, { nullable: true, description: 'Within 365 days; null unmutes.' })
  until?: Date | null;
}

@InputType('SetCommunityMemberRoleInput')
export class SetCommunityMemberRoleInput extends CommunityMemberInput {
  @Field(() => CommunityMemberRoleEnum, {
    description: 'ADMIN, MODERATOR or MEMBER (below the actor’s own role).',
  })
  role!: CommunityMemberRoleEnum;
}

@InputType('AssignCommunityCustomRoleInput')
export class AssignCommunityCustomRoleInput extends CommunityMemberInput {
  @Field(() => ID, { nullable: true, description: 'A custom role of this community; null takes it away.' })
  customRoleId?: string | null;
}

@InputType('CreateCommunityRoleInput')
export class CreateCommunityRoleInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { description: '1–40 characters, unique in the community.' })
  name!: string;

  @Field(() => [CommunityPermissionEnum], {
    description: 'Added to the holder’s built-in role (not MEMBER_ROLE_SET, ROLE_MANAGE or the owner’s).',
  })
  permissions!: CommunityPermissionEnum[];
}

@InputType('UpdateCommunityRoleInput')
export class UpdateCommunityRoleInput {
  @Field(() => ID)
  roleId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => [CommunityPermissionEnum], { nullable: true, description: 'Replaces the permissions.' })
  permissions?: CommunityPermissionEnum[] | null;
}

@InputType('CommunityRoleIdInput')
export class CommunityRoleIdInput {
  @Field(() => ID)
  roleId!: string;
}

@InputType('CreateCommunityInviteLinkInput')
export class CreateCommunityInviteLinkInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => Int, { nullable: true, description: '1–720 hours (default 168).' })
  expiresInHours?: number | null;

  @Field(() => Int, { nullable: true, description: '1–10,000 joins; unlimited when absent.' })
  maxUses?: number | null;
}

@InputType('RevokeCommunityInviteLinkInput')
export class RevokeCommunityInviteLinkInput {
  @Field(() => ID)
  inviteId!: string;
}

@InputType('JoinCommunityWithInviteInput')
export class JoinCommunityWithInviteInput {
  @Field(() => String)
  token!: string;

  @Field(() => String, { nullable: true, description: 'The member’s IANA time zone (default UTC).' })
  timeZone?: string | null;
}

@InputType('UpdateMyCommunityMembershipInput')
export class UpdateMyCommunityMembershipInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { description: 'IANA time zone, e.g. "Europe/Lisbon".' })
  timeZone!: string;
}
