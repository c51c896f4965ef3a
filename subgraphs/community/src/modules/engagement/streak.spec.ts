import { describe, expect, it } from 'vitest';
import { addDays, applyActivity, currentStreak, daysBetween, localDay, type StreakState } from './streak.js';

const EMPTY: StreakState = { current: 0, longest: 0, lastActiveDay: null };

function run(days: string[]): StreakState {
  return days.reduce(applyActivity, EMPTY);
}

describe('streak arithmetic', () => {
  it('same day: no change; next day: +1; a gap: back to 1; the longest is kept', () => {
    expect(run(['2026-01-01'])).toEqual({ current: 1, longest: 1, lastActiveDay: '2026-01-01' });
    expect(run(['2026-01-01', '2026-01-01'])).toEqual({
      current: 1,
      longest: 1,
      lastActiveDay: '2026-01-01',
    });
    expect(run(['2026-01-01', '2026-01-02', '2026-01-03'])).toMatchObject({ current: 3, longest: 3 });
    expect(run(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-05'])).toEqual({
      current: 1,
      longest: 3,
      lastActiveDay: '2026-01-05',
    });
    // Month, year and leap-day boundaries are calendar days too.
    expect(run(['2027-12-31', '2028-01-01', '2028-01-02'])).toMatchObject({ current: 3 });
    expect(run(['2028-02-28', '2028-02-29', '2028-03-01'])).toMatchObject({ current: 3 });
  });

  it('an activity dated before the last active day changes nothing', () => {
    expect(run(['2026-01-02', '2026-01-01'])).toEqual({
      current: 1,
      longest: 1,
      lastActiveDay: '2026-01-02',
    });
  });

  it('the current streak lapses to 0 after a missed local day', () => {
    const state = run(['2026-01-01', '2026-01-02']);
    expect(currentStreak(state, '2026-01-02')).toBe(2);
    expect(currentStreak(state, '2026-01-03')).toBe(2);
    expect(currentStreak(state, '2026-01-04')).toBe(0);
    expect(currentStreak(EMPTY, '2026-01-04')).toBe(0);
  });

  it('local days follow the zone: one instant is different days in Tokyo and Los Angeles', () => {
    const instant = new Date('2026-06-15T20:00:00Z');
    expect(localDay(instant, 'Asia/Tokyo')).toBe('2026-06-16');
    expect(localDay(instant, 'America/Los_Angeles')).toBe('2026-06-15');
    expect(localDay(instant, 'UTC')).toBe('2026-06-15');
    expect(localDay(instant, 'Not/AZone')).toBe('2026-06-15');
  });

  it('DST days (23 and 25 hours in New York) are one calendar day apart', () => {
    const zone = 'America/New_York';
    // 2026-03-08 is 23 hours long: 00:30 EST (05:30Z) on the 8th → 00:30 EDT (04:30Z) on the 9th.
    expect(localDay(new Date('2026-03-08T05:30:00Z'), zone)).toBe('2026-03-08');
    expect(localDay(new Date('2026-03-09T04:30:00Z'), zone)).toBe('2026-03-09');
    // 2026-11-01 is 25 hours long: 23:30 EDT on Oct 31 (03:30Z) → 23:30 EST on Nov 1 (04:30Z Nov 2).
    expect(localDay(new Date('2026-11-01T03:30:00Z'), zone)).toBe('2026-10-31');
    expect(localDay(new Date('2026-11-02T04:30:00Z'), zone)).toBe('2026-11-01');
    expect(daysBetween('2026-03-08', '2026-03-09')).toBe(1);
    expect(daysBetween('2026-10-31', '2026-11-01')).toBe(1);
    expect(addDays('2026-03-08', 1)).toBe('2026-03-09');
  });
});
