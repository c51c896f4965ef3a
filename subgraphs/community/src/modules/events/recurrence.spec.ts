import { describe, expect, it } from 'vitest';
import { expandOccurrences, localTime, MAX_OCCURRENCES, parseRecurrence } from './recurrence.js';

const BERLIN = 'Europe/Berlin';

function codeOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return (error as { extensions?: Record<string, unknown> }).extensions?.['code'];
  }
  return null;
}

describe('recurrence', () => {
  it('keeps a weekly 09:00 Europe/Berlin event at 09:00 local across the March and October DST switches', () => {
    // Thursday 2025-03-20 09:00 CET (UTC+1) = 08:00Z; DST starts 2025-03-30 and ends 2025-10-26.
    const start = new Date('2025-03-20T08:00:00Z');
    const end = new Date('2025-03-20T09:30:00Z');
    const occurrences = expandOccurrences(start, end, BERLIN, parseRecurrence('FREQ=WEEKLY;COUNT=34'));
    expect(occurrences).toHaveLength(34);
    for (const o of occurrences) {
      expect(localTime(o.startsAt, BERLIN).slice(11)).toBe('09:00');
      expect(o.endsAt.getTime() - o.startsAt.getTime()).toBe(90 * 60_000);
    }
    const utc = (i: number) => occurrences[i]?.startsAt.toISOString();
    expect(utc(1)).toBe('2025-03-27T08:00:00.000Z'); // before the spring switch: UTC+1
    expect(utc(2)).toBe('2025-04-03T07:00:00.000Z'); // after it: UTC+2
    expect(utc(31)).toBe('2025-10-23T07:00:00.000Z'); // last Thursday of summer time
    expect(utc(32)).toBe('2025-10-30T08:00:00.000Z'); // after the autumn switch: UTC+1 again
  });

  it('ends a series at UNTIL (an instant) and normalises the rule', () => {
    const parsed = parseRecurrence('RRULE:FREQ=DAILY;UNTIL=20250105T080000Z');
    expect(parsed.rule).toBe('FREQ=DAILY;UNTIL=20250105T080000Z');
    const occurrences = expandOccurrences(
      new Date('2025-01-01T08:00:00Z'),
      new Date('2025-01-01T09:00:00Z'),
      BERLIN,
      parsed,
    );
    expect(occurrences.map((o) => localTime(o.startsAt, BERLIN))).toEqual([
      '2025-01-01T09:00',
      '2025-01-02T09:00',
      '2025-01-03T09:00',
      '2025-01-04T09:00',
      '2025-01-05T09:00',
    ]);
  });

  it('a one-off event has one occurrence', () => {
    const start = new Date('2025-01-01T08:00:00Z');
    const end = new Date('2025-01-01T09:00:00Z');
    expect(expandOccurrences(start, end, 'UTC', null)).toEqual([{ startsAt: start, endsAt: end }]);
  });

  it('refuses unbounded, unparsable, too fine and too long rules with INVALID_RECURRENCE', () => {
    const start = new Date('2025-01-06T08:00:00Z'); // a Monday
    const end = new Date('2025-01-06T09:00:00Z');
    const expand = (rule: string) => () => expandOccurrences(start, end, BERLIN, parseRecurrence(rule));
    for (const bad of [
      'FREQ=WEEKLY', // unbounded
      'FREQ=WEEKLY;COUNT=3;UNTIL=20250301T000000Z', // both
      'FREQ=BOGUS;COUNT=3',
      'COUNT=3',
      'FREQ=HOURLY;COUNT=3',
      'FREQ=DAILY;COUNT=3;BYHOUR=9,10',
      'FREQ=DAILY;COUNT=0',
      `FREQ=DAILY;COUNT=${MAX_OCCURRENCES + 1}`,
      'FREQ=DAILY;UNTIL=20300101T000000Z', // more than the cap
      'FREQ=YEARLY;UNTIL=20300101T000000Z;BYMONTH=1;BYMONTHDAY=6;INTERVAL=3', // spans more than two years
      'FREQ=WEEKLY;COUNT=3;BYDAY=TU', // the start (a Monday) is not an occurrence
      'DTSTART:20250101T000000Z\nRRULE:FREQ=DAILY;COUNT=2',
      'FREQ=DAILY;COUNT=2;NOPE=1',
      'FREQ=DAILY;;COUNT=2',
      '',
    ])
      expect(codeOf(expand(bad)), bad).toBe('INVALID_RECURRENCE');
    expect(codeOf(expand('FREQ=WEEKLY;COUNT=3;BYDAY=MO'))).toBeNull();
    expect(codeOf(expand(`FREQ=DAILY;COUNT=${MAX_OCCURRENCES}`))).toBeNull();
  });
});
