import { useMutation } from '@apollo/client/react';
import { Alert, Button } from '../../components/index.js';
import {
  JoinCommunityDocument,
  LeaveCommunityDocument,
  type CommunitySummaryFragment,
} from '../../generated/graphql.js';

/** Join (or request to join) / leave / cancel a request, depending on the viewer's membership and the policy. */
export function JoinButton({ community }: { community: CommunitySummaryFragment }) {
  const [join, joining] = useMutation(JoinCommunityDocument);
  const [leave, leaving] = useMutation(LeaveCommunityDocument);
  const status = community.viewerMembership?.status;
  const error = joining.error ?? leaving.error;
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const onJoin = () =>
    void join({ variables: { input: { communityId: community.id, timeZone } } }).catch(() => undefined);
  const onLeave = () =>
    void leave({ variables: { input: { communityId: community.id } } }).catch(() => undefined);
  let control;
  if (status === 'ACTIVE') {
    control =
      community.viewerMembership?.role === 'OWNER' ? null : (
        <Button
          variant="secondary"
          busy={leaving.loading}
          onClick={onLeave}
          aria-label={`Leave ${community.name}`}
        >
          Leave
        </Button>
      );
  } else if (status === 'PENDING') {
    control = (
      <>
        <span role="status">Your request is waiting for approval.</span>{' '}
        <Button
          variant="link"
          busy={leaving.loading}
          onClick={onLeave}
          aria-label={`Cancel request to join ${community.name}`}
        >
          Cancel request
        </Button>
      </>
    );
  } else if (status === 'BANNED') {
    control = <span>You were banned from this community.</span>;
  } else if (community.joinPolicy === 'INVITE_ONLY' && status !== 'INVITED') {
    control = <span>Joining needs an invitation.</span>;
  } else {
    const label = community.joinPolicy === 'APPROVAL' && status !== 'INVITED' ? 'Request to join' : 'Join';
    control = (
      <Button busy={joining.loading} onClick={onJoin} aria-label={`${label} ${community.name}`}>
        {label}
      </Button>
    );
  }
  return (
    <div className="eg-community__join">
      {control}
      {error ? <Alert tone="error">{error.message}</Alert> : null}
    </div>
  );
}
