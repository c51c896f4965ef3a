import { IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import type { PlatformRole } from '@edugraph/kit';
import { PlatformRoleEnum } from '../platform-role.enum.js';

@InputType('GrantRoleInput')
export class GrantRoleInput {
  @Field(() => ID)
  @IsUUID()
  userId!: string;

  @Field(() => PlatformRoleEnum)
  role!: PlatformRole;
}

@InputType('RevokeRoleInput')
export class RevokeRoleInput {
  @Field(() => ID)
  @IsUUID()
  userId!: string;

  @Field(() => PlatformRoleEnum)
  role!: PlatformRole;
}

@InputType('DisableUserInput')
export class DisableUserInput {
  @Field(() => ID)
  @IsUUID()
  userId!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(500)
  reason?: string | null;
}

@InputType('EnableUserInput')
export class EnableUserInput {
  @Field(() => ID)
  @IsUUID()
  userId!: string;
}
