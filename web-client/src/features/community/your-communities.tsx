import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { MyManagedCommunitiesDocument, type CommunityMemberRole } from '../../generated/graphql.js';
import { roleLabel } from './format.js';

const MANAGING: readonly CommunityMemberRole[] = ['OWNER', 'ADMIN', 'MODERATOR'];

/**
 * The communities the signed-in viewer runs (owner, admin or moderator), first in the directory: each links to
 * its Manage tab. Nothing when they run none.
 */
export function YourCommunities() {
  const { data } = useQuery(MyManagedCommunitiesDocument, { fetchPolicy: 'cache-and-network' });
  const managed = (data?.viewer?.memberships.edges ?? [])
    .map((e) => e.node)
    .filter((m) => m.status === 'ACTIVE' && MANAGING.includes(m.role) && m.community);
  if (managed.length === 0) return null;
  return (
    <section aria-labelledby="eg-your-communities" className="eg-your-communities">
      <h2 id="eg-your-communities">Communities you run</h2>
      <ul>
        {managed.map((m) => (
          <li key={m.id}>
            <Link to={`/communities/${m.community!.slug}`}>{m.community!.name}</Link> · you are{' '}
            {roleLabel(m.role)} ·{' '}
            <Link to={`/communities/${m.community!.slug}/manage`} aria-label={`Manage ${m.community!.name}`}>
              Manage
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
