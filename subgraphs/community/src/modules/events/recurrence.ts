import { DateTime } from 'luxon';
import rrulePackage from 'rrule';
import { InvalidRecurrenceError } from './event.errors.js';

const { RRule } = rrulePackage;
type RRuleOptions = ReturnType<typeof RRule.parseString>;

/** At most this many occurrences in one series (two years of a daily event). */
export const MAX_OCCURRENCES = 730;
/** The last occurrence starts at most this long after the first (ms, two years and a day). */
export const MAX_SERIES_SPAN_MS = (2 * 366 + 1) * 86_400_000;
/** Frequencies an event may repeat at (no hourly or finer: every occurrence starts at the event's local time). */
const FREQUENCIES = new Map<number, string>([
  [RRule.YEARLY, 'YEARLY'],
  [RRule.MONTHLY, 'MONTHLY'],
  [RRule.WEEKLY, 'WEEKLY'],
  [RRule.DAILY, 'DAILY'],
]);

export type OccurrenceTime = { startsAt: Date; endsAt: Date };

export type ParsedRecurrence = {
  /** The normalised rule as stored and written to ICS (`FREQ=…;…`, UNTIL in UTC). */
  rule: string;
  options: Partial<RRuleOptions>;
};

/**
 * An RFC 5545 RRULE value (with or without the `RRULE:` prefix) → the normalised rule. The rule must
 * be bounded (COUNT or UNTIL), repeat DAILY, WEEKLY, MONTHLY or YEARLY, and set no BYHOUR, BYMINUTE,
 * BYSECOND or DTSTART (the event's start is the DTSTART; occurrences keep its local time of day).
 */
export function parseRecurrence(value: string): ParsedRecurrence {
  const raw = value.trim().replace(/^RRULE:/i, '');
  if (raw.length === 0 || raw.length > 500 || /[\r\n]/.test(raw) || /DTSTART|TZID/i.test(raw))
    throw new InvalidRecurrenceError('Give one RRULE value such as "FREQ=WEEKLY;COUNT=10" (no DTSTART).');
  let options: Partial<RRuleOptions>;
  try {
    options = RRule.parseString(raw);
  } catch (error) {
    throw new InvalidRecurrenceError(`The recurrence rule is not valid: ${(error as Error).message}.`);
  }
  for (const part of raw.split(';')) {
    const [name, val] = part.split('=');
    if (!name || val === undefined || val.length === 0)
      throw new InvalidRecurrenceError(`The recurrence rule has an empty or malformed part "${part}".`);
  }
  if (options.freq === undefined || options.freq === null || !FREQUENCIES.has(options.freq))
    throw new InvalidRecurrenceError('FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.');
  if (options.byhour != null || options.byminute != null || options.bysecond != null)
    throw new InvalidRecurrenceError(
      'BYHOUR, BYMINUTE and BYSECOND are not supported: occurrences start at the event’s time.',
    );
  if (
    options.interval != null &&
    (!Number.isInteger(options.interval) || options.interval < 1 || options.interval > 366)
  )
    throw new InvalidRecurrenceError('INTERVAL must be between 1 and 366.');
  const hasCount = options.count != null;
  const hasUntil = options.until != null;
  if (hasCount === hasUntil)
    throw new InvalidRecurrenceError('The rule must end: give exactly one of COUNT and UNTIL.');
  if (
    hasCount &&
    (!Number.isInteger(options.count) || (options.count ?? 0) < 1 || (options.count ?? 0) > MAX_OCCURRENCES)
  )
    throw new InvalidRecurrenceError(`COUNT must be between 1 and ${MAX_OCCURRENCES}.`);
  if (hasUntil && Number.isNaN(options.until?.getTime()))
    throw new InvalidRecurrenceError('UNTIL is not a valid date-time.');
  return { rule: RRule.optionsToString(options).replace(/^RRULE:/, ''), options };
}

/** The wall-clock fields of `instant` in `zone`, as a Date whose UTC fields are those (rrule's "floating" time). */
function floating(instant: Date, zone: string): Date {
  const local = DateTime.fromJSDate(instant, { zone });
  return new Date(Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second));
}

/** A floating wall-clock time (UTC fields) → the instant it denotes in `zone` (a time in a DST gap moves forward). */
function instantOf(wall: Date, zone: string): Date {
  return DateTime.fromObject(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
    },
    { zone },
  ).toJSDate();
}

/** The local wall-clock time of an instant in a zone, `YYYY-MM-DDTHH:mm` (e.g. for clients and tests). */
export function localTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-LL-dd'T'HH:mm");
}

/**
 * Every occurrence of an event: the one start for a one-off event, else the rule expanded in the
 * event's time zone (each occurrence at the start's local time of day, whatever the UTC offset on that
 * date — DST-correct), each lasting exactly as long as the first (RFC 5545 §3.8.5.3). Throws
 * INVALID_RECURRENCE when the start is not itself an occurrence of the rule or the series is too long.
 */
export function expandOccurrences(
  startsAt: Date,
  endsAt: Date,
  timeZone: string,
  recurrence: ParsedRecurrence | null,
): OccurrenceTime[] {
  const duration = endsAt.getTime() - startsAt.getTime();
  if (!recurrence) return [{ startsAt, endsAt }];
  const { options } = recurrence;
  const dtstart = floating(startsAt, timeZone);
  // UNTIL is an instant (UTC); in floating time it is the wall clock at that instant in the zone.
  const until = options.until ? floating(options.until, timeZone) : null;
  const rule = new RRule({ ...options, dtstart, until, tzid: null });
  const walls: Date[] = [];
  rule.all((date, index) => {
    walls.push(date);
    return index < MAX_OCCURRENCES; // collects one more than the cap to detect an overlong series
  });
  if (walls.length === 0)
    throw new InvalidRecurrenceError('The rule has no occurrence at or after the start.');
  if (walls[0]?.getTime() !== dtstart.getTime())
    throw new InvalidRecurrenceError(
      'The start must be the first occurrence of the rule (e.g. a Monday for BYDAY=MO).',
    );
  if (walls.length > MAX_OCCURRENCES)
    throw new InvalidRecurrenceError(`A series has at most ${MAX_OCCURRENCES} occurrences.`);
  const occurrences = walls.map((wall) => {
    const start = instantOf(wall, timeZone);
    return { startsAt: start, endsAt: new Date(start.getTime() + duration) };
  });
  const last = occurrences.at(-1);
  if (last && last.startsAt.getTime() - startsAt.getTime() > MAX_SERIES_SPAN_MS)
    throw new InvalidRecurrenceError('A series spans at most two years.');
  return occurrences;
}
