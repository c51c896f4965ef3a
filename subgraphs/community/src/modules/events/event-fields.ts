import { BadUserInputError } from '@edugraph/kit';
import { assertUuid, intInRange, text } from '../../common/validation.js';
import type { EventEntity, EventFormat, EventVisibility } from './event.entity.js';
import { InvalidEventTimeError, InvalidTimeZoneError } from './event.errors.js';
import { sanitizeRichHtml } from '../../common/rich-text.js';

/** Longest event description we store, in characters of sanitised HTML. */
export const MAX_DESCRIPTION_LENGTH = 20_000;

export const MAX_EVENT_DURATION_MS = 7 * 86_400_000;
export const MAX_CAPACITY = 100_000;
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);
const LIVE_SESSION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export type EventLocationFields = { latitude: number; longitude: number; address: string };

/** What create and update accept (update: absent = unchanged, null = cleared where that makes sense). */
export type EventFields = {
  title?: string | null;
  description?: string | null;
  format?: EventFormat | null;
  meetingUrl?: string | null;
  liveSessionId?: string | null;
  location?: EventLocationFields | null;
  timeZone?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  recurrence?: string | null;
  capacity?: number | null;
  coverAssetId?: string | null;
  visibility?: EventVisibility | null;
};

/** An IANA zone name Intl knows, in its canonical spelling; INVALID_TIME_ZONE otherwise. */
export function canonicalTimeZone(value: string): string {
  const zone = value.trim();
  if (zone.length > 0 && zone.length <= 64)
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    } catch {
      // fall through
    }
  throw new InvalidTimeZoneError(value);
}

function httpsUrl(value: string): string {
  const trimmed = value.trim();
  let url: URL | null = null;
  try {
    url = new URL(trimmed);
  } catch {
    url = null;
  }
  if (!url || url.protocol !== 'https:' || url.username || url.password || trimmed.length > 2000)
    throw new BadUserInputError(
      '"meetingUrl" must be an https:// link (at most 2,000 characters).',
      'meetingUrl',
    );
  return url.toString();
}

function coordinate(value: number, field: string, limit: number): number {
  if (!Number.isFinite(value) || value < -limit || value > limit)
    throw new BadUserInputError(`"${field}" must be between -${limit} and ${limit}.`, field);
  return value;
}

function instant(value: Date, field: 'startsAt' | 'endsAt'): Date {
  const time = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(time) || time < EARLIEST || time >= LATEST)
    throw new InvalidEventTimeError(`"${field}" must be a date-time between 2000 and 2100.`, field);
  return new Date(time);
}

/**
 * Applies and validates everything but the recurrence (the caller expands it): title 1–200,
 * sanitised description, ONLINE (exactly one of an https meeting link and a live session id) or
 * IN_PERSON (a location with an address), canonical IANA zone, end after start and at most 7 days
 * later, capacity 1–100,000 or null (unlimited), cover asset, visibility.
 */
export function applyEventFields(event: EventEntity, fields: EventFields): void {
  if (fields.title !== undefined && fields.title !== null) event.title = text(fields.title, 'title', 1, 200);
  if (fields.description !== undefined) {
    const html = sanitizeRichHtml(fields.description ?? '');
    if (html.length > MAX_DESCRIPTION_LENGTH)
      throw new BadUserInputError(
        `"description" has at most ${MAX_DESCRIPTION_LENGTH} characters of HTML.`,
        'description',
      );
    event.description = html;
  }
  if (fields.format) event.format = fields.format;
  const meetingUrl = fields.meetingUrl ? httpsUrl(fields.meetingUrl) : fields.meetingUrl;
  const liveSessionId = fields.liveSessionId ? fields.liveSessionId.trim() : fields.liveSessionId;
  if (liveSessionId && !LIVE_SESSION_ID.test(liveSessionId))
    throw new BadUserInputError(
      '"liveSessionId" has 1–128 letters, digits and . _ : - characters.',
      'liveSessionId',
    );
  if (event.format === 'ONLINE') {
    if (fields.location)
      throw new BadUserInputError('An ONLINE event has no location; use IN_PERSON.', 'location');
    event.latitude = null;
    event.longitude = null;
    event.address = null;
    // Setting one of the two ways to join replaces the other.
    if (meetingUrl !== undefined) event.meetingUrl = meetingUrl;
    if (liveSessionId !== undefined) event.liveSessionId = liveSessionId;
    if (meetingUrl && liveSessionId === undefined) event.liveSessionId = null;
    if (liveSessionId && meetingUrl === undefined) event.meetingUrl = null;
    if ((event.meetingUrl === null) === (event.liveSessionId === null))
      throw new BadUserInputError(
        'An ONLINE event needs exactly one of "meetingUrl" and "liveSessionId".',
        'meetingUrl',
      );
  } else {
    if (meetingUrl || liveSessionId)
      throw new BadUserInputError(
        'An IN_PERSON event has no meeting link or live session; use ONLINE.',
        meetingUrl ? 'meetingUrl' : 'liveSessionId',
      );
    event.meetingUrl = null;
    event.liveSessionId = null;
    if (fields.location !== undefined) {
      const location = fields.location;
      event.latitude = location ? coordinate(location.latitude, 'location.latitude', 90) : null;
      event.longitude = location ? coordinate(location.longitude, 'location.longitude', 180) : null;
      event.address = location ? text(location.address, 'location.address', 1, 300) : null;
    }
    if (event.latitude === null || event.longitude === null || event.address === null)
      throw new BadUserInputError('An IN_PERSON event needs a location with an address.', 'location');
  }
  if (fields.timeZone !== undefined && fields.timeZone !== null)
    event.timeZone = canonicalTimeZone(fields.timeZone);
  if (fields.startsAt !== undefined && fields.startsAt !== null) event.startsAt = fields.startsAt;
  if (fields.endsAt !== undefined && fields.endsAt !== null) event.endsAt = fields.endsAt;
  event.startsAt = instant(event.startsAt, 'startsAt');
  event.endsAt = instant(event.endsAt, 'endsAt');
  const duration = event.endsAt.getTime() - event.startsAt.getTime();
  if (duration <= 0) throw new InvalidEventTimeError('"endsAt" must be after "startsAt".', 'endsAt');
  if (duration > MAX_EVENT_DURATION_MS)
    throw new InvalidEventTimeError('An event (one occurrence) lasts at most 7 days.', 'endsAt');
  if (fields.capacity !== undefined)
    event.capacity =
      fields.capacity === null ? null : intInRange(fields.capacity, 'capacity', 1, MAX_CAPACITY);
  if (fields.coverAssetId !== undefined)
    event.coverAssetId =
      fields.coverAssetId === null ? null : assertUuid(fields.coverAssetId, 'coverAssetId');
  if (fields.visibility) event.visibility = fields.visibility;
}
