import { ConnectionType } from '@edugraph/kit';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { FlagReason, FlagStrategy, FlagTenantType } from './flag-evaluator.js';

export enum FeatureFlagStrategy {
  BOOLEAN = 'BOOLEAN',
  PERCENTAGE = 'PERCENTAGE',
  SEGMENT = 'SEGMENT',
  SCHEDULE = 'SCHEDULE',
}
registerEnumType(FeatureFlagStrategy, {
  name: 'FeatureFlagStrategy',
  valuesConfig: {
    BOOLEAN: { description: 'On or off for everyone (`booleanValue`).' },
    PERCENTAGE: {
      description: 'On for users whose stable bucket of `flagKey:userId` (1–100) is ≤ `percentage`.',
    },
    SEGMENT: { description: 'On for users matching every criterion of `segment`.' },
    SCHEDULE: { description: 'On inside the `startsAt`/`endsAt` window.' },
  },
});

export enum FlagEvaluationReason {
  MISSING = 'MISSING',
  ARCHIVED = 'ARCHIVED',
  KILLED = 'KILLED',
  ENVIRONMENT = 'ENVIRONMENT',
  SCHEDULE = 'SCHEDULE',
  STRATEGY = 'STRATEGY',
  OVERRIDE = 'OVERRIDE',
}
registerEnumType(FlagEvaluationReason, {
  name: 'FlagEvaluationReason',
  description: 'Which step of the evaluation order decided the result.',
});

export enum FlagTenantKind {
  USER = 'USER',
  COMMUNITY = 'COMMUNITY',
}
registerEnumType(FlagTenantKind, { name: 'FlagTenantType' });

@ObjectType('FlagVariant')
export class FlagVariant {
  @Field(() => String)
  key!: string;

  @Field(() => Int)
  weight!: number;
}

@ObjectType('FlagSegmentAttribute')
export class FlagSegmentAttributeType {
  @Field(() => String)
  name!: string;

  @Field(() => [String])
  values!: string[];
}

@ObjectType('FlagSegment', {
  description: 'Every criterion set must match (AND); within a criterion any value matches.',
})
export class FlagSegment {
  @Field(() => [String])
  roles!: string[];

  @Field(() => [ID])
  userIds!: string[];

  @Field(() => String, { nullable: true, description: 'semver range, e.g. ">=2.3.0 <3".' })
  appVersionRange!: string | null;

  @Field(() => [FlagSegmentAttributeType])
  attributes!: FlagSegmentAttributeType[];
}

@ObjectType('FeatureFlagOverride', {
  description: 'Per-tenant override: sets on/off and optionally the variant.',
})
export class FeatureFlagOverride {
  @Field(() => ID)
  id!: string;

  @Field(() => FlagTenantKind)
  tenantType!: FlagTenantType;

  @Field(() => ID)
  tenantId!: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true })
  variant!: string | null;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType('FeatureFlag')
export class FeatureFlag {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Unique lower-kebab key, e.g. `new-course-player`.' })
  key!: string;

  @Field(() => String)
  description!: string;

  @Field(() => Boolean, {
    description: 'Kill switch: when true the flag is off for everyone, overrides included.',
  })
  killed!: boolean;

  @Field(() => [String], { description: 'Environments the flag may be on in; elsewhere it is off.' })
  environments!: string[];

  @Field(() => FeatureFlagStrategy)
  strategy!: FlagStrategy;

  @Field(() => Boolean, { description: 'What the BOOLEAN strategy returns.' })
  booleanValue!: boolean;

  @Field(() => Int, { nullable: true })
  percentage!: number | null;

  @Field(() => FlagSegment, { nullable: true })
  segment!: FlagSegment | null;

  @Field(() => Date, { nullable: true })
  startsAt!: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt!: Date | null;

  @Field(() => [FlagVariant])
  variants!: FlagVariant[];

  @Field(() => Date, { nullable: true })
  archivedAt!: Date | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;
}

export const FeatureFlagConnection = ConnectionType(FeatureFlag, 'FeatureFlag');

@ObjectType('FlagEvaluation')
export class FlagEvaluation {
  @Field(() => String)
  key!: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => String, { nullable: true })
  variant!: string | null;

  @Field(() => FlagEvaluationReason)
  reason!: FlagReason;
}

@ObjectType('FeatureFlagPayload')
export class FeatureFlagPayload {
  @Field(() => FeatureFlag)
  featureFlag!: FeatureFlag;
}

@ObjectType('SetFeatureFlagOverridePayload')
export class SetFeatureFlagOverridePayload {
  @Field(() => FeatureFlag)
  featureFlag!: FeatureFlag;

  @Field(() => FeatureFlagOverride)
  override!: FeatureFlagOverride;
}

@ObjectType('RemoveFeatureFlagOverridePayload')
export class RemoveFeatureFlagOverridePayload {
  @Field(() => FeatureFlag)
  featureFlag!: FeatureFlag;

  @Field(() => Boolean, { description: 'False when there was no such override.' })
  removed!: boolean;
}
