import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { SetContextLink } from '@apollo/client/link/context';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, relayStylePagination } from '@apollo/client/utilities';
import {
  createPersistedQueryManifestVerificationLink,
  generatePersistedQueryIdsFromManifest,
  type PersistedQueryManifestForVerification,
} from '@apollo/persisted-query-lists';
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

/** The trusted-documents manifest written by `npm run codegen` (its own chunk, loaded when the client is created). */
export const loadPersistedDocuments = async (): Promise<PersistedQueryManifestForVerification> =>
  (await import('../../generated/persisted-documents.json')).default as PersistedQueryManifestForVerification;

/**
 * Trusted documents (README, "Trusted documents"): every operation goes out as its id from the manifest
 * (`extensions.persistedQuery.sha256Hash`, no document text over HTTP; over graphql-ws the text travels too, and
 * the gateway checks both). The id is authoritative: an unknown one is an error, never retried with the text. In
 * development a mismatch between the document the app sends and the manifest's body is logged (run codegen).
 */
export function persistedDocumentsLink(
  loadManifest: () => Promise<PersistedQueryManifestForVerification> = loadPersistedDocuments,
  verify = import.meta.env.DEV,
): ApolloLink {
  const manifest = loadManifest();
  const persisted = new PersistedQueryLink({
    ...generatePersistedQueryIdsFromManifest({ loadManifest: () => manifest }),
    retry: () => false,
  });
  if (!verify) return persisted;
  const verification = createPersistedQueryManifestVerificationLink({
    loadManifest: () => manifest,
    onVerificationFailed: ({ reason, operation }) =>
      console.error(
        `Operation ${operation.operationName ?? '(anonymous)'} is not the one in persisted-documents.json (${reason}): run npm run codegen.`,
      ),
  });
  return ApolloLink.from([verification as unknown as ApolloLink, persisted]);
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
  const link = ApolloLink.from([
    persistedDocumentsLink(),
    ApolloLink.split(isSubscription, new GraphQLWsLink(ws), ApolloLink.from([retryAfterRefresh, auth, http])),
  ]);
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
