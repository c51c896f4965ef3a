import { bearerToken, UnauthenticatedError, type TokenVerifier } from '@edugraph/kit';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { ApiKeyExchange } from './api-key-exchange.js';
import { ANONYMOUS, type Principal } from './principal.js';

export type Authenticator = (headers: {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}) => Promise<Principal>;

/** Authentication failures are 401 with `extensions.code = UNAUTHENTICATED`. */
function unauthenticated(error: unknown): never {
  if (error instanceof GraphQLError && error.extensions['code'] === 'UNAUTHENTICATED') {
    throw new GraphQLError(error.message, {
      extensions: {
        code: 'UNAUTHENTICATED',
        http: {
          status: 401,
          headers: new HeaderMap([['www-authenticate', 'Bearer realm="edugraph", error="invalid_token"']]),
        },
      },
    });
  }
  throw error;
}

/**
 * `Authorization: Bearer <ES256 access token>` (verified against identity's JWKS) or
 * `x-api-key: <key>` (exchanged at identity for an access token); neither → anonymous.
 */
export function createAuthenticator(options: {
  verify: TokenVerifier;
  apiKeys: ApiKeyExchange;
}): Authenticator {
  return async ({ authorization, apiKey }) => {
    try {
      if (authorization && apiKey)
        throw new UnauthenticatedError(
          'Send either an Authorization header or an x-api-key header, not both.',
        );
      if (apiKey !== undefined) {
        const grant = await options.apiKeys.exchange(apiKey.trim());
        const viewer = await options.verify(grant.accessToken);
        return { kind: 'apiKey', viewer, accessToken: grant.accessToken, apiKeyId: grant.apiKeyId };
      }
      const token = bearerToken(authorization);
      if (!token) return ANONYMOUS;
      const viewer = await options.verify(token);
      if (viewer.apiKeyId) return { kind: 'apiKey', viewer, accessToken: token, apiKeyId: viewer.apiKeyId };
      return { kind: 'user', viewer, accessToken: token };
    } catch (error) {
      return unauthenticated(error);
    }
  };
}
