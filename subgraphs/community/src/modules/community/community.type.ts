import { ConnectionType } from '@edugraph/kit';
import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { CommunityEntity } from './community.entity.js';

export enum CommunityVisibilityEnum {
  PUBLIC = 'PUBLIC',
  PRIVATE = 'PRIVATE',
}
registerEnumType(CommunityVisibilityEnum, {
  name: 'CommunityVisibility',
  description:
    'PUBLIC: anyone finds and reads it. PRIVATE: hidden from outsiders; only active members read it.',
});

export enum CommunityJoinPolicyEnum {
  OPEN = 'OPEN',
  APPROVAL = 'APPROVAL',
  INVITE_ONLY = 'INVITE_ONLY',
}
registerEnumType(CommunityJoinPolicyEnum, {
  name: 'CommunityJoinPolicy',
  description:
    'OPEN: joining makes an active member (public communities only). APPROVAL: a request an approver accepts. INVITE_ONLY: by invitation.',
});

export enum CommunityPostingPolicyEnum {
  ALL_MEMBERS = 'ALL_MEMBERS',
  MODERATORS_ONLY = 'MODERATORS_ONLY',
}
registerEnumType(CommunityPostingPolicyEnum, {
  name: 'CommunityPostingPolicy',
  description:
    'Who may start posts: every active member, or moderators and above (and custom roles granting it).',
});

@ObjectType('CommunityLocation', { description: 'Where a community meets, for the map.' })
export class CommunityLocation {
  @Field(() => Float, { description: 'Degrees, -90…90.' })
  latitude!: number;

  @Field(() => Float, { description: 'Degrees, -180…180.' })
  longitude!: number;

  @Field(() => String, { nullable: true })
  placeName!: string | null;
}

/** A community. Commerce (tiers), messaging (channels) and others refer to it by id. */
@Directive('@key(fields: "id")')
@ObjectType('Community')
export class Community {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Unique; lowercase letters, digits and dashes.' })
  slug!: string;

  @Field(() => String)
  description!: string;

  @Field(() => CommunityVisibilityEnum)
  visibility!: CommunityVisibilityEnum;

  @Field(() => CommunityJoinPolicyEnum)
  joinPolicy!: CommunityJoinPolicyEnum;

  @Field(() => CommunityPostingPolicyEnum)
  postingPolicy!: CommunityPostingPolicyEnum;

  @Field(() => [String], { description: 'At most 5.' })
  categories!: string[];

  @Field(() => CommunityLocation, { nullable: true })
  location!: CommunityLocation | null;

  @Field(() => Int, { description: 'Active members.' })
  memberCount!: number;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Archived communities are read-only.' })
  archivedAt!: Date | null;

  /** Not exposed: the row, for field resolvers. */
  entity!: CommunityEntity;

  static from(entity: CommunityEntity): Community {
    return Object.assign(new Community(), {
      id: entity.id,
      name: entity.name,
      slug: entity.slug,
      description: entity.description,
      visibility: entity.visibility as CommunityVisibilityEnum,
      joinPolicy: entity.joinPolicy as CommunityJoinPolicyEnum,
      postingPolicy: entity.postingPolicy as CommunityPostingPolicyEnum,
      categories: entity.categories,
      location:
        entity.locationLatitude !== null && entity.locationLongitude !== null
          ? {
              latitude: entity.locationLatitude,
              longitude: entity.locationLongitude,
              placeName: entity.locationName,
            }
          : null,
      memberCount: entity.memberCount,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      archivedAt: entity.archivedAt,
      entity,
    });
  }
}

export const CommunityConnection = ConnectionType(Community, 'Community');

@ObjectType('CommunityPayload')
export class CommunityPayload {
  @Field(() => Community)
  community!: Community;
}

@InputType('CommunityLocationInput')
export class CommunityLocationInput {
  @Field(() => Float, { description: '-90…90.' })
  latitude!: number;

  @Field(() => Float, { description: '-180…180.' })
  longitude!: number;

  @Field(() => String, { nullable: true, description: 'At most 120 characters.' })
  placeName?: string | null;
}

@InputType('CommunityBoundsInput', {
  description: 'A map rectangle (degrees); west > east crosses the antimeridian.',
})
export class CommunityBoundsInput {
  @Field(() => Float)
  south!: number;

  @Field(() => Float)
  west!: number;

  @Field(() => Float)
  north!: number;

  @Field(() => Float)
  east!: number;
}

@InputType('CommunitiesFilter')
export class CommunitiesFilter {
  @Field(() => Boolean, {
    nullable: true,
    description:
      'Only communities the viewer belongs to (active, requested or invited), archived ones included.',
  })
  mine?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Words in the name or description.' })
  search?: string | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => CommunityVisibilityEnum, { nullable: true })
  visibility?: CommunityVisibilityEnum | null;

  @Field(() => ID, { nullable: true })
  ownerId?: string | null;

  @Field(() => CommunityBoundsInput, {
    nullable: true,
    description: 'Communities located in this rectangle.',
  })
  within?: CommunityBoundsInput | null;
}

/** Fields shared by the create and update inputs (not reachable on its own, so not in the schema). */
@InputType('CommunityFieldsBase')
class CommunityFieldsInput {
  @Field(() => String, {
    nullable: true,
    description: '3–60 lowercase letters, digits and dashes; from the name when absent.',
  })
  slug?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 2,000 characters.' })
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'A media asset (an image); null removes the cover.' })
  coverAssetId?: string | null;

  @Field(() => CommunityVisibilityEnum, { nullable: true })
  visibility?: CommunityVisibilityEnum | null;

  @Field(() => CommunityJoinPolicyEnum, {
    nullable: true,
    description: 'Default OPEN for public communities, APPROVAL for private ones (which cannot be OPEN).',
  })
  joinPolicy?: CommunityJoinPolicyEnum | null;

  @Field(() => CommunityPostingPolicyEnum, { nullable: true })
  postingPolicy?: CommunityPostingPolicyEnum | null;

  @Field(() => [String], { nullable: true, description: 'At most 5, each at most 40 characters.' })
  categories?: string[] | null;

  @Field(() => CommunityLocationInput, { nullable: true, description: 'null removes the location.' })
  location?: CommunityLocationInput | null;
}

@InputType('CreateCommunityInput')
export class CreateCommunityInput extends CommunityFieldsInput {
  @Field(() => String, { description: '3–80 characters.' })
  name!: string;
}

@InputType('UpdateCommunityInput')
export class UpdateCommunityInput extends CommunityFieldsInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { nullable: true, description: '3–80 characters.' })
  name?: string | null;
}
