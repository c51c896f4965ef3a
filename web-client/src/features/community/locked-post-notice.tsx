import { useQuery } from '@apollo/client/react';
import { Link, useParams } from 'react-router';
import { CommunityTiersDocument } from '../../generated/graphql.js';
import './tiers.css';

/**
 * A locked post's teaser line: which tier opens it, with a link to the community's membership tab. The tiers come
 * from one cached query per community, whatever the number of locked posts on the page.
 */
export function LockedPostNotice({
  requiredTierId,
  communityId,
}: {
  requiredTierId: string | null;
  communityId: string;
}) {
  const { slug = '' } = useParams();
  const tiers = useQuery(CommunityTiersDocument, { variables: { communityId, includeArchived: false } });
  const tier = tiers.data?.community?.tiers.find((t) => t.id === requiredTierId) ?? null;
  return (
    <p className="eg-post__locked">
      <span aria-hidden="true">🔒 </span>
      {tier ? (
        <>
          For members of the <strong>{tier.name}</strong> tier (or a higher one).{' '}
        </>
      ) : (
        'For holders of a paid tier. '
      )}
      <Link to={`/communities/${slug}/membership`}>
        {tier ? `Unlock with ${tier.name}` : 'See the membership tiers'}
      </Link>
    </p>
  );
}
