import type { EntityManager } from 'typeorm';
import { COMMUNITY_EVENT_RSVP_PROMOTED, recordCommunityEvent } from '../../common/community-events.js';
import type { EventEntity } from './event.entity.js';

const S = '"community"';

/**
 * Fills free places from the waitlists of `occurrenceIds` (in request order, `seq`), up to the event's
 * capacity (all of them when unlimited), in one statement, and records `community.event.rsvp_promoted`
 * for each promoted member. The caller holds the occurrences' row locks (`FOR UPDATE`) in `manager`'s
 * transaction, so concurrent RSVPs and cancellations see each other's counts.
 */
export async function promoteWaitlisted(
  manager: EntityManager,
  event: Pick<EventEntity, 'id' | 'communityId' | 'capacity'>,
  occurrenceIds: readonly string[],
  now: Date,
): Promise<{ occurrenceId: string; userId: string }[]> {
  if (occurrenceIds.length === 0) return [];
  // UPDATE … RETURNING answers [rows, affected count] through TypeORM's Postgres driver.
  const [promoted]: [{ occurrence_id: string; user_id: string; starts_at: Date }[], number] =
    await manager.query(
      `WITH going AS (
       SELECT occurrence_id, count(*)::int AS n FROM ${S}.event_rsvps
        WHERE occurrence_id = ANY($1::uuid[]) AND status = 'GOING' GROUP BY occurrence_id
     ), ranked AS (
       SELECT w.id, w.occurrence_id, row_number() OVER (PARTITION BY w.occurrence_id ORDER BY w.seq) AS rn
         FROM ${S}.event_rsvps w
        WHERE w.occurrence_id = ANY($1::uuid[]) AND w.status = 'WAITLISTED'
     ), chosen AS (
       SELECT ranked.id FROM ranked LEFT JOIN going g ON g.occurrence_id = ranked.occurrence_id
        WHERE $2::int IS NULL OR ranked.rn <= $2::int - coalesce(g.n, 0)
     )
     UPDATE ${S}.event_rsvps r SET status = 'GOING', promoted_at = $3, updated_at = $3
       FROM chosen, ${S}.event_occurrences o
      WHERE r.id = chosen.id AND o.id = r.occurrence_id
     RETURNING r.occurrence_id, r.user_id, o.starts_at`,
      [occurrenceIds, event.capacity, now],
    );
  for (const row of promoted)
    await recordCommunityEvent(manager, COMMUNITY_EVENT_RSVP_PROMOTED, {
      communityId: event.communityId,
      eventId: event.id,
      occurrenceId: row.occurrence_id,
      occurrenceStart: new Date(row.starts_at).toISOString(),
      userId: row.user_id,
      promotedAt: now.toISOString(),
    });
  return promoted.map((r) => ({ occurrenceId: r.occurrence_id, userId: r.user_id }));
}
