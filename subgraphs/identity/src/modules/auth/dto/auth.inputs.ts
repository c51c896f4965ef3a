import { MaxLength } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';

@InputType('SignUpInput')
export class SignUpInput {
  @Field(() => String)
  @MaxLength(254)
  email!: string;

  @Field(() => String, { description: '8–128 characters; common passwords are refused.' })
  @MaxLength(512)
  password!: string;

  @Field(() => String)
  @MaxLength(200)
  displayName!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; users must be at least 16.' })
  @MaxLength(10)
  dateOfBirth?: string | null;
}

@InputType('SignInInput')
export class SignInInput {
  @Field(() => String)
  @MaxLength(254)
  email!: string;

  @Field(() => String)
  @MaxLength(512)
  password!: string;

  @Field(() => String, { nullable: true, description: 'Authenticator code when two-factor is enabled.' })
  @MaxLength(16)
  totpCode?: string | null;
}

@InputType('RefreshSessionInput')
export class RefreshSessionInput {
  @Field(() => String)
  @MaxLength(200)
  refreshToken!: string;
}

export enum SignOutScope {
  ALL = 'ALL',
  ALL_OTHERS = 'ALL_OTHERS',
}

registerEnumType(SignOutScope, {
  name: 'SignOutScope',
  description: 'ALL ends every session including this one; ALL_OTHERS keeps the current one.',
});

@InputType('SignOutEverywhereInput')
export class SignOutEverywhereInput {
  @Field(() => SignOutScope)
  scope!: SignOutScope;
}
