import { ConnectionType } from '@edugraph/kit';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { JSONObjectScalar } from '../../common/scalars.js';
import { User } from '../../external/user.external.js';

@ObjectType('AuditEvent', { description: 'A privileged action, recorded append-only.' })
export class AuditEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'Who acted; null for the system (jobs, events without a user).',
  })
  actorId!: string | null;

  @Field(() => User, { nullable: true })
  actor!: User | null;

  @Field(() => String, { description: 'Dotted verb, e.g. `feature_flag.created`, `user.suspended`.' })
  action!: string;

  @Field(() => String)
  targetType!: string;

  @Field(() => String, { nullable: true })
  targetId!: string | null;

  @Field(() => String, { nullable: true })
  requestId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Keyed hash (HMAC-SHA256) of the client IP; the IP itself is never stored.',
  })
  ipHash!: string | null;

  @Field(() => JSONObjectScalar)
  metadata!: Record<string, unknown>;

  @Field(() => String, { description: 'The subgraph that recorded the action.' })
  source!: string;

  @Field(() => Date)
  occurredAt!: Date;

  @Field(() => Date)
  recordedAt!: Date;
}

export const AuditEventConnection = ConnectionType(AuditEvent, 'AuditEvent');

@InputType('AuditEventFilter')
export class AuditEventFilter {
  @Field(() => ID, { nullable: true })
  actorId?: string | null;

  @Field(() => String, { nullable: true })
  action?: string | null;

  @Field(() => String, { nullable: true })
  targetType?: string | null;

  @Field(() => String, { nullable: true })
  targetId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Inclusive lower bound of occurredAt.' })
  from?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Exclusive upper bound of occurredAt.' })
  to?: Date | null;
}
