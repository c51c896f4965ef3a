import type { ContentModerationState } from '../../generated/graphql.js';
import './moderation.css';

const MARKERS: Partial<Record<ContentModerationState, string>> = {
  PENDING_REVIEW: 'Held for review',
  SUPPRESSED: 'Suppressed',
  REMOVED: 'Removed',
};

/**
 * What moderators (and the author) see on content members no longer see; nothing for visible content. Members
 * never receive such content (the API leaves it out and the feed subscription sends DELETED).
 */
export function ModerationMarker({ state }: { state: ContentModerationState }) {
  const label = MARKERS[state];
  return label ? (
    <>
      {' · '}
      <span className="eg-post__moderation">{label} — hidden from members</span>
    </>
  ) : null;
}
