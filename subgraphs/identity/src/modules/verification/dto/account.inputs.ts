import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType('ConfirmEmailVerificationInput')
export class ConfirmEmailVerificationInput {
  @Field(() => String)
  @MaxLength(16)
  code!: string;
}

@InputType('RequestPasswordResetInput')
export class RequestPasswordResetInput {
  @Field(() => String)
  @MaxLength(254)
  email!: string;
}

@InputType('ConfirmPasswordResetInput')
export class ConfirmPasswordResetInput {
  @Field(() => String)
  @MaxLength(254)
  email!: string;

  @Field(() => String)
  @MaxLength(16)
  code!: string;

  @Field(() => String)
  @MaxLength(512)
  newPassword!: string;
}

@InputType('ChangePasswordInput')
export class ChangePasswordInput {
  @Field(() => String)
  @MaxLength(512)
  currentPassword!: string;

  @Field(() => String)
  @MaxLength(512)
  newPassword!: string;
}
