import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { PaywallTierEntity } from './paywall.entity.js';

/**
 * A paid tier of a community. Commerce contributes `price` to the same entity (type `CommunityTier`,
 * key `id`; product kind COMMUNITY_TIER with `refId` = this id).
 */
@Directive('@key(fields: "id")')
@ObjectType('CommunityTier', { description: 'A paid community tier (owned by community).' })
export class CommunityTier {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  communityId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Int, {
    description: '1–100: holding a tier opens content gated on tiers of the same or a lower rank.',
  })
  rank!: number;

  @Field(() => [String], { description: 'At most 20.' })
  benefits!: string[];

  @Field(() => Date, { nullable: true, description: 'Archived tiers are no longer offered.' })
  archivedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  entity!: PaywallTierEntity;

  static from(entity: PaywallTierEntity): CommunityTier {
    return Object.assign(new CommunityTier(), {
      id: entity.id,
      communityId: entity.communityId,
      name: entity.name,
      description: entity.description,
      rank: entity.rank,
      benefits: entity.benefits,
      archivedAt: entity.archivedAt,
      createdAt: entity.createdAt,
      entity,
    });
  }
}

@ObjectType('CommunityTierPayload')
export class CommunityTierPayload {
  @Field(() => CommunityTier)
  tier!: CommunityTier;
}

@InputType('CreatePaywallTierInput')
export class CreatePaywallTierInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { description: '1–80 characters, unique among the community’s live tiers.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'At most 2,000 characters.' })
  description?: string | null;

  @Field(() => Int, { description: '1–100; higher ranks include lower ones.' })
  rank!: number;

  @Field(() => [String], { nullable: true, description: 'At most 20, each ≤ 200 characters.' })
  benefits?: string[] | null;
}

@InputType('UpdatePaywallTierInput')
export class UpdatePaywallTierInput {
  @Field(() => ID)
  tierId!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => Int, { nullable: true })
  rank?: number | null;

  @Field(() => [String], { nullable: true })
  benefits?: string[] | null;
}

@InputType('ArchivePaywallTierInput')
export class ArchivePaywallTierInput {
  @Field(() => ID)
  tierId!: string;
}
