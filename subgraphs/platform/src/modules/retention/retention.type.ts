import { ConnectionType } from '@edugraph/kit';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum RetentionActionEnum {
  HARD_DELETE = 'HARD_DELETE',
  SOFT_DELETE = 'SOFT_DELETE',
  ANONYMISE = 'ANONYMISE',
}
registerEnumType(RetentionActionEnum, { name: 'RetentionAction' });

export enum RetentionRunStatusEnum {
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
}
registerEnumType(RetentionRunStatusEnum, {
  name: 'RetentionRunStatus',
  description:
    'RUNNING until every entity has reported back; an entity whose subgraph never answers keeps the run RUNNING.',
});

export enum RetentionItemStatusEnum {
  PENDING = 'PENDING',
  APPLIED = 'APPLIED',
}
registerEnumType(RetentionItemStatusEnum, { name: 'RetentionItemStatus' });

export enum RetentionTriggerEnum {
  SCHEDULE = 'SCHEDULE',
  MANUAL = 'MANUAL',
}
registerEnumType(RetentionTriggerEnum, { name: 'RetentionTrigger' });

@ObjectType('RetentionPolicy')
export class RetentionPolicy {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: '`<subgraph>.<table>`, e.g. `identity.sessions`.' })
  entity!: string;

  @Field(() => RetentionActionEnum)
  action!: RetentionActionEnum;

  @Field(() => Int)
  afterDays!: number;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType('RetentionRunItem')
export class RetentionRunItem {
  @Field(() => String)
  entity!: string;

  @Field(() => RetentionActionEnum)
  action!: RetentionActionEnum;

  @Field(() => Int)
  afterDays!: number;

  @Field(() => Int, {
    nullable: true,
    description: 'Rows affected (or that would be, in a dry run); null while PENDING.',
  })
  affected!: number | null;

  @Field(() => RetentionItemStatusEnum)
  status!: RetentionItemStatusEnum;

  @Field(() => Date, { nullable: true })
  appliedAt!: Date | null;
}

@ObjectType('RetentionRun')
export class RetentionRun {
  @Field(() => ID)
  id!: string;

  @Field(() => Boolean)
  dryRun!: boolean;

  @Field(() => RetentionRunStatusEnum)
  status!: RetentionRunStatusEnum;

  @Field(() => RetentionTriggerEnum)
  trigger!: RetentionTriggerEnum;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;
}

export const RetentionRunConnection = ConnectionType(RetentionRun, 'RetentionRun');

@InputType('SetRetentionPolicyInput')
export class SetRetentionPolicyInput {
  @Field(() => String)
  entity!: string;

  @Field(() => RetentionActionEnum)
  action!: RetentionActionEnum;

  @Field(() => Int, { description: '1–3650.' })
  afterDays!: number;

  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  enabled?: boolean | null;
}

@ObjectType('SetRetentionPolicyPayload')
export class SetRetentionPolicyPayload {
  @Field(() => RetentionPolicy)
  policy!: RetentionPolicy;
}

@InputType('RunRetentionInput')
export class RunRetentionInput {
  @Field(() => Boolean, { description: 'Report what would be affected without changing anything.' })
  dryRun!: boolean;
}

@ObjectType('RunRetentionPayload')
export class RunRetentionPayload {
  @Field(() => RetentionRun)
  run!: RetentionRun;
}
