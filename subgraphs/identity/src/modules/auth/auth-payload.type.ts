import { Field, ObjectType } from 'type-graphql';
import { User } from '../user/user.type.js';

@ObjectType('AuthPayload')
export class AuthPayload {
  @Field(() => String, { description: 'ES256 JWT (typ at+jwt), valid 10 minutes.' })
  accessToken!: string;

  @Field(() => String, { description: 'Opaque, one-time; exchange it with refreshSession.' })
  refreshToken!: string;

  @Field(() => Date)
  accessTokenExpiresAt!: Date;

  @Field(() => User)
  user!: User;

  @Field(() => Boolean, {
    description:
      'True for ADMIN/FINANCE users without two-factor: this session lacks those roles until 2FA is enrolled (then refresh).',
  })
  twoFactorEnrollmentRequired!: boolean;
}
