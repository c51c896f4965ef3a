import { registerEnumType } from 'type-graphql';
import { PLATFORM_ROLES, type PlatformRole } from '@edugraph/kit';

/** GraphQL enum mirroring the kit's platform roles. */
export const PlatformRoleEnum = Object.fromEntries(PLATFORM_ROLES.map((r) => [r, r])) as {
  [K in PlatformRole]: K;
};

registerEnumType(PlatformRoleEnum, {
  name: 'PlatformRole',
  description: 'Platform-wide roles; a user can hold several.',
});
