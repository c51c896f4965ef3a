import { useMutation, useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, Button, Page, Spinner } from '../../components/index.js';
import {
  CommunityInvitePreviewDocument,
  JoinCommunityWithInviteDocument,
  type CommunityInviteState,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { formatDateTime } from './format.js';
import { JoinButton } from './join-button.js';

const UNUSABLE: Record<Exclude<CommunityInviteState, 'ACTIVE'>, string> = {
  EXPIRED: 'This invite link has expired.',
  REVOKED: 'This invite link was revoked.',
  EXHAUSTED: 'This invite link has been used as many times as it allows.',
};

/**
 * An invite link (`/communities/:slug/invite/:token`, signed-in users; the route sends others to sign in and
 * back): what it leads to, even a private community, and a button that joins through it. A link that no
 * longer works still lets people ask to join where the community takes requests.
 */
export function InvitePage() {
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);
  const { data, loading, error } = useQuery(CommunityInvitePreviewDocument, {
    variables: { token },
    fetchPolicy: 'network-only',
  });
  const [join, joining] = useMutation(JoinCommunityWithInviteDocument);
  if (loading && !data) return <Spinner />;
  if (error)
    return (
      <Page title="Invitation">
        <Alert tone="error">The invitation could not be loaded: {error.message}</Alert>
      </Page>
    );
  const preview = data?.communityInvite;
  if (!preview)
    return (
      <Page title="Invitation not found">
        <p>This invite link is not valid. Ask the person who sent it for a new one.</p>
      </Page>
    );
  const { community, state } = preview;
  const status = community.viewerMembership?.status;
  const onJoin = async () => {
    setProblem(null);
    try {
      const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const result = await join({ variables: { input: { token, timeZone } } });
      const slug = result.data?.joinCommunityWithInvite.community?.slug ?? community.slug;
      await navigate(`/communities/${slug}`);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };
  return (
    <Page title={`Invitation to ${community.name}`} heading={`You are invited to ${community.name}`}>
      <p>{community.description}</p>
      <p className="eg-community__meta">
        {community.memberCount === 1 ? '1 member' : `${community.memberCount} members`} ·{' '}
        {community.visibility === 'PUBLIC' ? 'Public' : 'Private'}
      </p>
      {status === 'ACTIVE' ? (
        <p>
          You are already a member. <Link to={`/communities/${community.slug}`}>Go to {community.name}</Link>
        </p>
      ) : status === 'BANNED' ? (
        <p>You were banned from this community.</p>
      ) : state === 'ACTIVE' ? (
        <>
          <p>
            The link works until <time dateTime={preview.expiresAt}>{formatDateTime(preview.expiresAt)}</time>
            .
          </p>
          <Button busy={joining.loading} onClick={() => void onJoin()}>
            Join {community.name}
          </Button>
        </>
      ) : (
        <>
          <p>{UNUSABLE[state]}</p>
          {community.joinPolicy !== 'INVITE_ONLY' || status === 'PENDING' ? (
            <JoinButton community={community} />
          ) : (
            <p>Ask the person who sent it for a new one.</p>
          )}
        </>
      )}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
    </Page>
  );
}
