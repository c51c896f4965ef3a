import { useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Alert, Button, Spinner } from '../../components/index.js';
import {
  CommunityLeaderboardDocument,
  CommunityMembersDocument,
  type CommunityMemberRole,
  type CommunityPermission,
  type LeaderboardMetric,
  type LeaderboardPeriod,
} from '../../generated/graphql.js';
import { useSession } from '../../lib/auth/session-context.js';
import { errorMessage } from '../../lib/graphql-errors.js';
import { useStartConversation } from '../chat/use-start-conversation.js';
import { formatDateTime, roleLabel } from './format.js';
import { MemberActions, offersMemberActions, PLATFORM_ADMIN_RANK, rankOf } from './member-actions.js';

const PERIODS: { value: LeaderboardPeriod; label: string }[] = [
  { value: 'LAST_7_DAYS', label: 'Last 7 days' },
  { value: 'LAST_30_DAYS', label: 'Last 30 days' },
  { value: 'ALL_TIME', label: 'All time' },
];
const METRICS: { value: LeaderboardMetric; label: string }[] = [
  { value: 'POINTS', label: 'Points' },
  { value: 'STREAK', label: 'Streak' },
  { value: 'ATTENDANCE', label: 'Attendance' },
];

export function LeaderboardTab({ communityId }: { communityId: string }) {
  const periodId = useId();
  const metricId = useId();
  const [period, setPeriod] = useState<LeaderboardPeriod>('LAST_30_DAYS');
  const [metric, setMetric] = useState<LeaderboardMetric>('POINTS');
  const { data, loading, error } = useQuery(CommunityLeaderboardDocument, {
    variables: { communityId, period, metric },
  });
  const entries = data?.community?.leaderboard.entries ?? [];
  const metricLabel = METRICS.find((m) => m.value === metric)!.label;
  return (
    <div className="eg-leaderboard">
      <div className="eg-leaderboard__filters">
        <label htmlFor={periodId} className="eg-field__label">
          Period
        </label>
        <select
          id={periodId}
          className="eg-field__input"
          value={period}
          onChange={(e) => setPeriod(e.target.value as LeaderboardPeriod)}
        >
          {PERIODS.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
        <label htmlFor={metricId} className="eg-field__label">
          Ranked by
        </label>
        <select
          id={metricId}
          className="eg-field__input"
          value={metric}
          onChange={(e) => setMetric(e.target.value as LeaderboardMetric)}
        >
          {METRICS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </div>
      {error ? <Alert tone="error">The leaderboard could not be loaded: {error.message}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      {data && entries.length === 0 ? <p>Nobody has scored in this period yet.</p> : null}
      {entries.length ? (
        <table className="eg-table">
          <caption>
            Leaderboard — {PERIODS.find((p) => p.value === period)!.label}, {metricLabel.toLowerCase()}
          </caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Member</th>
              <th scope="col">{metricLabel}</th>
              <th scope="col">Level</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.user.id}>
                <td>{e.rank}</td>
                <th scope="row">{e.user.displayName}</th>
                <td>{e.score}</td>
                <td>{e.membership.level}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

/**
 * Active members with "Message <name>"; holders of member permissions (role, mute, ban, remove) also get
 * "Manage <name>" on members ranked below them (never the owner or themselves).
 */
export function MembersTab({
  communityId,
  permissions = [],
  viewerRole,
}: {
  communityId: string;
  permissions?: readonly CommunityPermission[];
  viewerRole?: CommunityMemberRole | null;
}) {
  const { user: viewer, hasRole } = useSession();
  const viewerRank = Math.max(rankOf(viewerRole), hasRole('ADMIN') ? PLATFORM_ADMIN_RANK : 0);
  const { startWith, loading: starting } = useStartConversation();
  const [messageError, setMessageError] = useState<string | null>(null);
  // approvals, role changes and bans elsewhere change the list: show the cached one, then the current one
  const { data, loading, error, fetchMore } = useQuery(CommunityMembersDocument, {
    variables: { communityId },
    fetchPolicy: 'cache-and-network',
  });
  const members = data?.community?.members;
  return (
    <div className="eg-members">
      {error ? <Alert tone="error">The members could not be loaded: {error.message}</Alert> : null}
      {messageError ? <Alert tone="error">{messageError}</Alert> : null}
      {loading && !data ? <Spinner /> : null}
      <ul className="eg-members__list" aria-label="Members">
        {members?.edges.map(({ node }) => (
          <li key={node.id}>
            <strong>{node.user.displayName}</strong> · {roleLabel(node.role)}
            {node.customRole ? ` (${node.customRole.name})` : ''} · level {node.level}
            {node.joinedAt ? (
              <>
                {' '}
                · joined <time dateTime={node.joinedAt}>{formatDateTime(node.joinedAt)}</time>
              </>
            ) : null}
            {viewer && viewer.id !== node.user.id ? (
              <>
                {' '}
                <Button
                  variant="link"
                  disabled={starting}
                  onClick={() => {
                    setMessageError(null);
                    startWith(node.user.id).catch((e: unknown) => setMessageError(errorMessage(e)));
                  }}
                >
                  Message {node.user.displayName}
                </Button>
              </>
            ) : null}
            {offersMemberActions(
              permissions,
              viewerRank,
              { role: node.role, userId: node.user.id },
              viewer?.id,
            ) ? (
              <MemberActions
                communityId={communityId}
                member={node}
                permissions={permissions}
                viewerRank={viewerRank}
              />
            ) : null}
          </li>
        ))}
      </ul>
      {members?.pageInfo.hasNextPage ? (
        <Button
          variant="secondary"
          onClick={() =>
            void fetchMore({
              variables: { after: members.pageInfo.endCursor },
              updateQuery: (prev, { fetchMoreResult }) =>
                prev.community && fetchMoreResult.community
                  ? {
                      community: {
                        ...fetchMoreResult.community,
                        members: {
                          ...fetchMoreResult.community.members,
                          edges: [
                            ...prev.community.members.edges,
                            ...fetchMoreResult.community.members.edges,
                          ],
                        },
                      },
                    }
                  : prev,
            })
          }
        >
          Load more members
        </Button>
      ) : null}
    </div>
  );
}
