import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Spinner, TextField } from '../../components/index.js';
import {
  ApproveCommunityMemberDocument,
  CommunityInviteLinksDocument,
  CommunityMembersByStatusDocument,
  CommunitySettingsFormDocument,
  CreateCommunityInviteLinkDocument,
  RejectCommunityMemberDocument,
  RevokeCommunityInviteLinkDocument,
  UnbanCommunityMemberDocument,
  UpdateCommunityDocument,
  type CommunityPermission,
  type InviteLinkFragment,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { CommunitySettingsForm } from './community-settings-form.js';
import { can, formatDateTime } from './format.js';

/** Permissions that open the Manage tab (each section needs its own). */
export const MANAGE_PERMISSIONS: readonly CommunityPermission[] = [
  'COMMUNITY_UPDATE',
  'MEMBER_APPROVE',
  'MEMBER_INVITE',
  'MEMBER_BAN',
];

export const canManage = (permissions: readonly CommunityPermission[]) =>
  MANAGE_PERMISSIONS.some((p) => permissions.includes(p));

/** The invite URL the web app opens for a token (the slug is for people; the token alone decides). */
export const inviteUrl = (slug: string, token: string) =>
  `${window.location.origin}/communities/${slug}/invite/${encodeURIComponent(token)}`;

/** The owner's and admins' (and moderators') tab: settings, join requests, invite links and bans. */
export function ManageTab({
  communityId,
  slug,
  permissions,
}: {
  communityId: string;
  slug: string;
  permissions: readonly CommunityPermission[];
}) {
  return (
    <div className="eg-manage">
      {can(permissions, 'MEMBER_APPROVE') ? <JoinRequests communityId={communityId} /> : null}
      {can(permissions, 'MEMBER_INVITE') ? <InviteLinks communityId={communityId} slug={slug} /> : null}
      {can(permissions, 'COMMUNITY_UPDATE') ? <Settings communityId={communityId} /> : null}
      {can(permissions, 'MEMBER_BAN') ? <BannedMembers communityId={communityId} /> : null}
    </div>
  );
}

function Settings({ communityId }: { communityId: string }) {
  const navigate = useNavigate();
  const [saved, setSaved] = useState(false);
  const { data, loading, error } = useQuery(CommunitySettingsFormDocument, { variables: { communityId } });
  const [update] = useMutation(UpdateCommunityDocument);
  const community = data?.community;
  return (
    <section aria-labelledby={`${communityId}-settings`}>
      <h2 id={`${communityId}-settings`}>Settings</h2>
      {error ? <Alert tone="error">The settings could not be loaded: {error.message}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {saved ? <Alert tone="success">Settings saved.</Alert> : null}
      {community ? (
        <CommunitySettingsForm
          label="Community settings"
          submitLabel="Save settings"
          initial={{
            name: community.name,
            slug: community.slug,
            description: community.description,
            visibility: community.visibility,
            joinPolicy: community.joinPolicy,
            postingPolicy: community.postingPolicy,
            categories: community.categories,
          }}
          onSubmit={async (values) => {
            setSaved(false);
            const result = await update({ variables: { input: { communityId, ...values } } });
            setSaved(true);
            const slug = result.data?.updateCommunity.community.slug;
            if (slug && slug !== community.slug) await navigate(`/communities/${slug}/manage`);
          }}
        />
      ) : null}
    </section>
  );
}

function JoinRequests({ communityId }: { communityId: string }) {
  const { data, loading, error } = useQuery(CommunityMembersByStatusDocument, {
    variables: { communityId, status: 'PENDING' },
    fetchPolicy: 'cache-and-network',
  });
  const [approve, approving] = useMutation(ApproveCommunityMemberDocument);
  const [reject, rejecting] = useMutation(RejectCommunityMemberDocument);
  const [problem, setProblem] = useState<string | null>(null);
  // approved or rejected requests change status in the cache and drop out here
  const requests = (data?.community?.members.edges ?? []).filter((e) => e.node.status === 'PENDING');
  const act = (run: () => Promise<unknown>) => {
    setProblem(null);
    run().catch((e: unknown) => setProblem(errorMessage(e)));
  };
  return (
    <section aria-labelledby={`${communityId}-requests`}>
      <h2 id={`${communityId}-requests`}>Join requests</h2>
      {error ? <Alert tone="error">The requests could not be loaded: {error.message}</Alert> : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {data && requests.length === 0 ? <p>No requests are waiting.</p> : null}
      {requests.length ? (
        <ul className="eg-members__list" aria-label="Join requests">
          {requests.map(({ node }) => {
            const input = { communityId, userId: node.user.id };
            return (
              <li key={node.id}>
                <strong>{node.user.displayName}</strong>
                {node.requestedAt ? (
                  <>
                    {' '}
                    · asked <time dateTime={node.requestedAt}>{formatDateTime(node.requestedAt)}</time>
                  </>
                ) : null}{' '}
                <Button
                  busy={approving.loading}
                  aria-label={`Approve ${node.user.displayName}`}
                  onClick={() => act(() => approve({ variables: { input } }))}
                >
                  Approve
                </Button>{' '}
                <Button
                  variant="secondary"
                  busy={rejecting.loading}
                  aria-label={`Reject ${node.user.displayName}`}
                  onClick={() => act(() => reject({ variables: { input } }))}
                >
                  Reject
                </Button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

const EXPIRIES = [
  { hours: 24, label: '1 day' },
  { hours: 168, label: '7 days' },
  { hours: 720, label: '30 days' },
];

const STATE_LABELS: Record<InviteLinkFragment['state'], string> = {
  ACTIVE: 'Active',
  EXPIRED: 'Expired',
  REVOKED: 'Revoked',
  EXHAUSTED: 'Used up',
};

function InviteLinks({ communityId, slug }: { communityId: string; slug: string }) {
  const expiryId = useId();
  const [hours, setHours] = useState(168);
  const [maxUses, setMaxUses] = useState('');
  const [maxUsesError, setMaxUsesError] = useState<string | null>(null);
  const [created, setCreated] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const variables = { communityId };
  const { data, loading, error } = useQuery(CommunityInviteLinksDocument, { variables });
  const [create, creating] = useMutation(CreateCommunityInviteLinkDocument, {
    update: (cache, { data: result }) => {
      const invite = result?.createCommunityInviteLink.invite;
      if (!invite) return;
      cache.updateQuery({ query: CommunityInviteLinksDocument, variables }, (prev) =>
        prev?.community
          ? {
              community: {
                ...prev.community,
                inviteLinks: {
                  ...prev.community.inviteLinks,
                  edges: [
                    { __typename: 'CommunityInviteLinkEdge' as const, cursor: invite.id, node: invite },
                    ...prev.community.inviteLinks.edges.filter((e) => e.node.id !== invite.id),
                  ],
                },
              },
            }
          : prev,
      );
    },
  });
  const [revoke, revoking] = useMutation(RevokeCommunityInviteLinkDocument);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    setCopied(false);
    const uses = maxUses.trim() ? Number(maxUses) : null;
    if (uses !== null && (!Number.isInteger(uses) || uses < 1 || uses > 10_000)) {
      setMaxUsesError('Enter a whole number from 1 to 10,000, or leave it empty for no limit.');
      return;
    }
    setMaxUsesError(null);
    try {
      const result = await create({
        variables: { input: { communityId, expiresInHours: hours, maxUses: uses } },
      });
      const token = result.data?.createCommunityInviteLink.token;
      if (token) setCreated(inviteUrl(slug, token));
    } catch (e) {
      setProblem(errorMessage(e));
    }
  };

  const links = data?.community?.inviteLinks.edges ?? [];
  return (
    <section aria-labelledby={`${communityId}-invites`}>
      <h2 id={`${communityId}-invites`}>Invite links</h2>
      <form
        className="eg-form"
        aria-label="Create an invite link"
        onSubmit={(e) => void submit(e)}
        noValidate
      >
        <div className="eg-field">
          <label htmlFor={expiryId} className="eg-field__label">
            Expires after
          </label>
          <select
            id={expiryId}
            className="eg-field__input"
            value={hours}
            onChange={(e) => setHours(Number(e.target.value))}
          >
            {EXPIRIES.map((e) => (
              <option key={e.hours} value={e.hours}>
                {e.label}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label="Maximum uses"
          hint="Leave empty for no limit."
          inputMode="numeric"
          value={maxUses}
          error={maxUsesError}
          onChange={(e) => setMaxUses(e.target.value)}
        />
        <div className="eg-form__actions">
          <Button type="submit" busy={creating.loading}>
            Create invite link
          </Button>
        </div>
      </form>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {created ? (
        <div className="eg-invite__created">
          <TextField
            label="Invite link to share"
            hint="Shown only now: copy it and share it with the people you invite."
            readOnly
            value={created}
            onFocus={(e) => e.target.select()}
          />
          <Button
            variant="secondary"
            onClick={() =>
              void navigator.clipboard
                ?.writeText(created)
                .then(() => setCopied(true))
                .catch(() => setCopied(false))
            }
          >
            Copy link
          </Button>
          {copied ? <span role="status"> Copied.</span> : null}
        </div>
      ) : null}
      {error ? <Alert tone="error">The invite links could not be loaded: {error.message}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {data && links.length === 0 ? <p>No invite links yet.</p> : null}
      {links.length ? (
        <table className="eg-table">
          <caption>Invite links</caption>
          <thead>
            <tr>
              <th scope="col">Link</th>
              <th scope="col">State</th>
              <th scope="col">Uses</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="eg-community-sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {links.map(({ node }) => (
              <tr key={node.id}>
                <th scope="row">{node.tokenHint}…</th>
                <td>{STATE_LABELS[node.state]}</td>
                <td>
                  {node.uses}
                  {node.maxUses !== null && node.maxUses !== undefined ? ` of ${node.maxUses}` : ''}
                </td>
                <td>
                  <time dateTime={node.expiresAt}>{formatDateTime(node.expiresAt)}</time>
                </td>
                <td>
                  {node.state === 'ACTIVE' ? (
                    <Button
                      variant="secondary"
                      busy={revoking.loading}
                      aria-label={`Revoke link ${node.tokenHint}`}
                      onClick={() =>
                        void revoke({ variables: { input: { inviteId: node.id } } }).catch((e: unknown) =>
                          setProblem(errorMessage(e)),
                        )
                      }
                    >
                      Revoke
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function BannedMembers({ communityId }: { communityId: string }) {
  const { data, error } = useQuery(CommunityMembersByStatusDocument, {
    variables: { communityId, status: 'BANNED' },
    fetchPolicy: 'cache-and-network',
  });
  const [unban, unbanning] = useMutation(UnbanCommunityMemberDocument);
  const [problem, setProblem] = useState<string | null>(null);
  const banned = (data?.community?.members.edges ?? []).filter((e) => e.node.status === 'BANNED');
  return (
    <section aria-labelledby={`${communityId}-banned`}>
      <h2 id={`${communityId}-banned`}>Banned members</h2>
      {error ? <Alert tone="error">The banned members could not be loaded: {error.message}</Alert> : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {data && banned.length === 0 ? <p>Nobody is banned.</p> : null}
      {banned.length ? (
        <ul className="eg-members__list" aria-label="Banned members">
          {banned.map(({ node }) => (
            <li key={node.id}>
              <strong>{node.user.displayName}</strong>
              {node.banReason ? ` · ${node.banReason}` : ''}{' '}
              <Button
                variant="secondary"
                busy={unbanning.loading}
                aria-label={`Unban ${node.user.displayName}`}
                onClick={() =>
                  void unban({ variables: { input: { communityId, userId: node.user.id } } }).catch(
                    (e: unknown) => setProblem(errorMessage(e)),
                  )
                }
              >
                Unban
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
