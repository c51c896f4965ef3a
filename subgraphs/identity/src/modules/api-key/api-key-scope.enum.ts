import { registerEnumType } from 'type-graphql';

/** The fixed list of scopes an API key can hold (values are what goes into the token's `scope`). */
export enum ApiKeyScope {
  READ_PUBLIC = 'read:public',
  INTROSPECTION = 'introspection',
  READ_CATALOG = 'read:catalog',
}

export const API_KEY_SCOPES: readonly string[] = Object.values(ApiKeyScope);

registerEnumType(ApiKeyScope, {
  name: 'ApiKeyScope',
  description: 'READ_PUBLIC = read:public, INTROSPECTION = introspection, READ_CATALOG = read:catalog.',
});
