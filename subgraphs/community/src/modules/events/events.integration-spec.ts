import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import {
  CANCEL_EVENT,
  CANCEL_OCCURRENCE,
  CREATE_EVENT,
  createEvent,
  EVENT,
  eventsState,
  firstOccurrenceId,
  occurrencesOf,
  onlineEvent,
  RSVP,
  UPDATE_EVENT,
  type EventData,
} from './events.test-kit.js';

const NOW = new Date('2025-03-01T12:00:00Z');
const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('community events', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let moderator: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let publicId: string;
  let privateId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('events', { now: NOW });
    owner = await h.user();
    moderator = await h.user();
    member = await h.user();
    outsider = await h.user();
    publicId = (await h.community(owner)).id;
    privateId = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    for (const id of [publicId, privateId]) {
      await h.member(id, moderator, 'MODERATOR');
      await h.member(id, member, 'MEMBER');
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a weekly in-person event at 09:00 Europe/Berlin that stays at 09:00 local across both DST switches', async () => {
    // Thursday 2025-03-20 09:00 CET = 08:00Z; summer time from 2025-03-30 to 2025-10-26.
    const event = await createEvent(h, moderator, {
      communityId: publicId,
      title: 'Morning run',
      description:
        '<p onclick="x()">Bring <strong>water</strong></p><script>alert(1)</script><a href="javascript:evil()">x</a>',
      format: 'IN_PERSON',
      location: { latitude: 52.52, longitude: 13.405, address: 'Alexanderplatz, Berlin' },
      timeZone: 'Europe/Berlin',
      startsAt: '2025-03-20T08:00:00Z',
      endsAt: '2025-03-20T09:00:00Z',
      recurrence: 'RRULE:FREQ=WEEKLY;COUNT=34',
      capacity: 12,
    });
    expect(event).toMatchObject({
      title: 'Morning run',
      description: '<p>Bring <strong>water</strong></p><a rel="noopener noreferrer nofollow">x</a>',
      meetingUrl: null,
      location: { latitude: 52.52, longitude: 13.405, address: 'Alexanderplatz, Berlin' },
      localStartsAt: '2025-03-20T09:00',
      occurrenceCount: 34,
      capacity: 12,
      viewerCanManage: true,
    });
    const occurrences = await occurrencesOf(
      h,
      member,
      event.id,
      new Date('2025-03-01T00:00:00Z'),
      new Date('2025-12-31T00:00:00Z'),
    );
    expect(occurrences).toHaveLength(34);
    expect(new Set(occurrences.map((o) => o.localStartsAt.slice(11)))).toEqual(new Set(['09:00']));
    const byDay = new Map(occurrences.map((o) => [o.localStartsAt.slice(0, 10), o.startsAt]));
    expect(byDay.get('2025-03-27')).toBe('2025-03-27T08:00:00.000Z'); // CET, UTC+1
    expect(byDay.get('2025-04-03')).toBe('2025-04-03T07:00:00.000Z'); // CEST, UTC+2
    expect(byDay.get('2025-10-23')).toBe('2025-10-23T07:00:00.000Z'); // still CEST
    expect(byDay.get('2025-10-30')).toBe('2025-10-30T08:00:00.000Z'); // CET again
    const [created] = await h.outbox(['community.event.created']);
    expect(created?.payload).toMatchObject({
      communityId: publicId,
      eventId: event.id,
      recurrence: 'FREQ=WEEKLY;COUNT=34',
      occurrenceCount: 34,
      timeZone: 'Europe/Berlin',
    });
  });

  it('refuses bad input with typed errors and changes nothing', async () => {
    const before = await eventsState(h);
    const start = new Date(NOW.getTime() + 2 * DAY);
    const cases: [Record<string, unknown>, string][] = [
      [{ recurrence: 'FREQ=WEEKLY' }, 'INVALID_RECURRENCE'],
      [{ recurrence: 'FREQ=SOMETIMES;COUNT=2' }, 'INVALID_RECURRENCE'],
      [{ recurrence: 'FREQ=DAILY;UNTIL=20990101T000000Z' }, 'INVALID_RECURRENCE'],
      [{ timeZone: 'Mars/Olympus_Mons' }, 'INVALID_TIME_ZONE'],
      [{ endsAt: start.toISOString() }, 'INVALID_EVENT_TIME'],
      [{ endsAt: new Date(start.getTime() - HOUR).toISOString() }, 'INVALID_EVENT_TIME'],
      [{ endsAt: new Date(start.getTime() + 8 * DAY).toISOString() }, 'INVALID_EVENT_TIME'],
      [{ meetingUrl: 'http://insecure.example' }, 'BAD_USER_INPUT'],
      [{ meetingUrl: null }, 'BAD_USER_INPUT'],
      [{ liveSessionId: 'live-1' }, 'BAD_USER_INPUT'],
      [{ format: 'IN_PERSON', meetingUrl: null }, 'BAD_USER_INPUT'],
      [{ capacity: 0 }, 'BAD_USER_INPUT'],
      [{ title: '   ' }, 'BAD_USER_INPUT'],
    ];
    for (const [more, code] of cases) {
      const result = await h.gql(CREATE_EVENT, { input: onlineEvent(publicId, start, more) }, moderator);
      expect(codes(result), JSON.stringify(more)).toEqual([code]);
    }
    expect(await eventsState(h)).toEqual(before);

    // The same refusals on an update leave the event exactly as it was.
    const event = await createEvent(
      h,
      moderator,
      onlineEvent(publicId, start, { recurrence: 'FREQ=DAILY;COUNT=3' }),
    );
    const unchanged = await eventsState(h);
    const [row] = await h.dataSource.query(`SELECT * FROM "community".events WHERE id = $1`, [event.id]);
    for (const [more, code] of [
      [{ recurrence: 'FREQ=DAILY' }, 'INVALID_RECURRENCE'],
      [{ timeZone: 'Europe/Nowhere' }, 'INVALID_TIME_ZONE'],
      [{ endsAt: new Date(start.getTime() - HOUR).toISOString() }, 'INVALID_EVENT_TIME'],
      [{ format: 'IN_PERSON' }, 'BAD_USER_INPUT'],
    ] as [Record<string, unknown>, string][]) {
      const result = await h.gql(
        UPDATE_EVENT,
        { input: { eventId: event.id, title: 'Changed', ...more } },
        moderator,
      );
      expect(codes(result), JSON.stringify(more)).toEqual([code]);
    }
    expect(await eventsState(h)).toEqual(unchanged);
    expect(await h.dataSource.query(`SELECT * FROM "community".events WHERE id = $1`, [event.id])).toEqual([
      row,
    ]);
  });

  it('denies create, update, cancel and occurrence cancellation to everyone without EVENT_MANAGE, changing nothing', async () => {
    const start = new Date(NOW.getTime() + 3 * DAY);
    const pub = await createEvent(h, moderator, onlineEvent(publicId, start));
    const priv = await createEvent(h, moderator, onlineEvent(privateId, start));
    const occurrence = {
      [pub.id]: await firstOccurrenceId(h, pub.id),
      [priv.id]: await firstOccurrenceId(h, priv.id),
    };
    const before = await eventsState(h);
    const attempts = (communityId: string, event: EventData) => [
      { query: CREATE_EVENT, variables: { input: onlineEvent(communityId, start) } },
      { query: UPDATE_EVENT, variables: { input: { eventId: event.id, title: 'Hijacked' } } },
      { query: CANCEL_EVENT, variables: { input: { eventId: event.id } } },
      { query: CANCEL_OCCURRENCE, variables: { input: { occurrenceId: occurrence[event.id] } } },
    ];
    const expectations: [TestUser | null, string, EventData, string, string | null][] = [
      [null, publicId, pub, 'UNAUTHENTICATED', null],
      [outsider, publicId, pub, 'FORBIDDEN', 'NOT_MEMBER'],
      [member, publicId, pub, 'FORBIDDEN', 'MISSING_PERMISSION'],
      [member, privateId, priv, 'FORBIDDEN', 'MISSING_PERMISSION'],
      [outsider, privateId, priv, 'NOT_FOUND', null],
    ];
    for (const [who, communityId, event, code, reason] of expectations)
      for (const { query, variables } of attempts(communityId, event)) {
        const result = await h.gql(query, variables, who);
        expect(codes(result), `${query.slice(0, 40)} as ${who?.id ?? 'anonymous'}`).toEqual([code]);
        if (reason) expect(result.errors?.[0]?.extensions?.['reason']).toBe(reason);
      }
    expect(await eventsState(h)).toEqual(before);
  });

  it('hides meeting links from outsiders and MEMBERS-only events from non-members; private events from outsiders', async () => {
    const start = new Date(NOW.getTime() + 4 * DAY);
    const open = await createEvent(
      h,
      moderator,
      onlineEvent(publicId, start, { liveSessionId: 'live:abc-1', meetingUrl: null }),
    );
    const members = await createEvent(h, moderator, onlineEvent(publicId, start, { visibility: 'MEMBERS' }));
    const hidden = await createEvent(h, moderator, onlineEvent(privateId, start));
    const get = async (id: string, as: TestUser | null) =>
      (await h.ok<{ communityEvent: EventData | null }>(EVENT, { id }, as)).communityEvent;
    expect(await get(open.id, member)).toMatchObject({ liveSessionId: 'live:abc-1', meetingUrl: null });
    expect(await get(open.id, outsider)).toMatchObject({ id: open.id, liveSessionId: null });
    expect(await get(open.id, null)).toMatchObject({
      id: open.id,
      liveSessionId: null,
      viewerCanManage: false,
    });
    expect(await get(members.id, member)).toMatchObject({ meetingUrl: 'https://meet.example.org/study' });
    expect(await get(members.id, outsider)).toBeNull();
    expect(await get(members.id, null)).toBeNull();
    expect(await get(hidden.id, member)).toMatchObject({ id: hidden.id });
    expect(await get(hidden.id, outsider)).toBeNull();
    expect(await get('00000000-0000-4000-8000-000000000000', member)).toBeNull();
    // A hidden event is NOT_FOUND to RSVPs too (not FORBIDDEN: its existence is not revealed).
    const rsvp = await h.gql(RSVP, { input: { eventId: members.id, status: 'GOING' } }, outsider);
    expect(codes(rsvp)).toEqual(['NOT_FOUND']);
  });

  it('moves a one-off event with its RSVPs, re-pairs a series, and records the update', async () => {
    const start = new Date(NOW.getTime() + 5 * DAY);
    const oneOff = await createEvent(h, moderator, onlineEvent(publicId, start));
    const occurrenceId = await firstOccurrenceId(h, oneOff.id);
    await h.ok(RSVP, { input: { eventId: oneOff.id, status: 'GOING' } }, member);
    const later = new Date(start.getTime() + DAY);
    const moved = await h.ok<{ updateCommunityEvent: { event: EventData } }>(
      UPDATE_EVENT,
      {
        input: {
          eventId: oneOff.id,
          startsAt: later.toISOString(),
          endsAt: new Date(later.getTime() + 2 * HOUR).toISOString(),
          title: 'Study group (moved)',
        },
      },
      moderator,
    );
    expect(moved.updateCommunityEvent.event).toMatchObject({
      title: 'Study group (moved)',
      occurrenceCount: 1,
    });
    const [row]: { id: string; starts_at: Date; rsvps: number }[] = await h.dataSource.query(
      `SELECT o.id, o.starts_at, (SELECT count(*) FROM "community".event_rsvps r WHERE r.occurrence_id = o.id)::int AS rsvps
         FROM "community".event_occurrences o WHERE o.event_id = $1`,
      [oneOff.id],
    );
    expect(row).toMatchObject({ id: occurrenceId, rsvps: 1 });
    expect(new Date(row?.starts_at ?? 0).toISOString()).toBe(later.toISOString());

    // A daily series of 5, then 3 at 10:00 instead of 09:00: the first 3 keep their ids (and RSVPs), 2 go.
    const series = await createEvent(
      h,
      moderator,
      onlineEvent(publicId, new Date('2025-03-10T08:00:00Z'), { recurrence: 'FREQ=DAILY;COUNT=5' }),
    );
    const before = await occurrencesOf(h, member, series.id, NOW, new Date(NOW.getTime() + 60 * DAY));
    await h.ok(RSVP, { input: { occurrenceId: before[1]?.id, status: 'INTERESTED' } }, member);
    await h.ok(
      UPDATE_EVENT,
      {
        input: {
          eventId: series.id,
          startsAt: '2025-03-10T09:00:00Z',
          endsAt: '2025-03-10T10:00:00Z',
          recurrence: 'FREQ=DAILY;COUNT=3',
        },
      },
      moderator,
    );
    const after = await occurrencesOf(h, member, series.id, NOW, new Date(NOW.getTime() + 60 * DAY));
    expect(after.map((o) => o.id)).toEqual(before.slice(0, 3).map((o) => o.id));
    expect(after.map((o) => o.localStartsAt)).toEqual([
      '2025-03-10T10:00',
      '2025-03-11T10:00',
      '2025-03-12T10:00',
    ]);
    const [kept]: { n: number }[] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM "community".event_rsvps WHERE occurrence_id = $1`,
      [before[1]?.id],
    );
    expect(kept?.n).toBe(1);
    const updates = await h.outbox(['community.event.updated']);
    expect(updates.at(-1)?.payload).toMatchObject({
      eventId: series.id,
      timingChanged: true,
      occurrenceCount: 3,
    });
    // A recurring event needs the occurrence for an RSVP.
    const ambiguous = await h.gql(RSVP, { input: { eventId: series.id, status: 'GOING' } }, member);
    expect(codes(ambiguous)).toEqual(['BAD_USER_INPUT']);
  });

  it('cancels events and single occurrences; cancelled ones take no RSVPs and leave the calendar', async () => {
    const series = await createEvent(
      h,
      moderator,
      onlineEvent(publicId, new Date('2025-06-02T08:00:00Z'), {
        recurrence: 'FREQ=WEEKLY;COUNT=3',
        title: 'Weekly',
      }),
    );
    const window = { from: new Date('2025-06-01T00:00:00Z'), to: new Date('2025-06-30T00:00:00Z') };
    const occurrences = await occurrencesOf(h, member, series.id, window.from, window.to);
    await h.ok(RSVP, { input: { occurrenceId: occurrences[1]?.id, status: 'GOING' } }, member);
    const cancelled = await h.ok<{ cancelCommunityEventOccurrence: { occurrence: { cancelledAt: string } } }>(
      CANCEL_OCCURRENCE,
      { input: { occurrenceId: occurrences[1]?.id, reason: 'Holiday' } },
      moderator,
    );
    expect(cancelled.cancelCommunityEventOccurrence.occurrence.cancelledAt).toBe(NOW.toISOString());
    const [event] = (await h.outbox(['community.event.cancelled'])).slice(-1);
    expect(event?.payload).toMatchObject({
      eventId: series.id,
      occurrenceId: occurrences[1]?.id,
      reason: 'Holiday',
      userIds: [member.id],
      truncated: false,
    });
    const refused = await h.gql(
      RSVP,
      { input: { occurrenceId: occurrences[1]?.id, status: 'GOING' } },
      member,
    );
    expect(codes(refused)).toEqual(['EVENT_CANCELLED']);
    const calendar = async (includeCancelled: boolean) =>
      (
        await h.ok<{ community: { events: { edges: { node: { id: string } }[] } } }>(
          `query($id: ID!, $from: DateTimeISO, $to: DateTimeISO, $inc: Boolean) {
             community(id: $id) { events(from: $from, to: $to, includeCancelled: $inc, first: 100) { edges { node { id } } } }
           }`,
          {
            id: publicId,
            from: window.from.toISOString(),
            to: window.to.toISOString(),
            inc: includeCancelled,
          },
          member,
        )
      ).community.events.edges.map((e) => e.node.id);
    expect(await calendar(false)).not.toContain(occurrences[1]?.id);
    expect(await calendar(true)).toContain(occurrences[1]?.id);

    await h.ok(CANCEL_EVENT, { input: { eventId: series.id, reason: 'Coach left' } }, moderator);
    expect(await calendar(false)).not.toContain(occurrences[0]?.id);
    const again = await h.gql(CANCEL_EVENT, { input: { eventId: series.id } }, moderator);
    expect(codes(again)).toEqual(['EVENT_CANCELLED']);
    const edit = await h.gql(UPDATE_EVENT, { input: { eventId: series.id, title: 'Back' } }, moderator);
    expect(codes(edit)).toEqual(['EVENT_CANCELLED']);
    const rsvp = await h.gql(RSVP, { input: { occurrenceId: occurrences[0]?.id, status: 'GOING' } }, member);
    expect(codes(rsvp)).toEqual(['EVENT_CANCELLED']);
  });

  it('serves a calendar window in keyset pages with a bounded number of SQL statements', async () => {
    const community = (await h.community(owner)).id;
    await h.member(community, member, 'MEMBER');
    await h.member(community, moderator, 'MODERATOR');
    const start = new Date('2025-07-01T08:00:00Z');
    await createEvent(
      h,
      moderator,
      onlineEvent(community, start, { recurrence: 'FREQ=DAILY;COUNT=30', capacity: 5 }),
    );
    await createEvent(
      h,
      moderator,
      onlineEvent(community, start, { recurrence: 'FREQ=DAILY;COUNT=30', visibility: 'MEMBERS' }),
    );
    const PAGE = `query($id: ID!, $first: Int, $after: String, $from: DateTimeISO, $to: DateTimeISO) {
      community(id: $id) {
        events(from: $from, to: $to, first: $first, after: $after) {
          edges { cursor node {
            id startsAt localStartsAt spotsLeft viewerAttended
            counts { going interested declined waitlisted attended }
            viewerRsvp { status }
            attendees(first: 3) { edges { node { user { id } status } } }
            event { id title meetingUrl viewerCanManage community { id name } nextOccurrence { id } }
          } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }`;
    type Page = {
      community: {
        events: {
          edges: { node: { id: string; startsAt: string } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        };
      };
    };
    const vars = { id: community, from: '2025-07-01T00:00:00Z', to: '2025-08-01T00:00:00Z' };
    const statements = async (first: number) => {
      h.counter.reset();
      const page = await h.ok<Page>(PAGE, { ...vars, first }, member);
      expect(page.community.events.edges).toHaveLength(first);
      return h.counter.count;
    };
    const small = await statements(3);
    const large = await statements(40);
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(12);

    // Keyset paging walks all 60 occurrences in start order without repeats; outsiders see only PUBLIC ones.
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i += 1) {
      const page: Page = await h.ok<Page>(PAGE, { ...vars, first: 25, after }, member);
      seen.push(...page.community.events.edges.map((e) => e.node.id));
      if (!page.community.events.pageInfo.hasNextPage) break;
      after = page.community.events.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    const publicOnly = await h.ok<Page>(PAGE, { ...vars, first: 100 }, outsider);
    expect(publicOnly.community.events.edges).toHaveLength(30);

    // Bad cursors are BAD_USER_INPUT, on the calendar and on an event's occurrences.
    const forged = Buffer.from(JSON.stringify(['not a time', 'x'])).toString('base64url');
    const someEvent = (await h.dataSource.query(
      `SELECT id FROM "community".events WHERE community_id = $1 LIMIT 1`,
      [community],
    )) as { id: string }[];
    for (const after of ['junk', forged]) {
      const occurrencesPage = await h.gql(
        `query($id: ID!, $after: String) { communityEvent(id: $id) { occurrences(after: $after) { edges { cursor } } } }`,
        { id: someEvent[0]?.id, after },
        member,
      );
      expect(codes(occurrencesPage)).toEqual(['BAD_USER_INPUT']);
    }
    expect(codes(await h.gql(PAGE, { ...vars, first: 5, after: 'junk' }, member))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const tooMany = await h.gql(PAGE, { ...vars, first: 101 }, member);
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
    const tooWide = await h.gql(PAGE, { ...vars, to: '2026-08-01T00:00:00Z' }, member);
    expect(codes(tooWide)).toEqual(['BAD_USER_INPUT']);
    // A private community's calendar: its profile is hidden from outsiders altogether.
    const hidden = await h.gql<{ community: unknown }>(PAGE, { ...vars, id: privateId, first: 5 }, outsider);
    expect(hidden.data?.community).toBeNull();
  });

  it('lists the viewer’s upcoming events (and only theirs) and refuses anonymous callers', async () => {
    const community = (await h.community(owner)).id;
    const fan = await h.user();
    await h.member(community, fan, 'MEMBER');
    const soon = await createEvent(h, owner, onlineEvent(community, new Date(NOW.getTime() + DAY)));
    const later = await createEvent(h, owner, onlineEvent(community, new Date(NOW.getTime() + 2 * DAY)));
    const declined = await createEvent(h, owner, onlineEvent(community, new Date(NOW.getTime() + 3 * DAY)));
    await h.ok(RSVP, { input: { eventId: later.id, status: 'GOING' } }, fan);
    await h.ok(RSVP, { input: { eventId: soon.id, status: 'INTERESTED' } }, fan);
    await h.ok(RSVP, { input: { eventId: declined.id, status: 'DECLINED' } }, fan);
    const UPCOMING = `query { viewerUpcomingEvents(first: 10) { edges { node { id event { id } viewerRsvp { status } } } } }`;
    const data = await h.ok<{
      viewerUpcomingEvents: { edges: { node: { event: { id: string }; viewerRsvp: { status: string } } }[] };
    }>(UPCOMING, {}, fan);
    expect(data.viewerUpcomingEvents.edges.map((e) => [e.node.event.id, e.node.viewerRsvp.status])).toEqual([
      [soon.id, 'INTERESTED'],
      [later.id, 'GOING'],
    ]);
    expect(codes(await h.gql(UPCOMING, {}, null))).toEqual(['UNAUTHENTICATED']);
  });
});
