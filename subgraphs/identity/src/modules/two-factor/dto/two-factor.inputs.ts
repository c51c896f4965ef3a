import { IsUUID, MaxLength } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';

@InputType('ConfirmTwoFactorEnrollmentInput')
export class ConfirmTwoFactorEnrollmentInput {
  @Field(() => String)
  @MaxLength(16)
  code!: string;
}

@InputType('DisableTwoFactorInput')
export class DisableTwoFactorInput {
  @Field(() => String)
  @MaxLength(16)
  code!: string;
}

@ObjectType('TwoFactorEnrollment')
export class TwoFactorEnrollment {
  @Field(() => String, { description: 'Base32 secret, for manual entry.' })
  secret!: string;

  @Field(() => String, { description: 'otpauth:// URI for a QR code.' })
  otpauthUri!: string;
}

@InputType('RegenerateRecoveryCodesInput')
export class RegenerateRecoveryCodesInput {
  @Field(() => String, { description: 'A current authenticator code.' })
  @MaxLength(16)
  code!: string;
}

@InputType('ResetTwoFactorInput')
export class ResetTwoFactorInput {
  @Field(() => ID)
  @IsUUID()
  userId!: string;
}
