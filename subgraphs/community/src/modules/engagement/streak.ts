/**
 * Streaks count calendar days in the member's time zone: activities on the same local day change
 * nothing, one on the next local day adds 1, a gap of a day or more starts again at 1. Days are
 * compared as calendar dates (not 24-hour spans), so the 23- and 25-hour days of a DST switch are
 * ordinary consecutive days. An activity dated before the last active day (a late event) leaves the
 * streak as it is.
 */
export type StreakState = {
  current: number;
  longest: number;
  /** The local calendar day (`YYYY-MM-DD`) of the last counted activity. */
  lastActiveDay: string | null;
};

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    formatters.set(zone, format);
  }
  return format;
}

/** The calendar day (`YYYY-MM-DD`) an instant falls on in an IANA zone (UTC for an unknown zone). */
export function localDay(instant: Date, zone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatter(zone).formatToParts(instant);
  } catch {
    parts = formatter('UTC').formatToParts(instant);
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The UTC calendar day of an instant (leaderboard buckets). */
export function utcDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (both `YYYY-MM-DD`); positive when `b` is later. */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/** `day` plus `days` calendar days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The state after an activity on local day `day`. */
export function applyActivity(state: StreakState, day: string): StreakState {
  if (state.lastActiveDay === null)
    return { current: 1, longest: Math.max(state.longest, 1), lastActiveDay: day };
  const gap = daysBetween(state.lastActiveDay, day);
  if (gap <= 0) return state;
  const current = gap === 1 ? state.current + 1 : 1;
  return { current, longest: Math.max(state.longest, current), lastActiveDay: day };
}

/**
 * The streak as it stands on local day `today`: the stored one while it can still continue (the last
 * activity was today or yesterday), else 0 — the next activity starts again at 1.
 */
export function currentStreak(state: StreakState, today: string): number {
  if (state.lastActiveDay === null) return 0;
  return daysBetween(state.lastActiveDay, today) <= 1 ? state.current : 0;
}
