import type { CommunityHarness, TestUser } from '../../testing/community-harness.js';

/** GraphQL documents and helpers shared by the events module's integration specs. */
export const EVENT_FIELDS = `id title description format meetingUrl liveSessionId timeZone startsAt endsAt localStartsAt
  recurrence occurrenceCount capacity visibility cancelledAt location { latitude longitude address }
  community { id } createdBy { id } cover { id } viewerCanManage`;

export const CREATE_EVENT = `mutation($input: CreateCommunityEventInput!) {
  createCommunityEvent(input: $input) { event { ${EVENT_FIELDS} } }
}`;
export const UPDATE_EVENT = `mutation($input: UpdateCommunityEventInput!) {
  updateCommunityEvent(input: $input) { event { ${EVENT_FIELDS} } }
}`;
export const CANCEL_EVENT = `mutation($input: CancelCommunityEventInput!) {
  cancelCommunityEvent(input: $input) { event { id cancelledAt cancelReason } }
}`;
export const CANCEL_OCCURRENCE = `mutation($input: CancelCommunityEventOccurrenceInput!) {
  cancelCommunityEventOccurrence(input: $input) { occurrence { id cancelledAt } }
}`;
export const RSVP = `mutation($input: RsvpCommunityEventInput!) {
  rsvpCommunityEvent(input: $input) {
    rsvp { id status waitlistPosition requestedAt promotedAt user { id } }
    occurrence { id counts { going interested declined waitlisted attended } spotsLeft }
  }
}`;
export const CHECK_IN = `mutation($id: ID!) {
  checkInCommunityEvent(input: { occurrenceId: $id }) { newlyAttended occurrence { id viewerAttended counts { attended } } }
}`;
export const MARK = `mutation($id: ID!, $userIds: [ID!]!) {
  markCommunityEventAttendance(input: { occurrenceId: $id, userIds: $userIds }) {
    markedUserIds alreadyMarkedUserIds occurrence { counts { attended } }
  }
}`;
export const EVENT = `query($id: ID!, $from: DateTimeISO, $to: DateTimeISO, $first: Int) {
  communityEvent(id: $id) {
    ${EVENT_FIELDS}
    nextOccurrence { id startsAt localStartsAt }
    occurrences(from: $from, to: $to, first: $first) {
      edges { cursor node { id startsAt endsAt localStartsAt cancelledAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
export const OCCURRENCE = `query($id: ID!, $status: CommunityEventRsvpStatus, $first: Int, $after: String) {
  communityEventOccurrence(id: $id) {
    id startsAt counts { going interested declined waitlisted attended } spotsLeft
    viewerRsvp { status waitlistPosition }
    attendees(status: $status, first: $first, after: $after) {
      edges { node { status waitlistPosition user { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

export type EventData = {
  id: string;
  title: string;
  description: string;
  meetingUrl: string | null;
  liveSessionId: string | null;
  localStartsAt: string;
  occurrenceCount: number;
  capacity: number | null;
  cancelledAt: string | null;
  viewerCanManage: boolean;
  location: { latitude: number; longitude: number; address: string } | null;
};

export type OccurrenceNode = {
  id: string;
  startsAt: string;
  endsAt: string;
  localStartsAt: string;
  cancelledAt: string | null;
};

/** Input of an online one-off event in `communityId`, one hour long, starting at `startsAt`. */
export function onlineEvent(communityId: string, startsAt: Date, more: Record<string, unknown> = {}) {
  return {
    communityId,
    title: 'Study group',
    timeZone: 'Europe/Berlin',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    meetingUrl: 'https://meet.example.org/study',
    ...more,
  };
}

export async function createEvent(
  h: CommunityHarness,
  as: TestUser,
  input: Record<string, unknown>,
): Promise<EventData> {
  const data = await h.ok<{ createCommunityEvent: { event: EventData } }>(CREATE_EVENT, { input }, as);
  return data.createCommunityEvent.event;
}

/** The occurrences of an event in a window (first ≤ 100). */
export async function occurrencesOf(
  h: CommunityHarness,
  as: TestUser | null,
  eventId: string,
  from: Date,
  to: Date,
  first = 100,
): Promise<OccurrenceNode[]> {
  const data = await h.ok<{ communityEvent: { occurrences: { edges: { node: OccurrenceNode }[] } } | null }>(
    EVENT,
    { id: eventId, from: from.toISOString(), to: to.toISOString(), first },
    as,
  );
  return data.communityEvent?.occurrences.edges.map((e) => e.node) ?? [];
}

/** The only (or first) occurrence id of an event, straight from the database. */
export async function firstOccurrenceId(h: CommunityHarness, eventId: string): Promise<string> {
  const [row]: { id: string }[] = await h.dataSource.query(
    `SELECT id FROM "community".event_occurrences WHERE event_id = $1 ORDER BY starts_at LIMIT 1`,
    [eventId],
  );
  if (!row) throw new Error(`event ${eventId} has no occurrence`);
  return row.id;
}

/** Row counts of the events tables and the events' outbox entries (to show a refusal changed nothing). */
export async function eventsState(h: CommunityHarness): Promise<Record<string, number>> {
  const [row]: Record<string, number>[] = await h.dataSource.query(
    `SELECT (SELECT count(*) FROM "community".events)::int AS events,
            (SELECT count(*) FROM "community".event_occurrences)::int AS occurrences,
            (SELECT count(*) FROM "community".event_rsvps)::int AS rsvps,
            (SELECT count(*) FROM "community".event_attendances)::int AS attendances,
            (SELECT count(*) FROM "community".outbox WHERE event_type LIKE 'community.event.%')::int AS outbox,
            (SELECT coalesce(sum(sequence), 0) FROM "community".events)::int AS sequences,
            (SELECT count(*) FROM "community".events WHERE cancelled_at IS NOT NULL)::int AS cancelled`,
  );
  return row ?? {};
}
