import { ConnectionArgs } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { FeatureFlagStrategy, FlagTenantKind } from './feature-flag.type.js';

@InputType('FlagVariantInput')
export class FlagVariantInput {
  @Field(() => String)
  key!: string;

  @Field(() => Int)
  weight!: number;
}

@InputType('FlagSegmentAttributeInput')
export class FlagSegmentAttributeInput {
  @Field(() => String)
  name!: string;

  @Field(() => [String])
  values!: string[];
}

@InputType('FlagSegmentInput')
export class FlagSegmentInput {
  @Field(() => [String], { nullable: true })
  roles?: string[] | null;

  @Field(() => [ID], { nullable: true })
  userIds?: string[] | null;

  @Field(() => String, { nullable: true })
  appVersionRange?: string | null;

  @Field(() => [FlagSegmentAttributeInput], { nullable: true })
  attributes?: FlagSegmentAttributeInput[] | null;
}

/**
 * The fields of a flag definition, as an update sends them (all optional but the key). Not used as an
 * argument itself, so it never appears in the schema; the create and update inputs extend it. A
 * subclass that redeclares a field keeps the field's position (type-graphql merges by name).
 */
@InputType('FeatureFlagDefinitionInput')
class FeatureFlagDefinitionInput {
  @Field(() => String)
  key!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [String], { nullable: true })
  environments?: string[] | null;

  @Field(() => FeatureFlagStrategy, { nullable: true })
  strategy?: FeatureFlagStrategy | null;

  @Field(() => Boolean, { nullable: true })
  booleanValue?: boolean | null;

  @Field(() => Int, { nullable: true })
  percentage?: number | null;

  @Field(() => FlagSegmentInput, { nullable: true })
  segment?: FlagSegmentInput | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;

  @Field(() => [FlagVariantInput], { nullable: true })
  variants?: FlagVariantInput[] | null;
}

@InputType('CreateFeatureFlagInput')
export class CreateFeatureFlagInput extends FeatureFlagDefinitionInput {
  @Field(() => [String], {
    description: 'Environments the flag may be on in, e.g. ["development", "production"].',
  })
  declare environments: string[];

  @Field(() => FeatureFlagStrategy)
  declare strategy: FeatureFlagStrategy;

  @Field(() => Boolean, { nullable: true, description: 'BOOLEAN strategy value (default true).' })
  declare booleanValue?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Start killed (default false).' })
  killed?: boolean | null;
}

@InputType('UpdateFeatureFlagInput', {
  description: 'Fields left out keep their value; null clears a nullable field.',
})
export class UpdateFeatureFlagInput extends FeatureFlagDefinitionInput {}

@InputType('ArchiveFeatureFlagInput')
export class ArchiveFeatureFlagInput {
  @Field(() => String)
  key!: string;
}

@InputType('SetFeatureFlagKillSwitchInput')
export class SetFeatureFlagKillSwitchInput {
  @Field(() => String)
  key!: string;

  @Field(() => Boolean, { description: 'True kills the flag (off for everyone).' })
  killed!: boolean;
}

/** Which override: a flag and a tenant. Only extended, never an argument, so not in the schema. */
@InputType('FeatureFlagOverrideTargetInput')
class FeatureFlagOverrideTargetInput {
  @Field(() => String)
  key!: string;

  @Field(() => FlagTenantKind)
  tenantType!: FlagTenantKind;

  @Field(() => ID)
  tenantId!: string;
}

@InputType('SetFeatureFlagOverrideInput')
export class SetFeatureFlagOverrideInput extends FeatureFlagOverrideTargetInput {
  @Field(() => ID, { description: 'A user id (USER) or community id (COMMUNITY).' })
  declare tenantId: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true, description: "One of the flag's variant keys." })
  variant?: string | null;
}

@InputType('RemoveFeatureFlagOverrideInput')
export class RemoveFeatureFlagOverrideInput extends FeatureFlagOverrideTargetInput {}

@InputType('FlagAttributeInput')
export class FlagAttributeInput {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  value!: string;
}

@InputType('EvaluateFeatureFlagsInput')
export class EvaluateFeatureFlagsInput {
  @Field(() => [String], { description: '1–100 flag keys.' })
  keys!: string[];

  @Field(() => String, { nullable: true, description: 'Client app version (semver) for segment ranges.' })
  appVersion?: string | null;

  @Field(() => [FlagAttributeInput], {
    nullable: true,
    description: 'Client-supplied attributes (≤ 50); not trusted for security.',
  })
  attributes?: FlagAttributeInput[] | null;

  @Field(() => ID, { nullable: true, description: 'A community id whose COMMUNITY overrides apply.' })
  tenantId?: string | null;
}

@InputType('PublicFeatureFlagsInput')
export class PublicFeatureFlagsInput extends EvaluateFeatureFlagsInput {
  @Field(() => String, {
    nullable: true,
    description:
      'A stable anonymous visitor id for percentage bucketing and variants; without it PERCENTAGE flags are off.',
  })
  anonymousId?: string | null;
}

@ArgsType()
export class FeatureFlagsArgs extends ConnectionArgs {
  @Field(() => Boolean, { nullable: true, description: 'Include archived flags (default false).' })
  includeArchived?: boolean | null;
}
