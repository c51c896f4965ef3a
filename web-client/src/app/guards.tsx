import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Page, Spinner } from '../components/index.js';
import { needsTwoFactorEnrollment } from '../features/security/two-factor.js';
import type { PlatformRole } from '../generated/graphql.js';
import { useSession } from '../lib/auth/session-context.js';

/** Signed-in users only: others go to sign-in and come back afterwards. */
export function RequireAuth({ children, roles }: { children: ReactNode; roles?: PlatformRole[] }) {
  const { state, user, hasRole } = useSession();
  const location = useLocation();
  if (state.status === 'loading' || (state.status === 'signedIn' && !user)) return <Spinner />;
  if (state.status === 'signedOut') {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return <Navigate to={`/sign-in?next=${next}`} replace />;
  }
  if (roles && !hasRole(...roles))
    return (
      <Page title="Not available">
        <p>This page is for {roles.map((r) => r.toLowerCase()).join(' or ')} accounts.</p>
      </Page>
    );
  return children;
}

/**
 * Sign-in and sign-up: a signed-in user goes on to where they were heading — or, an ADMIN/FINANCE user without
 * two-factor (a session without those roles until they enrol), to the security page first. The sign-in page
 * navigates to the same place, so the two never race to different pages.
 */
export function RequireSignedOut({ children }: { children: ReactNode }) {
  const { state, user } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <Spinner />;
  if (state.status === 'signedIn' && needsTwoFactorEnrollment(user))
    return <Navigate to="/account/security" replace state={{ enrollmentRequired: true }} />;
  if (state.status === 'signedIn') return <Navigate to={safeNext(location.search)} replace />;
  return children;
}

/** Only same-site paths: `?next=https://evil.test` must not become an open redirect. */
export function safeNext(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
