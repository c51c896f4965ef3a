import { useQuery } from '@apollo/client/react';
import { useId } from 'react';
import { CommunityTiersDocument } from '../../generated/graphql.js';

/**
 * The composer's "Only for members of" choice (TIER_MANAGE): everyone, or a live tier of the community — the post's
 * `requiredTierId`; others see its title and excerpt, locked. Nothing is shown while the community has no tiers.
 */
export function TierGateSelect({
  communityId,
  value,
  onChange,
}: {
  communityId: string;
  value: string;
  onChange: (tierId: string) => void;
}) {
  const id = useId();
  const { data } = useQuery(CommunityTiersDocument, { variables: { communityId, includeArchived: false } });
  const tiers = data?.community?.tiers ?? [];
  if (tiers.length === 0) return null;
  return (
    <div className="eg-field">
      <label htmlFor={id} className="eg-field__label">
        Who can read it
      </label>
      <select id={id} className="eg-field__input" value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Everyone who can see the community</option>
        {tiers.map((tier) => (
          <option key={tier.id} value={tier.id}>
            Members of {tier.name} (or a higher tier)
          </option>
        ))}
      </select>
    </div>
  );
}
