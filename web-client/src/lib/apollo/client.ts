import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { Kind, OperationTypeNode } from 'graphql';
import { from, switchMap } from 'rxjs';
import { REFRESH_COOKIE_HEADER, type SessionManager } from '../auth/session.js';

export type EdugraphClient = { client: ApolloClient; ws: WsClient };

function isUnauthenticated(error: unknown): boolean {
  if (ServerError.is(error)) return error.statusCode === 401;
  return (
    CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.['code'] === 'UNAUTHENTICATED')
  );
}

/**
 * Apollo Client over the gateway on this origin: queries and mutations over HTTP POST `/graphql`, subscriptions
 * over graphql-ws on the same path. Every request carries the in-memory access token (refreshed first when it is
 * about to expire) and opts into the refresh cookie; a request refused as UNAUTHENTICATED is retried once
 * after a refresh (a token revoked or expired in between).
 */
export function createEdugraphClient(
  session: SessionManager,
  origin = window.location.origin,
): EdugraphClient {
  const http = new HttpLink({
    uri: `${origin}/graphql`,
    credentials: 'same-origin',
    headers: { [REFRESH_COOKIE_HEADER]: '1', accept: 'application/graphql-response+json' },
  });
  const auth = new SetContextLink(async (previous) => {
    const token = await session.accessToken();
    return {
      headers: { ...previous['headers'], ...(token ? { authorization: `Bearer ${token}` } : {}) },
    };
  });
  const retryAfterRefresh = new ErrorLink(({ error, operation, forward }) => {
    if (!isUnauthenticated(error) || operation.getContext()['retriedAfterRefresh']) return;
    operation.setContext({ retriedAfterRefresh: true });
    return from(session.refresh()).pipe(
      switchMap((token) => {
        const headers = { ...(operation.getContext()['headers'] as Record<string, string> | undefined) };
        if (token) headers['authorization'] = `Bearer ${token}`;
        else delete headers['authorization'];
        operation.setContext({ headers });
        return forward(operation);
      }),
    );
  });
  const ws = createClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    lazy: true,
    retryAttempts: 5,
    connectionParams: async () => {
      const token = await session.accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return (
      definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION
    );
  };
  const link = ApolloLink.split(
    isSubscription,
    new GraphQLWsLink(ws),
    ApolloLink.from([retryAfterRefresh, auth, http]),
  );
  const client = new ApolloClient({
    link,
    cache: new InMemoryCache({
      typePolicies: {
        Query: { fields: { courses: relayStylePagination(['filter']) } },
      },
    }),
  });
  return { client, ws };
}
