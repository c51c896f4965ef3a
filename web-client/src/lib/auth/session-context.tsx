import { useApolloClient, useQuery } from '@apollo/client/react';
import { createContext, use, useEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from 'react';
import {
  SignOutDocument,
  ViewerDocument,
  type PlatformRole,
  type SessionUserFragment,
} from '../../generated/graphql.js';
import type { SessionManager, SessionState } from './session.js';

export type Session = {
  manager: SessionManager;
  state: SessionState;
  /** The signed-in user (null while loading or signed out). */
  user: SessionUserFragment | null;
  roles: readonly PlatformRole[];
  hasRole: (...roles: PlatformRole[]) => boolean;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ manager, children }: { manager: SessionManager; children: ReactNode }) {
  const client = useApolloClient();
  const state = useSyncExternalStore(
    (listener) => manager.subscribe(listener),
    () => manager.getState(),
  );
  const signedIn = state.status === 'signedIn';
  const viewer = useQuery(ViewerDocument, { skip: !signedIn, fetchPolicy: 'cache-first' });
  const user = signedIn ? (viewer.data?.viewer ?? null) : null;

  const previous = useRef(state.status);
  useEffect(() => {
    const before = previous.current;
    previous.current = state.status;
    // Nothing cached for one person may be shown to the next: drop the cache and refetch what is on screen.
    // (Queries in flight are aborted by the reset: that rejection is expected, not an error.)
    if (before === 'signedIn' && state.status === 'signedOut') client.resetStore().catch(() => undefined);
    // Signed in: what is on screen may look different now (enrollments, prices for the viewer…).
    if (before === 'signedOut' && state.status === 'signedIn')
      client.refetchQueries({ include: 'active' }).catch(() => undefined);
  }, [client, state.status]);

  const session = useMemo<Session>(() => {
    const roles = user?.roles ?? [];
    return {
      manager,
      state,
      user,
      roles,
      hasRole: (...wanted) => wanted.some((role) => roles.includes(role)),
      signOut: () => manager.signOut(() => client.mutate({ mutation: SignOutDocument })),
    };
  }, [client, manager, state, user]);
  return <SessionContext value={session}>{children}</SessionContext>;
}

export function useSession(): Session {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider');
  return session;
}
