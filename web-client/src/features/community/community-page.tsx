import { useQuery } from '@apollo/client/react';
import { NavLink, useParams } from 'react-router';
import { Alert, Page, Spinner } from '../../components/index.js';
import { CommunityHomeDocument } from '../../generated/graphql.js';
import { useSession } from '../../lib/auth/session-context.js';
import { ClassroomTab } from './classroom-tab.js';
import './community.css';
import { EventsTab } from './events-tab.js';
import { FeedTab } from './feed-tab.js';
import { can, roleLabel } from './format.js';
import { JoinButton } from './join-button.js';
import { canManage, ManageTab } from './manage-tab.js';
import { ModerationTab } from './moderation-tab.js';
import { LeaderboardTab, MembersTab } from './people-tabs.js';
import { TiersTab } from './tiers-tab.js';

const TABS = [
  { key: 'feed', label: 'Feed' },
  { key: 'events', label: 'Events' },
  { key: 'membership', label: 'Membership' },
  { key: 'leaderboard', label: 'Leaderboard' },
  { key: 'members', label: 'Members' },
  { key: 'classroom', label: 'Classroom' },
  { key: 'moderation', label: 'Moderation' },
  { key: 'manage', label: 'Manage' },
] as const;
type TabKey = (typeof TABS)[number]['key'];

/** The tabs the viewer may open: Moderation only with REPORTS_HANDLE, Manage with a managing permission. */
const tabsFor = (permissions: Parameters<typeof can>[0]) =>
  TABS.filter(
    (t) =>
      (t.key !== 'moderation' || can(permissions, 'REPORTS_HANDLE')) &&
      (t.key !== 'manage' || canManage(permissions ?? [])),
  );

/** A community's home: header (cover, name, description, members, join/leave, the viewer's role) and its tabs. */
export function CommunityPage() {
  const { slug = '', tab = 'feed' } = useParams();
  const { state } = useSession();
  const signedIn = state.status === 'signedIn';
  const { data, loading, error } = useQuery(CommunityHomeDocument, { variables: { slug } });
  const community = data?.community;
  if (loading && !data) return <Spinner />;
  if (error) {
    return (
      <Page title="Community">
        <Alert tone="error">The community could not be loaded: {error.message}</Alert>
      </Page>
    );
  }
  if (!community) {
    return (
      <Page title="Community not found">
        <p>This community does not exist, or it is private.</p>
      </Page>
    );
  }
  const active: TabKey = tabsFor(community.viewerPermissions).some((t) => t.key === tab)
    ? (tab as TabKey)
    : 'feed';
  const membership = community.viewerMembership;
  const permissions = community.viewerPermissions;
  const canRead = can(permissions, 'CONTENT_READ');
  return (
    <Page title={`${community.name} · ${TABS.find((t) => t.key === active)!.label}`} heading={community.name}>
      <header className="eg-community__header">
        {community.cover?.url ? (
          <img className="eg-community__cover" src={community.cover.url} alt="" />
        ) : null}
        <p>{community.description}</p>
        <p className="eg-community__meta">
          {community.memberCount === 1 ? '1 member' : `${community.memberCount} members`} ·{' '}
          {community.visibility === 'PUBLIC' ? 'Public' : 'Private'}
          {community.archivedAt ? ' · Archived (read-only)' : ''}
          {membership?.status === 'ACTIVE' ? (
            <>
              {' · '}
              <span data-testid="viewer-role">You are {roleLabel(membership.role)}</span>
            </>
          ) : null}
        </p>
        {membership?.status === 'ACTIVE' ? (
          <p className="eg-community__meta" aria-label="Your standing">
            {membership.points} points · level {membership.level} · streak {membership.streak.current}{' '}
            {membership.streak.current === 1 ? 'day' : 'days'} (longest {membership.streak.longest})
          </p>
        ) : null}
        {signedIn ? <JoinButton community={community} /> : <p>Sign in to join this community.</p>}
      </header>
      <nav aria-label="Community sections" className="eg-community__tabs">
        <ul>
          {tabsFor(permissions).map((t) => (
            <li key={t.key}>
              <NavLink
                to={`/communities/${community.slug}/${t.key}`}
                aria-current={t.key === active ? 'page' : undefined}
                className={t.key === active ? 'is-active' : undefined}
              >
                {t.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <section aria-label={TABS.find((t) => t.key === active)!.label} className="eg-community__panel">
        {active === 'membership' ? (
          <TiersTab
            communityId={community.id}
            slug={community.slug}
            permissions={permissions}
            isOwner={membership?.status === 'ACTIVE' && membership.role === 'OWNER'}
            signedIn={signedIn}
          />
        ) : !canRead ? (
          <p>Join this community to see its {active === 'feed' ? 'posts' : active}.</p>
        ) : active === 'feed' ? (
          <FeedTab communityId={community.id} permissions={permissions} />
        ) : active === 'events' ? (
          <EventsTab communityId={community.id} permissions={permissions} />
        ) : active === 'leaderboard' ? (
          <LeaderboardTab communityId={community.id} />
        ) : active === 'members' ? (
          <MembersTab communityId={community.id} permissions={permissions} viewerRole={membership?.role} />
        ) : active === 'manage' ? (
          <ManageTab communityId={community.id} slug={community.slug} permissions={permissions} />
        ) : active === 'moderation' ? (
          <ModerationTab communityId={community.id} permissions={permissions} />
        ) : (
          <ClassroomTab communityId={community.id} />
        )}
      </section>
    </Page>
  );
}
