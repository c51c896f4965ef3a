import type { Reference, StoreObject } from '@apollo/client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Alert, Button, TextField } from '../../components/index.js';
import {
  BanCommunityMemberDocument,
  MuteCommunityMemberDocument,
  RemoveCommunityMemberDocument,
  SetCommunityMemberRoleDocument,
  TransferCommunityOwnershipDocument,
  type CommunityMemberRole,
  type CommunityPermission,
} from '../../generated/graphql.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { ConfirmAction } from './confirm-action.js';
import { can, formatDateTime, roleLabel } from './format.js';
import { MuteDurationSelect } from './mute-duration-select.js';

type MembersField = { edges: StoreObject[] };

/** OWNER > ADMIN > MODERATOR > MEMBER; a platform admin acting in a community ranks between owner and admin. */
const RANK: Record<CommunityMemberRole, number> = { OWNER: 4, ADMIN: 3, MODERATOR: 2, MEMBER: 1 };
export const PLATFORM_ADMIN_RANK = 3.5;
export const rankOf = (role: CommunityMemberRole | null | undefined) => (role ? RANK[role] : 0);

const MEMBER_ACTION_PERMISSIONS: readonly CommunityPermission[] = [
  'MEMBER_ROLE_SET',
  'MEMBER_MUTE',
  'MEMBER_BAN',
  'MEMBER_REMOVE',
  'OWNERSHIP_TRANSFER',
];

/**
 * Whether the viewer gets actions on a member: a permission for one of them, and a rank above the member's
 * (so never on the owner, nor on themselves).
 */
export function offersMemberActions(
  permissions: readonly CommunityPermission[],
  viewerRank: number,
  member: { role: CommunityMemberRole; userId: string },
  viewerId: string | null | undefined,
): boolean {
  if (!viewerId || member.userId === viewerId || member.role === 'OWNER') return false;
  if (viewerRank <= rankOf(member.role)) return false;
  return MEMBER_ACTION_PERMISSIONS.some((p) => permissions.includes(p));
}

/**
 * Role, mute, ban, remove and — for the owner — handing over the ownership, for one member (each behind its
 * permission; ban, remove and the transfer confirmed).
 */
export function MemberActions({
  communityId,
  member,
  permissions,
  viewerRank,
}: {
  communityId: string;
  member: { id: string; role: CommunityMemberRole; user: { id: string; displayName: string } };
  permissions: readonly CommunityPermission[];
  viewerRank: number;
}) {
  const client = useApolloClient();
  const roleId = useId();
  const muteId = useId();
  const name = member.user.displayName;
  const input = { communityId, userId: member.user.id };
  const roles = (['ADMIN', 'MODERATOR', 'MEMBER'] as const).filter((r) => RANK[r] < viewerRank);
  const [role, setRole] = useState<CommunityMemberRole>(member.role);
  const [muteHours, setMuteHours] = useState(24);
  const [mutedUntil, setMutedUntil] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [setMemberRole, settingRole] = useMutation(SetCommunityMemberRoleDocument);
  const [mute, muting] = useMutation(MuteCommunityMemberDocument);
  // a banned or removed member leaves the community's member lists in the cache
  const leaves = () => {
    client.cache.modify<{ members: MembersField }>({
      id: client.cache.identify({ __typename: 'Community', id: communityId }),
      fields: {
        members: (existing, { readField, isReference }) =>
          isReference(existing)
            ? existing
            : {
                ...existing,
                edges: existing.edges.filter(
                  (edge) => readField<string>('id', readField<Reference>('node', edge)) !== member.id,
                ),
              },
      },
    });
  };
  const [ban, banning] = useMutation(BanCommunityMemberDocument);
  const [remove, removing] = useMutation(RemoveCommunityMemberDocument);
  // everyone's role may have changed: the page's header, tabs and member list ask again
  const [transfer, transferring] = useMutation(TransferCommunityOwnershipDocument, {
    refetchQueries: ['CommunityHome', 'CommunityMembers'],
  });

  const run = async (action: () => Promise<unknown>, done: string) => {
    setProblem(null);
    setNotice(null);
    try {
      await action();
      setNotice(done);
    } catch (e) {
      setProblem(errorMessage(e));
      throw e;
    }
  };

  return (
    <details className="eg-member-actions">
      <summary>Manage {name}</summary>
      {can(permissions, 'MEMBER_ROLE_SET') && roles.length ? (
        <div className="eg-member-actions__row">
          <label htmlFor={roleId} className="eg-field__label">
            Role of {name}
          </label>
          <select
            id={roleId}
            className="eg-field__input"
            value={role}
            onChange={(e) => setRole(e.target.value as CommunityMemberRole)}
          >
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>{' '}
          <Button
            variant="secondary"
            busy={settingRole.loading}
            disabled={role === member.role}
            onClick={() =>
              void run(
                () => setMemberRole({ variables: { input: { ...input, role } } }),
                `${name} is now ${roleLabel(role)}.`,
              ).catch(() => undefined)
            }
          >
            Change role
          </Button>
        </div>
      ) : null}
      {can(permissions, 'MEMBER_MUTE') ? (
        <div className="eg-member-actions__row">
          <label htmlFor={muteId} className="eg-field__label">
            Mute {name} for
          </label>
          <MuteDurationSelect id={muteId} hours={muteHours} onChange={setMuteHours} />{' '}
          <Button
            variant="secondary"
            busy={muting.loading}
            onClick={() => {
              const until = new Date(Date.now() + muteHours * 3_600_000).toISOString();
              void run(
                async () => {
                  await mute({ variables: { input: { ...input, until } } });
                  setMutedUntil(until);
                },
                `${name} is muted until ${formatDateTime(until)}.`,
              ).catch(() => undefined);
            }}
          >
            Mute
          </Button>
          {mutedUntil ? (
            <>
              {' '}
              <Button
                variant="link"
                busy={muting.loading}
                onClick={() =>
                  void run(async () => {
                    await mute({ variables: { input: { ...input, until: null } } });
                    setMutedUntil(null);
                  }, `${name} may post again.`).catch(() => undefined)
                }
              >
                Unmute
              </Button>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="eg-member-actions__row">
        {can(permissions, 'MEMBER_REMOVE') ? (
          <ConfirmAction
            label={`Remove ${name}`}
            question={`Remove ${name} from the community? They can join again.`}
            confirmLabel={`Yes, remove ${name}`}
            busy={removing.loading}
            onConfirm={() => run(() => remove({ variables: { input } }).then(leaves), `${name} was removed.`)}
          />
        ) : null}{' '}
        {can(permissions, 'MEMBER_BAN') ? (
          <ConfirmAction
            label={`Ban ${name}`}
            question={`Ban ${name}? They leave and cannot join again, by request or invite.`}
            confirmLabel={`Yes, ban ${name}`}
            busy={banning.loading}
            onConfirm={() =>
              run(
                () => ban({ variables: { input: { ...input, reason: reason.trim() || null } } }).then(leaves),
                `${name} was banned.`,
              )
            }
          >
            <TextField
              label="Reason (optional)"
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </ConfirmAction>
        ) : null}
      </div>
      {can(permissions, 'OWNERSHIP_TRANSFER') ? (
        <div className="eg-member-actions__row">
          <ConfirmAction
            label={`Make ${name} the owner`}
            question={`Hand the community to ${name}? You become an admin, and only they can hand it back.`}
            confirmLabel={`Yes, make ${name} the owner`}
            busy={transferring.loading}
            onConfirm={() => run(() => transfer({ variables: { input } }), `${name} is now the owner.`)}
          />
        </div>
      ) : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {notice ? <Alert tone="success">{notice}</Alert> : null}
    </details>
  );
}
