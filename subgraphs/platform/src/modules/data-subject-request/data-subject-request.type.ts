import { ConnectionArgs, ConnectionType } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../../external/user.external.js';

export enum DataSubjectRequestKindEnum {
  EXPORT = 'EXPORT',
  DELETE = 'DELETE',
}
registerEnumType(DataSubjectRequestKindEnum, { name: 'DataSubjectRequestKind' });

export enum DataSubjectRequestStatusEnum {
  RECEIVED = 'RECEIVED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
}
registerEnumType(DataSubjectRequestStatusEnum, { name: 'DataSubjectRequestStatus' });

@ObjectType('DataSubjectRequest', {
  description: 'A GDPR-style export or deletion request; due 30 days after it was made.',
})
export class DataSubjectRequest {
  @Field(() => ID)
  id!: string;

  @Field(() => User)
  user!: User;

  @Field(() => DataSubjectRequestKindEnum)
  kind!: DataSubjectRequestKindEnum;

  @Field(() => DataSubjectRequestStatusEnum)
  status!: DataSubjectRequestStatusEnum;

  @Field(() => Date)
  requestedAt!: Date;

  @Field(() => Date)
  dueAt!: Date;

  @Field(() => Date, { nullable: true })
  completedAt!: Date | null;

  @Field(() => String, { nullable: true })
  note!: string | null;
}

export const DataSubjectRequestConnection = ConnectionType(DataSubjectRequest, 'DataSubjectRequest');

@InputType('RequestDataSubjectRequestInput')
export class RequestDataSubjectRequestInput {
  @Field(() => DataSubjectRequestKindEnum)
  kind!: DataSubjectRequestKindEnum;

  @Field(() => ID, {
    nullable: true,
    description: 'On behalf of another user (ADMIN or SUPPORT only); default the viewer.',
  })
  userId?: string | null;
}

@InputType('SetDataSubjectRequestStatusInput')
export class SetDataSubjectRequestStatusInput {
  @Field(() => ID)
  id!: string;

  @Field(() => DataSubjectRequestStatusEnum)
  status!: DataSubjectRequestStatusEnum;

  @Field(() => String, { nullable: true, description: 'Required (5–2,000 characters) when rejecting.' })
  note?: string | null;
}

@ObjectType('DataSubjectRequestPayload')
export class DataSubjectRequestPayload {
  @Field(() => DataSubjectRequest)
  request!: DataSubjectRequest;
}

@ArgsType()
export class DataSubjectRequestsArgs extends ConnectionArgs {
  @Field(() => DataSubjectRequestStatusEnum, { nullable: true })
  status?: DataSubjectRequestStatusEnum | null;

  @Field(() => ID, { nullable: true })
  userId?: string | null;
}
