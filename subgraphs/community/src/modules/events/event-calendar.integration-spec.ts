import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import {
  CANCEL_OCCURRENCE,
  createEvent,
  firstOccurrenceId,
  occurrencesOf,
  onlineEvent,
  RSVP,
} from './events.test-kit.js';

const NOW = new Date('2025-03-01T12:00:00Z');
const DAY = 86_400_000;

const FEED_URL = `query($id: ID!) { community(id: $id) { calendarFeedUrl } }`;
const MY_FEED = `query { viewerCalendarFeedUrl }`;
const ROTATE = `mutation { rotateCommunityCalendarFeed { url } }`;

/** ICS content lines, unfolded (RFC 5545 §3.1: a CRLF followed by a space continues the line). */
function lines(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, '').split('\r\n');
}

function vevents(ics: string): string[][] {
  const result: string[][] = [];
  let current: string[] | null = null;
  for (const line of lines(ics)) {
    if (line === 'BEGIN:VEVENT') current = [];
    else if (line === 'END:VEVENT' && current) {
      result.push(current);
      current = null;
    } else current?.push(line);
  }
  return result;
}

describe('event calendar feeds (ICS)', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let publicId: string;
  let privateId: string;
  let origin: string;

  /** GETs a feed URL's path on the test server (feed URLs carry the configured public origin). */
  async function get(url: string): Promise<{ status: number; type: string | null; body: string }> {
    const { pathname, search } = new URL(url);
    const response = await fetch(`${origin}${pathname}${search}`);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      body: await response.text(),
    };
  }

  async function feedUrl(id: string, as: TestUser | null): Promise<string | null> {
    return (
      (await h.ok<{ community: { calendarFeedUrl: string | null } | null }>(FEED_URL, { id }, as)).community
        ?.calendarFeedUrl ?? null
    );
  }

  beforeAll(async () => {
    h = await createCommunityHarness('event_calendar', { now: NOW });
    origin = new URL(h.server.url).origin;
    owner = await h.user();
    member = await h.user();
    outsider = await h.user();
    publicId = (await h.community(owner, { name: 'Berlin Runners' })).id;
    privateId = (await h.community(owner, { visibility: 'PRIVATE', name: 'Inner Circle' })).id;
    await h.member(publicId, member, 'MEMBER');
    await h.member(privateId, member, 'MEMBER');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('serves a public community’s public events without a token: UID, RRULE, TZID, GEO, LOCATION, EXDATE', async () => {
    const series = await createEvent(h, owner, {
      communityId: publicId,
      title: 'Morning run',
      description: '<p>Bring <strong>water</strong></p>',
      format: 'IN_PERSON',
      location: { latitude: 52.52, longitude: 13.405, address: 'Alexanderplatz, Berlin' },
      timeZone: 'Europe/Berlin',
      startsAt: '2025-03-20T08:00:00Z',
      endsAt: '2025-03-20T09:00:00Z',
      recurrence: 'FREQ=WEEKLY;COUNT=10',
    });
    const online = await createEvent(
      h,
      owner,
      onlineEvent(publicId, new Date(NOW.getTime() + 2 * DAY), { title: 'Online talk' }),
    );
    await createEvent(
      h,
      owner,
      onlineEvent(publicId, new Date(NOW.getTime() + 2 * DAY), {
        title: 'Members only',
        visibility: 'MEMBERS',
      }),
    );
    const occurrences = await occurrencesOf(h, owner, series.id, NOW, new Date(NOW.getTime() + 100 * DAY));
    await h.ok(CANCEL_OCCURRENCE, { input: { occurrenceId: occurrences[2]?.id } }, owner);

    const anonymousUrl = await feedUrl(publicId, null);
    expect(anonymousUrl).toMatch(new RegExp(`/ics/community/${publicId}\\.ics$`));
    const feed = await get(anonymousUrl!);
    expect(feed.status).toBe(200);
    expect(feed.type).toMatch(/^text\/calendar/);
    const all = lines(feed.body);
    expect(all).toContain('BEGIN:VCALENDAR');
    expect(all).toContain('TZID:Europe/Berlin'); // the VTIMEZONE
    const events = vevents(feed.body);
    expect(events.map((e) => e.find((l) => l.startsWith('SUMMARY:')))).toEqual(
      expect.arrayContaining(['SUMMARY:Morning run', 'SUMMARY:Online talk']),
    );
    expect(events.some((e) => e.includes('SUMMARY:Members only'))).toBe(false);
    const run = events.find((e) => e.includes('SUMMARY:Morning run'))!;
    expect(run).toEqual(
      expect.arrayContaining([
        `UID:${series.id}@edugraph`,
        'DTSTART;TZID=Europe/Berlin:20250320T090000',
        'DTEND;TZID=Europe/Berlin:20250320T100000',
        'RRULE:FREQ=WEEKLY;COUNT=10',
        'EXDATE;TZID=Europe/Berlin:20250403T090000',
        'GEO:52.52;13.405',
        'LOCATION:Alexanderplatz\\, Berlin',
        'STATUS:CONFIRMED',
        'DESCRIPTION:Bring water',
      ]),
    );
    const talk = events.find((e) => e.includes('SUMMARY:Online talk'))!;
    expect(talk).toContain(`UID:${online.id}@edugraph`);
    expect(talk).toContain('LOCATION:Online');
    // Outsiders do not get meeting links.
    expect(feed.body).not.toContain('meet.example.org');
    // The UID is stable: the same feed again.
    expect(vevents((await get(anonymousUrl!)).body).find((e) => e.includes('SUMMARY:Morning run'))).toContain(
      `UID:${series.id}@edugraph`,
    );
  });

  it('a member’s signed community URL adds members-only events and meeting links; private communities need one', async () => {
    await createEvent(
      h,
      owner,
      onlineEvent(privateId, new Date(NOW.getTime() + 3 * DAY), { title: 'Secret meetup' }),
    );
    const memberUrl = await feedUrl(publicId, member);
    expect(memberUrl).toMatch(/\?token=[0-9a-f]{32}\./);
    const feed = await get(memberUrl!);
    expect(feed.body).toContain('SUMMARY:Members only');
    expect(lines(feed.body)).toContain('URL;VALUE=URI:https://meet.example.org/study');

    // Private community: no URL for outsiders, 404 without or with a wrong token.
    expect(await feedUrl(privateId, outsider)).toBeNull();
    expect((await get(`${origin}/ics/community/${privateId}.ics`)).status).toBe(404);
    const privateUrl = await feedUrl(privateId, member);
    expect((await get(privateUrl!)).body).toContain('SUMMARY:Secret meetup');
    const token = new URL(privateUrl!).searchParams.get('token')!;
    // A token for one community does not open another; a forged one opens nothing.
    const otherPrivate = (await h.community(owner, { visibility: 'PRIVATE' })).id;
    expect((await get(`${origin}/ics/community/${otherPrivate}.ics?token=${token}`)).status).toBe(404);
    expect((await get(`${origin}/ics/community/${privateId}.ics?token=${token.slice(0, -2)}xx`)).status).toBe(
      404,
    );
    expect((await get(`${origin}/ics/community/not-a-uuid.ics`)).status).toBe(404);
    // Leaving the community ends access through the old URL.
    const leaver = await h.user();
    await h.member(privateId, leaver, 'MEMBER');
    const leaverUrl = await feedUrl(privateId, leaver);
    expect((await get(leaverUrl!)).status).toBe(200);
    await h.dataSource.query(
      `UPDATE "community".memberships SET status = 'LEFT', left_at = now() WHERE community_id = $1 AND user_id = $2`,
      [privateId, leaver.id],
    );
    expect((await get(leaverUrl!)).status).toBe(404);
  });

  it('a member’s personal feed lists their GOING and INTERESTED occurrences across communities; rotation revokes it', async () => {
    const fan = await h.user();
    await h.member(publicId, fan, 'MEMBER');
    await h.member(privateId, fan, 'MEMBER');
    const weekly = await createEvent(
      h,
      owner,
      onlineEvent(publicId, new Date('2025-03-10T08:00:00Z'), {
        title: 'Weekly',
        recurrence: 'FREQ=WEEKLY;COUNT=4',
      }),
    );
    const weeklies = await occurrencesOf(h, fan, weekly.id, NOW, new Date(NOW.getTime() + 60 * DAY));
    await h.ok(RSVP, { input: { occurrenceId: weeklies[1]?.id, status: 'GOING' } }, fan);
    const secret = await createEvent(
      h,
      owner,
      onlineEvent(privateId, new Date(NOW.getTime() + 5 * DAY), { title: 'Private one' }),
    );
    await h.ok(RSVP, { input: { eventId: secret.id, status: 'INTERESTED' } }, fan);
    const skipped = await createEvent(
      h,
      owner,
      onlineEvent(publicId, new Date(NOW.getTime() + 6 * DAY), { title: 'Skipped' }),
    );
    await h.ok(
      RSVP,
      { input: { occurrenceId: await firstOccurrenceId(h, skipped.id), status: 'DECLINED' } },
      fan,
    );

    const url = (await h.ok<{ viewerCalendarFeedUrl: string }>(MY_FEED, {}, fan)).viewerCalendarFeedUrl;
    expect(url).toMatch(/\/ics\/member\/[0-9a-f]{32}\.[A-Za-z0-9_-]+\.ics$/);
    const feed = await get(url);
    expect(feed.status).toBe(200);
    const events = vevents(feed.body);
    expect(events.map((e) => e.find((l) => l.startsWith('SUMMARY:')))).toEqual([
      'SUMMARY:Private one',
      'SUMMARY:Weekly',
    ]);
    const [privateEvent, weeklyEvent] = events as [string[], string[]];
    expect(weeklyEvent).toEqual(
      expect.arrayContaining([
        `UID:${weekly.id}-20250317T080000Z@edugraph`,
        'DTSTART;TZID=Europe/Berlin:20250317T090000',
        'STATUS:CONFIRMED',
      ]),
    );
    expect(weeklyEvent.some((l) => l.startsWith('RRULE'))).toBe(false);
    expect(privateEvent).toEqual(expect.arrayContaining([`UID:${secret.id}@edugraph`, 'STATUS:TENTATIVE']));

    // The same URL until rotated; then the old one (and community URLs signed before) stop working.
    expect((await h.ok<{ viewerCalendarFeedUrl: string }>(MY_FEED, {}, fan)).viewerCalendarFeedUrl).toBe(url);
    const communityUrl = await feedUrl(privateId, fan);
    const rotated = (await h.ok<{ rotateCommunityCalendarFeed: { url: string } }>(ROTATE, {}, fan))
      .rotateCommunityCalendarFeed.url;
    expect(rotated).not.toBe(url);
    expect((await get(url)).status).toBe(404);
    expect((await get(communityUrl!)).status).toBe(404);
    expect((await get(rotated)).status).toBe(200);
    expect((await h.ok<{ viewerCalendarFeedUrl: string }>(MY_FEED, {}, fan)).viewerCalendarFeedUrl).toBe(
      rotated,
    );
    expect((await get(`${origin}/ics/member/garbage.ics`)).status).toBe(404);

    expect(codes(await h.gql(MY_FEED, {}, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await h.gql(ROTATE, {}, null))).toEqual(['UNAUTHENTICATED']);
  });
});
