import { useApolloClient } from '@apollo/client/react';
import { useCallback } from 'react';
import { ViewerDocument, type SessionTokensFragment } from '../../generated/graphql.js';
import { useSession } from '../../lib/auth/session-context.js';

/** After signIn/signUp: keep the access token in memory and cache the viewer (the cookie is already set). */
export function useEstablishSession() {
  const client = useApolloClient();
  const { manager } = useSession();
  return useCallback(
    (payload: SessionTokensFragment) => {
      client.writeQuery({ query: ViewerDocument, data: { viewer: payload.user } });
      manager.establish(payload);
    },
    [client, manager],
  );
}
