import type { Viewer } from '@edugraph/kit';

/** Who is calling the gateway, after the edge verified the credentials. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; viewer: Viewer; accessToken: string }
  | { kind: 'apiKey'; viewer: Viewer; accessToken: string; apiKeyId: string };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The scope an API key needs to introspect the production schema. */
export const INTROSPECTION_SCOPE = 'introspection';

export function canIntrospect(principal: Principal, production: boolean): boolean {
  if (!production) return true;
  if (principal.kind === 'user') return principal.viewer.roles.includes('ADMIN');
  if (principal.kind === 'apiKey') return principal.viewer.scopes.includes(INTROSPECTION_SCOPE);
  return false;
}
