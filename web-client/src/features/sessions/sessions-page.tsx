import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Alert, Button, Card, Page, Spinner } from '../../components/index.js';
import {
  MySessionsDocument,
  RevokeSessionDocument,
  SignOutOtherSessionsDocument,
  type MySessionsQuery,
} from '../../generated/graphql.js';
import { useSession } from '../../lib/auth/session-context.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { describeUserAgent, formatDateTime } from './format.js';

type SessionRow = MySessionsQuery['sessions'][number];

function SessionItem({
  session,
  onRevoke,
  busy,
}: {
  session: SessionRow;
  onRevoke: () => void;
  busy: boolean;
}) {
  const device = describeUserAgent(session.userAgent);
  return (
    <Card as="li" className="eg-session">
      <h2 className="eg-session__title">
        {device}
        {session.current ? <span className="eg-badge">This browser</span> : null}
      </h2>
      <dl className="eg-session__facts">
        <dt>Signed in</dt>
        <dd>{formatDateTime(session.createdAt)}</dd>
        <dt>Last active</dt>
        <dd>{formatDateTime(session.lastUsedAt)}</dd>
        <dt>Expires</dt>
        <dd>{formatDateTime(session.expiresAt)}</dd>
        {session.ipAddress ? (
          <>
            <dt>IP address</dt>
            <dd>{session.ipAddress}</dd>
          </>
        ) : null}
      </dl>
      {session.current ? null : (
        <Button
          variant="danger"
          onClick={onRevoke}
          busy={busy}
          aria-label={`Sign out ${device}, signed in ${formatDateTime(session.createdAt)}`}
        >
          Sign out this session
        </Button>
      )}
    </Card>
  );
}

/** The viewer's signed-in devices (identity's `sessions`), with revoke and "sign out everywhere else". */
export function SessionsPage() {
  const { signOut } = useSession();
  const { data, loading, error, refetch } = useQuery(MySessionsDocument, {
    fetchPolicy: 'cache-and-network',
  });
  const [revoke] = useMutation(RevokeSessionDocument);
  const [signOutOthers, others] = useMutation(SignOutOtherSessionsDocument);
  const [pending, setPending] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const revokeOne = async (id: string) => {
    setPending(id);
    setNotice(null);
    try {
      await revoke({ variables: { input: { sessionId: id } } });
      await refetch();
      setNotice({ tone: 'success', text: 'The session was signed out.' });
    } catch (failure) {
      setNotice({ tone: 'error', text: errorMessage(failure) });
    } finally {
      setPending(null);
    }
  };

  const revokeOthers = async () => {
    setNotice(null);
    try {
      const result = await signOutOthers();
      await refetch();
      const ended = result.data?.signOutEverywhere ?? 0;
      setNotice({ tone: 'success', text: `${ended} other session${ended === 1 ? '' : 's'} signed out.` });
    } catch (failure) {
      setNotice({ tone: 'error', text: errorMessage(failure) });
    }
  };

  const sessions = data?.sessions ?? [];
  return (
    <Page
      title="Sessions"
      heading="Where you are signed in"
      actions={
        <>
          <Button
            variant="secondary"
            onClick={() => void revokeOthers()}
            busy={others.loading}
            disabled={sessions.length < 2}
          >
            Sign out all other sessions
          </Button>
          <Button variant="secondary" onClick={() => void signOut()}>
            Sign out here
          </Button>
        </>
      }
    >
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      {error ? <Alert tone="error">{errorMessage(error)}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      <ul className="eg-list" aria-label="Sessions">
        {sessions.map((session) => (
          <SessionItem
            key={session.id}
            session={session}
            busy={pending === session.id}
            onRevoke={() => void revokeOne(session.id)}
          />
        ))}
      </ul>
    </Page>
  );
}
