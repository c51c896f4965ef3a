import { Authorized, Extensions } from 'type-graphql';
import type { PlatformRole } from './viewer.js';

/** The key under which every root field records who may call it. */
export const ACCESS_EXTENSION = 'access';

export type AccessRule =
  { kind: 'public' } | { kind: 'authenticated' } | { kind: 'roles'; roles: PlatformRole[] };

function compose(
  ...decorators: (MethodDecorator & PropertyDecorator)[]
): MethodDecorator & PropertyDecorator {
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    for (const decorator of decorators)
      (decorator as MethodDecorator)(target, key, descriptor as PropertyDescriptor);
  };
}

/** Anyone may call this field, signed in or not. */
export function Public(): MethodDecorator & PropertyDecorator {
  return Extensions({ [ACCESS_EXTENSION]: { kind: 'public' } satisfies AccessRule });
}

/** Any signed-in principal may call this field (object-level checks still apply in services). */
export function Authenticated(): MethodDecorator & PropertyDecorator {
  return compose(
    Authorized(),
    Extensions({ [ACCESS_EXTENSION]: { kind: 'authenticated' } satisfies AccessRule }),
  );
}

/** Only principals holding at least one of these platform roles may call this field. */
export function Roles(...roles: [PlatformRole, ...PlatformRole[]]): MethodDecorator & PropertyDecorator {
  return compose(
    Authorized(...roles),
    Extensions({ [ACCESS_EXTENSION]: { kind: 'roles', roles } satisfies AccessRule }),
  );
}
