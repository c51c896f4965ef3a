import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { COMMUNITY_MEMBER_LEFT } from '../../common/community-events.js';
import { communityEventHandlers } from '../../event-handlers.js';
import {
  CHECK_IN,
  createEvent,
  eventsState,
  firstOccurrenceId,
  MARK,
  OCCURRENCE,
  onlineEvent,
  RSVP,
  UPDATE_EVENT,
} from './events.test-kit.js';

const NOW = new Date('2025-05-01T10:00:00Z');
const DAY = 86_400_000;
const MINUTE = 60_000;

type RsvpRow = { user_id: string; status: string; seq: string };

describe('event RSVPs, waitlist and attendance', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let moderator: TestUser;
  let communityId: string;
  let privateId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('event_rsvps', { now: NOW });
    owner = await h.user();
    moderator = await h.user();
    communityId = (await h.community(owner)).id;
    privateId = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    await h.member(communityId, moderator, 'MODERATOR');
    await h.member(privateId, moderator, 'MODERATOR');
  });
  afterAll(async () => {
    await h?.close();
  });

  async function members(n: number, community = communityId): Promise<TestUser[]> {
    const users = await Promise.all(Array.from({ length: n }, () => h.user()));
    for (const user of users) await h.member(community, user, 'MEMBER');
    return users;
  }

  async function rows(occurrenceId: string): Promise<RsvpRow[]> {
    return h.dataSource.query(
      `SELECT user_id, status, seq FROM "community".event_rsvps WHERE occurrence_id = $1 ORDER BY seq`,
      [occurrenceId],
    );
  }

  const rsvp = (user: TestUser, occurrenceId: string, status: string) =>
    h.gql<{ rsvpCommunityEvent: { rsvp: { status: string; waitlistPosition: number | null } } }>(
      RSVP,
      { input: { occurrenceId, status } },
      user,
    );

  it('ACCEPTANCE: N concurrent GOING against capacity C → C going, N−C waitlisted in request order; one cancellation promotes one, concurrent cancellations promote as many', async () => {
    const N = 12;
    const C = 4;
    const event = await createEvent(
      h,
      moderator,
      onlineEvent(communityId, new Date(NOW.getTime() + 7 * DAY), { capacity: C }),
    );
    const occurrenceId = await firstOccurrenceId(h, event.id);
    const users = await members(N);
    const results = await Promise.all(users.map((u) => rsvp(u, occurrenceId, 'GOING')));
    expect(results.flatMap((r) => codes(r))).toEqual([]);

    const all = await rows(occurrenceId);
    const going = all.filter((r) => r.status === 'GOING');
    const waiting = all.filter((r) => r.status === 'WAITLISTED');
    expect(going).toHaveLength(C);
    expect(waiting).toHaveLength(N - C);
    // First come, first served: every place went to a request served before any waitlisted one.
    const lastGoing = Math.max(...going.map((r) => Number(r.seq)));
    expect(waiting.every((r) => Number(r.seq) > lastGoing)).toBe(true);
    // The answers each caller got agree, and waitlist positions are 1..N−C in request order.
    const positionOf = new Map<string, number | null>();
    users.forEach((u, i) =>
      positionOf.set(u.id, results[i]?.data?.rsvpCommunityEvent.rsvp.waitlistPosition ?? null),
    );
    const page = await h.ok<{
      communityEventOccurrence: {
        counts: { going: number; waitlisted: number };
        spotsLeft: number;
        attendees: { edges: { node: { user: { id: string }; waitlistPosition: number } }[] };
      };
    }>(OCCURRENCE, { id: occurrenceId, status: 'WAITLISTED', first: 100 }, moderator);
    const occurrence = page.communityEventOccurrence;
    expect(occurrence.counts).toMatchObject({ going: C, waitlisted: N - C });
    expect(occurrence.spotsLeft).toBe(0);
    expect(occurrence.attendees.edges.map((e) => e.node.user.id)).toEqual(waiting.map((r) => r.user_id));
    expect(occurrence.attendees.edges.map((e) => e.node.waitlistPosition)).toEqual(
      Array.from({ length: N - C }, (_, i) => i + 1),
    );
    for (const row of waiting) expect(positionOf.get(row.user_id)).toBeGreaterThanOrEqual(1);

    // One GOING member cancels: exactly the first in line is promoted.
    const leaver = users.find((u) => u.id === going[0]?.user_id)!;
    await h.ok(RSVP, { input: { occurrenceId, status: 'DECLINED' } }, leaver);
    let now = await rows(occurrenceId);
    expect(
      now
        .filter((r) => r.status === 'GOING')
        .map((r) => r.user_id)
        .sort(),
    ).toEqual([...going.slice(1).map((r) => r.user_id), waiting[0]?.user_id].sort());
    expect(now.filter((r) => r.status === 'WAITLISTED')).toHaveLength(N - C - 1);
    const promoted = await h.outbox(['community.event.rsvp_promoted']);
    expect(promoted.map((e) => e.payload['userId'])).toEqual([waiting[0]?.user_id]);

    // Three GOING members cancel at once: exactly three promoted, the next three in line.
    const cancelling = now.filter((r) => r.status === 'GOING').slice(0, 3);
    const cancellations = await Promise.all(
      cancelling.map((r) =>
        rsvp(
          users.find((u) => u.id === r.user_id)!,
          occurrenceId,
          'INTERESTED',
        ),
      ),
    );
    expect(cancellations.flatMap((r) => codes(r))).toEqual([]);
    now = await rows(occurrenceId);
    expect(now.filter((r) => r.status === 'GOING')).toHaveLength(C);
    expect(now.filter((r) => r.status === 'WAITLISTED').map((r) => r.user_id)).toEqual(
      waiting.slice(4).map((r) => r.user_id),
    );
    const promotedNow = (await h.outbox(['community.event.rsvp_promoted'])).map((e) => e.payload['userId']);
    expect(promotedNow).toHaveLength(4);
    expect(promotedNow.slice(1).sort()).toEqual(
      waiting
        .slice(1, 4)
        .map((r) => r.user_id)
        .sort(),
    );

    // The capacity grows by two: the next two in line get places; null (unlimited) promotes everyone.
    await h.ok(UPDATE_EVENT, { input: { eventId: event.id, capacity: C + 2 } }, moderator);
    now = await rows(occurrenceId);
    expect(now.filter((r) => r.status === 'GOING')).toHaveLength(C + 2);
    expect(now.filter((r) => r.status === 'WAITLISTED').map((r) => r.user_id)).toEqual(
      waiting.slice(6).map((r) => r.user_id),
    );
    await h.ok(UPDATE_EVENT, { input: { eventId: event.id, capacity: null } }, moderator);
    now = await rows(occurrenceId);
    expect(now.filter((r) => r.status === 'WAITLISTED')).toHaveLength(0);
    expect(now.filter((r) => r.status === 'GOING')).toHaveLength(C + 2 + (N - C - 6));
  });

  it('answers are idempotent; leaving the waitlist promotes nobody; a smaller capacity keeps who is going', async () => {
    const event = await createEvent(
      h,
      moderator,
      onlineEvent(communityId, new Date(NOW.getTime() + 8 * DAY), { capacity: 1 }),
    );
    const occurrenceId = await firstOccurrenceId(h, event.id);
    const [a, b, c] = (await members(3)) as [TestUser, TestUser, TestUser];
    expect((await rsvp(a, occurrenceId, 'GOING')).data?.rsvpCommunityEvent.rsvp.status).toBe('GOING');
    const waiting = await rsvp(b, occurrenceId, 'GOING');
    expect(waiting.data?.rsvpCommunityEvent.rsvp).toMatchObject({
      status: 'WAITLISTED',
      waitlistPosition: 1,
    });
    await rsvp(c, occurrenceId, 'GOING');
    const before = await rows(occurrenceId);
    // Asking again changes nothing (same place in line).
    expect((await rsvp(b, occurrenceId, 'GOING')).data?.rsvpCommunityEvent.rsvp).toMatchObject({
      status: 'WAITLISTED',
      waitlistPosition: 1,
    });
    expect(await rows(occurrenceId)).toEqual(before);
    // b leaves the waitlist: c moves up, nobody is promoted.
    await rsvp(b, occurrenceId, 'INTERESTED');
    const page = await h.ok<{
      communityEventOccurrence: { viewerRsvp: { status: string; waitlistPosition: number } };
    }>(OCCURRENCE, { id: occurrenceId }, c);
    expect(page.communityEventOccurrence.viewerRsvp).toEqual({ status: 'WAITLISTED', waitlistPosition: 1 });
    // b asks to go again: behind c now.
    expect((await rsvp(b, occurrenceId, 'GOING')).data?.rsvpCommunityEvent.rsvp.waitlistPosition).toBe(2);
    // A smaller capacity than the people going keeps them all (nobody is demoted).
    await h.ok(UPDATE_EVENT, { input: { eventId: event.id, capacity: 5 } }, moderator);
    await h.ok(UPDATE_EVENT, { input: { eventId: event.id, capacity: 1 } }, moderator);
    expect((await rows(occurrenceId)).filter((r) => r.status === 'GOING')).toHaveLength(3);
  });

  it('refuses RSVPs to ended occurrences and denies outsiders, changing nothing', async () => {
    const past = await createEvent(h, moderator, onlineEvent(communityId, new Date(NOW.getTime() - 2 * DAY)));
    const pastOccurrence = await firstOccurrenceId(h, past.id);
    const [m] = (await members(1)) as [TestUser];
    const event = await createEvent(h, moderator, onlineEvent(communityId, new Date(NOW.getTime() + DAY)));
    const occurrenceId = await firstOccurrenceId(h, event.id);
    const hidden = await createEvent(h, moderator, onlineEvent(privateId, new Date(NOW.getTime() + DAY)));
    const hiddenOccurrence = await firstOccurrenceId(h, hidden.id);
    const outsider = await h.user();
    const pending = await h.user();
    await h.dataSource.query(
      `INSERT INTO "community".memberships (id, community_id, user_id, role, status, time_zone, requested_at, created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, 'MEMBER', 'PENDING', 'UTC', now(), now(), now())`,
      [privateId, pending.id],
    );
    const before = await eventsState(h);
    expect(codes(await rsvp(m, pastOccurrence, 'GOING'))).toEqual(['EVENT_ENDED']);
    expect(codes(await h.gql(RSVP, { input: { occurrenceId, status: 'GOING' } }, null))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const notMember = await rsvp(outsider, occurrenceId, 'GOING');
    expect(codes(notMember)).toEqual(['FORBIDDEN']);
    expect(notMember.errors?.[0]?.extensions).toMatchObject({
      reason: 'NOT_MEMBER',
      permission: 'EVENT_RSVP',
    });
    expect(codes(await rsvp(outsider, hiddenOccurrence, 'GOING'))).toEqual(['NOT_FOUND']);
    // A pending requester sees the private community's profile but not its events.
    expect(codes(await rsvp(pending, hiddenOccurrence, 'GOING'))).toEqual(['NOT_FOUND']);
    expect(codes(await rsvp(m, '00000000-0000-4000-8000-000000000000', 'GOING'))).toEqual(['NOT_FOUND']);
    expect(await eventsState(h)).toEqual(before);
  });

  it('check-in: GOING members from 30 minutes before the start until the end, once; attended recorded once', async () => {
    const start = new Date(NOW.getTime() + 2 * DAY);
    const event = await createEvent(h, moderator, onlineEvent(communityId, start));
    const occurrenceId = await firstOccurrenceId(h, event.id);
    const [goer, maybe] = (await members(2)) as [TestUser, TestUser];
    await rsvp(goer, occurrenceId, 'GOING');
    await rsvp(maybe, occurrenceId, 'INTERESTED');
    try {
      h.clock.set(new Date(start.getTime() - 31 * MINUTE));
      const early = await h.gql(CHECK_IN, { id: occurrenceId }, goer);
      expect(codes(early)).toEqual(['CHECK_IN_CLOSED']);
      h.clock.set(new Date(start.getTime() - 30 * MINUTE));
      expect(codes(await h.gql(CHECK_IN, { id: occurrenceId }, maybe))).toEqual(['NOT_GOING']);
      expect(codes(await h.gql(CHECK_IN, { id: occurrenceId }, null))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await h.gql(CHECK_IN, { id: occurrenceId }, await h.user()))).toEqual(['FORBIDDEN']);
      const hidden = await createEvent(h, moderator, onlineEvent(privateId, start));
      expect(codes(await h.gql(CHECK_IN, { id: await firstOccurrenceId(h, hidden.id) }, goer))).toEqual([
        'NOT_FOUND',
      ]);
      const first = await h.ok<{
        checkInCommunityEvent: {
          newlyAttended: boolean;
          occurrence: { viewerAttended: boolean; counts: { attended: number } };
        };
      }>(CHECK_IN, { id: occurrenceId }, goer);
      expect(first.checkInCommunityEvent).toEqual({
        newlyAttended: true,
        occurrence: { id: occurrenceId, viewerAttended: true, counts: { attended: 1 } },
      });
      const second = await h.ok<{ checkInCommunityEvent: { newlyAttended: boolean } }>(
        CHECK_IN,
        { id: occurrenceId },
        goer,
      );
      expect(second.checkInCommunityEvent.newlyAttended).toBe(false);
      h.clock.set(new Date(start.getTime() + 3_600_000));
      expect(codes(await h.gql(CHECK_IN, { id: occurrenceId }, goer))).toEqual(['CHECK_IN_CLOSED']);
    } finally {
      h.clock.set(NOW);
    }
    const attended = (await h.outbox(['community.event.attended'])).filter(
      (e) => e.payload['occurrenceId'] === occurrenceId,
    );
    expect(attended.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        communityId,
        eventId: event.id,
        userId: goer.id,
        method: 'CHECK_IN',
        markedBy: null,
        occurrenceStart: start.toISOString(),
      }),
    ]);
  });

  it('managers mark attendance of active members once each; everyone else is denied and nothing changes', async () => {
    const start = new Date(NOW.getTime() + 3 * DAY);
    const event = await createEvent(h, moderator, onlineEvent(communityId, start));
    const occurrenceId = await firstOccurrenceId(h, event.id);
    const hidden = await createEvent(h, moderator, onlineEvent(privateId, start));
    const hiddenOccurrence = await firstOccurrenceId(h, hidden.id);
    const [x, y, plain] = (await members(3)) as [TestUser, TestUser, TestUser];
    const outsider = await h.user();
    try {
      h.clock.set(new Date(start.getTime() + 10 * MINUTE));
      const before = await eventsState(h);
      const denials: [TestUser | null, string, string, string | null][] = [
        [null, occurrenceId, 'UNAUTHENTICATED', null],
        [outsider, occurrenceId, 'FORBIDDEN', 'NOT_MEMBER'],
        [plain, occurrenceId, 'FORBIDDEN', 'MISSING_PERMISSION'],
        [outsider, hiddenOccurrence, 'NOT_FOUND', null],
      ];
      for (const [who, id, code, reason] of denials) {
        const result = await h.gql(MARK, { id, userIds: [x.id] }, who);
        expect(codes(result)).toEqual([code]);
        if (reason) expect(result.errors?.[0]?.extensions?.['reason']).toBe(reason);
      }
      const notMember = await h.gql(MARK, { id: occurrenceId, userIds: [x.id, outsider.id] }, moderator);
      expect(codes(notMember)).toEqual(['NOT_A_MEMBER']);
      expect(notMember.errors?.[0]?.extensions?.['userIds']).toEqual([outsider.id]);
      expect(codes(await h.gql(MARK, { id: occurrenceId, userIds: [] }, moderator))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(await eventsState(h)).toEqual(before);

      const marked = await h.ok<{
        markCommunityEventAttendance: {
          markedUserIds: string[];
          alreadyMarkedUserIds: string[];
          occurrence: { counts: { attended: number } };
        };
      }>(MARK, { id: occurrenceId, userIds: [x.id, y.id, x.id] }, moderator);
      expect(marked.markCommunityEventAttendance.markedUserIds.sort()).toEqual([x.id, y.id].sort());
      expect(marked.markCommunityEventAttendance.occurrence.counts.attended).toBe(2);
      const again = await h.ok<{
        markCommunityEventAttendance: { markedUserIds: string[]; alreadyMarkedUserIds: string[] };
      }>(MARK, { id: occurrenceId, userIds: [y.id] }, moderator);
      expect(again.markCommunityEventAttendance).toEqual({
        markedUserIds: [],
        alreadyMarkedUserIds: [y.id],
        occurrence: { counts: { attended: 2 } },
      });
    } finally {
      h.clock.set(NOW);
    }
    const attended = (await h.outbox(['community.event.attended'])).filter(
      (e) => e.payload['occurrenceId'] === occurrenceId,
    );
    expect(attended.map((e) => e.payload['userId']).sort()).toEqual([x.id, y.id].sort());
    expect(
      attended.every((e) => e.payload['method'] === 'MARKED' && e.payload['markedBy'] === moderator.id),
    ).toBe(true);
  });

  it('a member who leaves (community.member.left) gives up their places; the first in line moves up', async () => {
    const event = await createEvent(
      h,
      moderator,
      onlineEvent(communityId, new Date(NOW.getTime() + 10 * DAY), {
        capacity: 1,
        recurrence: 'FREQ=DAILY;COUNT=2',
      }),
    );
    const [first, second] = (await h.dataSource.query(
      `SELECT id FROM "community".event_occurrences WHERE event_id = $1 ORDER BY starts_at`,
      [event.id],
    )) as { id: string }[];
    const [leaver, next] = (await members(2)) as [TestUser, TestUser];
    await rsvp(leaver, first!.id, 'GOING');
    await rsvp(leaver, second!.id, 'INTERESTED');
    await rsvp(next, first!.id, 'GOING'); // waitlisted
    const handler = communityEventHandlers(h.services)[COMMUNITY_MEMBER_LEFT]!;
    const left = {
      id: randomUUID(),
      type: COMMUNITY_MEMBER_LEFT,
      source: 'community',
      aggregateId: communityId,
      occurredAt: NOW.toISOString(),
      payload: {
        communityId,
        userId: leaver.id,
        membershipId: randomUUID(),
        reason: 'BANNED',
        leftAt: NOW.toISOString(),
      },
    };
    await h.dataSource.transaction((manager) => handler(left, manager));
    expect((await rows(first!.id)).map((r) => [r.user_id, r.status])).toEqual([
      [leaver.id, 'DECLINED'],
      [next.id, 'GOING'],
    ]);
    expect((await rows(second!.id)).map((r) => r.status)).toEqual(['DECLINED']);
    const promoted = (await h.outbox(['community.event.rsvp_promoted'])).filter(
      (e) => e.payload['occurrenceId'] === first!.id,
    );
    expect(promoted.map((e) => e.payload['userId'])).toEqual([next.id]);
    // Nothing left to release a second time.
    expect(
      await h.dataSource.transaction((m) => h.services.events.rsvps.releaseMember(m, communityId, leaver.id)),
    ).toBe(0);
  });

  it('attendee lists are for active members and managers; counts for everyone who reads the community', async () => {
    const event = await createEvent(
      h,
      moderator,
      onlineEvent(communityId, new Date(NOW.getTime() + 9 * DAY)),
    );
    const occurrenceId = await firstOccurrenceId(h, event.id);
    const goers = await members(5);
    for (const user of goers) await rsvp(user, occurrenceId, 'GOING');
    type Page = {
      communityEventOccurrence: {
        counts: { going: number };
        attendees: {
          edges: { node: { user: { id: string } } }[];
          pageInfo: { hasNextPage: boolean; endCursor: string };
        } | null;
      };
    };
    const outsiderView = await h.ok<Page>(OCCURRENCE, { id: occurrenceId }, await h.user());
    expect(outsiderView.communityEventOccurrence.counts.going).toBe(5);
    expect(outsiderView.communityEventOccurrence.attendees).toBeNull();
    const first = await h.ok<Page>(OCCURRENCE, { id: occurrenceId, first: 2 }, goers[0]!);
    const attendees = first.communityEventOccurrence.attendees!;
    expect(attendees.edges.map((e) => e.node.user.id)).toEqual(goers.slice(0, 2).map((u) => u.id));
    expect(attendees.pageInfo.hasNextPage).toBe(true);
    const rest = await h.ok<Page>(
      OCCURRENCE,
      { id: occurrenceId, first: 10, after: attendees.pageInfo.endCursor },
      goers[0]!,
    );
    expect(rest.communityEventOccurrence.attendees?.edges.map((e) => e.node.user.id)).toEqual(
      goers.slice(2).map((u) => u.id),
    );
    expect(codes(await h.gql(OCCURRENCE, { id: occurrenceId, first: 101 }, goers[0]!))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
