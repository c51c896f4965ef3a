import 'reflect-metadata';
import { buildFederatedSchema, type BuiltSubgraphSchema } from '@edugraph/kit';
import { ApiKeyResolver } from './modules/api-key/api-key.resolver.js';
import { AuthResolver } from './modules/auth/auth.resolver.js';
import { SessionResolver } from './modules/session/session.resolver.js';
import { TwoFactorResolver } from './modules/two-factor/two-factor.resolver.js';
import { userReference } from './modules/user/user.reference.js';
import { UserResolver } from './modules/user/user.resolver.js';
import { AccountResolver } from './modules/verification/account.resolver.js';

let built: Promise<BuiltSubgraphSchema> | null = null;

/** The identity subgraph schema (built once per process; also used by composition). */
export function buildIdentitySchema(): Promise<BuiltSubgraphSchema> {
  built ??= buildFederatedSchema({
    resolvers: [
      UserResolver,
      AuthResolver,
      SessionResolver,
      AccountResolver,
      TwoFactorResolver,
      ApiKeyResolver,
    ],
    referenceResolvers: { User: userReference },
  });
  return built;
}
