import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  codes,
  createCommunityHarness,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import { POST_CREATED } from './engagement-events.js';

let h: CommunityHarness;
let owner: TestUser;
let communityId: string;

beforeAll(async () => {
  h = await createCommunityHarness('engagement_streaks', { now: new Date('2026-06-01T00:00:00Z') });
  owner = await h.user();
  communityId = (await h.community(owner)).id;
});

afterAll(async () => {
  const keys = await h.redis.keys(`${h.services.engagement.keyPrefix}:*`);
  if (keys.length > 0) await h.redis.del(...keys);
  await h?.close();
});

const SET_ZONE = `mutation($input: SetMyCommunityTimeZoneInput!) {
  setMyCommunityTimeZone(input: $input) { membership { timeZone } }
}`;

async function memberIn(zone: string): Promise<TestUser> {
  const user = await h.user();
  await h.join(user, communityId);
  const result = await h.ok<{ setMyCommunityTimeZone: { membership: { timeZone: string } } }>(
    SET_ZONE,
    { input: { communityId, timeZone: zone } },
    user,
  );
  expect(result.setMyCommunityTimeZone.membership.timeZone).toBe(zone);
  return user;
}

/** The member posts at `at` (the clock reads `at`; the post event is consumed as the consumer would). */
async function postAt(user: TestUser, at: string): Promise<void> {
  h.clock.set(new Date(at));
  const handler = h.services.engagement.eventHandlers()[POST_CREATED]!;
  const event = {
    id: randomUUID(),
    type: POST_CREATED,
    source: 'community',
    aggregateId: communityId,
    occurredAt: at,
    payload: { communityId, postId: randomUUID(), authorId: user.id, createdAt: at, tags: [] },
  };
  await h.dataSource.transaction((manager) => handler(event, manager));
}

type Streak = { current: number; longest: number; lastActiveOn: string | null; timeZone: string };

/** The member's streak as they read it when the clock says `at`. */
async function streakAt(user: TestUser, at: string): Promise<Streak> {
  h.clock.set(new Date(at));
  const data = await h.ok<{ myCommunityMembership: { streak: Streak } }>(
    `query($c: ID!) { myCommunityMembership(communityId: $c) { streak { current longest lastActiveOn timeZone } } }`,
    { c: communityId },
    user,
  );
  return data.myCommunityMembership.streak;
}

/** Posts at each instant and returns the streak (current, as of that instant) after each. */
async function run(user: TestUser, instants: string[]): Promise<number[]> {
  const streaks: number[] = [];
  for (const at of instants) {
    await postAt(user, at);
    streaks.push((await streakAt(user, at)).current);
  }
  return streaks;
}

describe('streaks count local days in the member’s time zone (acceptance)', () => {
  it('the same UTC instants are different local days in Tokyo and Los Angeles', async () => {
    const tokyo = await memberIn('Asia/Tokyo');
    const losAngeles = await memberIn('America/Los_Angeles');
    const instants = [
      '2026-06-15T20:00:00Z', // Tokyo Tue 16th 05:00 · Los Angeles Mon 15th 13:00
      '2026-06-16T10:00:00Z', // Tokyo 16th 19:00 (same day) · Los Angeles 16th 03:00 (next day)
      '2026-06-17T16:00:00Z', // Tokyo 18th 01:00 (17th missed) · Los Angeles 17th 09:00 (next day)
    ];
    expect(await run(tokyo, instants)).toEqual([1, 1, 1]);
    expect(await run(losAngeles, instants)).toEqual([1, 2, 3]);
    expect(await streakAt(tokyo, '2026-06-17T16:00:00Z')).toEqual({
      current: 1,
      longest: 1,
      lastActiveOn: '2026-06-18',
      timeZone: 'Asia/Tokyo',
    });
    expect(await streakAt(losAngeles, '2026-06-17T16:00:00Z')).toMatchObject({
      current: 3,
      longest: 3,
      lastActiveOn: '2026-06-17',
    });
    // 2026-06-19T06:00Z: Los Angeles is still on the 18th (the streak can go on), Tokyo on the 19th.
    expect((await streakAt(losAngeles, '2026-06-19T06:00:00Z')).current).toBe(3);
    expect((await streakAt(tokyo, '2026-06-19T06:00:00Z')).current).toBe(1);
    // A local day missed: the current streak lapses to 0; the longest stays.
    expect(await streakAt(losAngeles, '2026-06-19T07:00:00Z')).toMatchObject({ current: 0, longest: 3 });
    expect(await streakAt(tokyo, '2026-06-19T15:00:00Z')).toMatchObject({ current: 0, longest: 1 });
    // The next post after a gap starts again at 1.
    expect(await run(losAngeles, ['2026-06-20T18:00:00Z'])).toEqual([1]);
    expect(await streakAt(losAngeles, '2026-06-20T18:00:00Z')).toMatchObject({ longest: 3 });
  });

  it('the 23-hour day of the spring DST switch (America/New_York, 2026-03-08) is one day', async () => {
    const newYork = await memberIn('America/New_York');
    expect(
      await run(newYork, [
        '2026-03-08T04:30:00Z', // Sat 7th 23:30 EST
        '2026-03-08T05:30:00Z', // Sun 8th 00:30 EST — the next local day, an hour later
        '2026-03-09T03:30:00Z', // Sun 8th 23:30 EDT — still the 8th, 22 hours later
        '2026-03-09T04:15:00Z', // Mon 9th 00:15 EDT — the next local day
      ]),
    ).toEqual([1, 2, 2, 3]);
    // Alive through Tuesday 10th 23:59 EDT (03:59Z on the 11th), gone a minute after midnight.
    expect((await streakAt(newYork, '2026-03-11T03:59:00Z')).current).toBe(3);
    expect((await streakAt(newYork, '2026-03-11T04:01:00Z')).current).toBe(0);
  });

  it('the 25-hour day of the autumn DST switch (America/New_York, 2026-11-01) is one day', async () => {
    const newYork = await memberIn('America/New_York');
    expect(
      await run(newYork, [
        '2026-11-01T03:30:00Z', // Sat Oct 31st 23:30 EDT
        '2026-11-01T04:10:00Z', // Sun 1st 00:10 EDT — the next local day
        '2026-11-02T04:50:00Z', // Sun 1st 23:50 EST — still the 1st, 24 h 40 min later
        '2026-11-02T05:20:00Z', // Mon 2nd 00:20 EST — the next local day
      ]),
    ).toEqual([1, 2, 2, 3]);
    expect((await streakAt(newYork, '2026-11-04T04:59:00Z')).current).toBe(3); // Tue 3rd 23:59 EST
    expect((await streakAt(newYork, '2026-11-04T05:01:00Z')).current).toBe(0); // Wed 4th 00:01 EST
    // Wednesday after the missed Tuesday: back to 1, the longest kept.
    expect(await run(newYork, ['2026-11-04T05:01:00Z'])).toEqual([1]);
    expect(await streakAt(newYork, '2026-11-04T05:01:00Z')).toMatchObject({
      current: 1,
      longest: 3,
      lastActiveOn: '2026-11-04',
    });
  });

  it('counts in UTC by default, and in the new zone once the member changes it', async () => {
    const user = await h.user();
    await h.join(user, communityId);
    // 23:30 UTC then 00:30 UTC: consecutive days in UTC.
    expect(await run(user, ['2026-07-01T23:30:00Z', '2026-07-02T00:30:00Z'])).toEqual([1, 2]);
    await h.ok(SET_ZONE, { input: { communityId, timeZone: 'Pacific/Kiritimati' } }, user); // UTC+14
    // 2026-07-02T10:30Z is already the 3rd in Kiritimati: the next day.
    expect(await run(user, ['2026-07-02T10:30:00Z'])).toEqual([3]);
    expect(await streakAt(user, '2026-07-02T10:30:00Z')).toMatchObject({
      lastActiveOn: '2026-07-03',
      timeZone: 'Pacific/Kiritimati',
    });
  });

  it('setMyCommunityTimeZone takes IANA zones from members only', async () => {
    const member = await memberIn('Europe/Lisbon');
    const stranger = await h.user();
    const set = (as: TestUser | null, timeZone: string) =>
      h.gql(SET_ZONE, { input: { communityId, timeZone } }, as);
    expect(codes(await set(member, 'Mars/Olympus_Mons'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await set(member, ''))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await set(stranger, 'Asia/Tokyo'))).toEqual(['NOT_A_MEMBER']);
    expect(codes(await set(null, 'Asia/Tokyo'))).toEqual(['UNAUTHENTICATED']);
    expect((await streakAt(member, '2026-07-01T00:00:00Z')).timeZone).toBe('Europe/Lisbon');
  });
});
