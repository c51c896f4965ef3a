import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { NotFoundError, type Viewer } from '@edugraph/kit';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventStatus, type ICalCalendar } from 'ical-generator';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { DAY_MS } from '../../common/clock.js';
import { isUuid } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import { canSeeEventDetails } from './event-access.js';
import { EventEntity } from './event.entity.js';
import { htmlToText } from '../../common/rich-text.js';

const S = '"community"';
/** Feeds list events that ended at most this long ago. */
export const FEED_HISTORY_MS = 90 * DAY_MS;
/** At most this many VEVENTs in one feed. */
export const MAX_FEED_ITEMS = 1000;

export type EventCalendarOptions = {
  /** Base URL (origin) the community subgraph's `/ics/...` routes are reached at. */
  publicUrl: () => string;
  /** HMAC key of feed tokens (`COMMUNITY_CALENDAR_SECRET`). */
  secret: string;
  /** `https://app.example/communities/{communityId}/events/{eventId}` — the URL of an event page, if any. */
  eventPageUrl?: string | null;
};

type FeedOccurrence = {
  occurrence_id: string;
  event_id: string;
  starts_at: Date;
  ends_at: Date;
  occurrence_cancelled_at: Date | null;
  status: string;
};

/** The same user id, as in feed tokens (32 hex digits, no dashes). */
function compactUuid(id: string): string {
  return id.replace(/-/g, '').toLowerCase();
}

function expandUuid(hex: string): string | null {
  if (!/^[0-9a-f]{32}$/.test(hex)) return null;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return isUuid(id) ? id : null;
}

function icsTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyyLLdd'T'HHmmss");
}

/**
 * ICS calendar feeds (ical-generator, VTIMEZONE from @touch4it/ical-timezones): a community's events
 * (public events of a public community without a token; with a member's token, everything that
 * member sees) and a member's own GOING/INTERESTED occurrences across communities. Tokens are
 * `<user id hex>.<HMAC(secret, scope|user|salt)>`; rotating the user's salt revokes all of them.
 */
export class EventCalendarService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
    private readonly options: EventCalendarOptions,
  ) {}

  private mac(scope: string, userId: string, salt: string | null): string {
    return createHmac('sha256', this.options.secret)
      .update(`${scope}|${userId}|${salt ?? ''}`)
      .digest()
      .subarray(0, 18)
      .toString('base64url');
  }

  token(scope: string, userId: string, salt: string | null): string {
    return `${compactUuid(userId)}.${this.mac(scope, userId, salt)}`;
  }

  /** The user a token was issued to for `scope`, or null (malformed, forged or revoked). */
  async verify(token: string, scope: string): Promise<string | null> {
    const [hex, mac, extra] = token.split('.');
    if (!hex || !mac || extra !== undefined || mac.length > 64) return null;
    const userId = expandUuid(hex);
    if (!userId) return null;
    const rows: { salt: string }[] = await this.dataSource.query(
      `SELECT salt FROM ${S}.event_calendar_secrets WHERE user_id = $1`,
      [userId],
    );
    const expected = Buffer.from(this.mac(scope, userId, rows[0]?.salt ?? null));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
  }

  private base(): string {
    return this.options.publicUrl().replace(/\/+$/, '');
  }

  memberFeedUrl(userId: string, salt: string | null): string {
    return `${this.base()}/ics/member/${this.token('member', userId, salt)}.ics`;
  }

  /** A community's feed URL; with `userId`, signed for that member (their MEMBERS-only events too). */
  communityFeedUrl(communityId: string, userId: string | null, salt: string | null): string {
    const url = `${this.base()}/ics/community/${communityId}.ics`;
    return userId ? `${url}?token=${this.token(`community:${communityId}`, userId, salt)}` : url;
  }

  /** A new salt for the viewer: every feed URL issued before stops working. Returns the salt. */
  async rotate(viewer: Viewer): Promise<string> {
    const salt = randomBytes(16).toString('base64url');
    await this.dataSource.query(
      `INSERT INTO ${S}.event_calendar_secrets (user_id, salt, rotated_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_id) DO UPDATE SET salt = EXCLUDED.salt, rotated_at = EXCLUDED.rotated_at`,
      [viewer.userId, salt, this.clock.now()],
    );
    return salt;
  }

  private calendar(name: string): ICalCalendar {
    return ical({
      name,
      prodId: { company: 'Edugraph', product: 'Community events', language: 'EN' },
      timezone: { name: null, generator: getVtimezoneComponent },
      ttl: 3600,
    });
  }

  private pageUrl(event: EventEntity): string | null {
    const template = this.options.eventPageUrl;
    return template
      ? template.replace('{communityId}', event.communityId).replace('{eventId}', event.id)
      : null;
  }

  /** One VEVENT: the series with its RRULE (and EXDATEs) or a single occurrence (`occurrence`). */
  private addEvent(
    calendar: ICalCalendar,
    event: EventEntity,
    details: boolean,
    now: Date,
    occurrence: { startsAt: Date; endsAt: Date; cancelled: boolean; tentative: boolean } | null,
    excluded: Date[] = [],
  ): void {
    const zone = event.timeZone;
    const series = occurrence === null && event.recurrence !== null;
    const start = occurrence?.startsAt ?? event.startsAt;
    const end = occurrence?.endsAt ?? event.endsAt;
    const uid =
      occurrence && event.recurrence !== null
        ? `${event.id}-${DateTime.fromJSDate(start, { zone: 'UTC' }).toFormat("yyyyLLdd'T'HHmmss'Z'")}@edugraph`
        : `${event.id}@edugraph`;
    const meeting = details ? (event.meetingUrl ?? null) : null;
    const description = htmlToText(event.description);
    const cancelled = event.cancelledAt !== null || occurrence?.cancelled === true;
    calendar.createEvent({
      id: uid,
      sequence: event.sequence,
      stamp: now,
      created: event.createdAt,
      lastModified: event.updatedAt,
      start: DateTime.fromJSDate(start, { zone }),
      end: DateTime.fromJSDate(end, { zone }),
      timezone: zone,
      summary: event.title,
      description: meeting ? `${description}\n\nJoin: ${meeting}`.trim() : description,
      status: cancelled
        ? ICalEventStatus.CANCELLED
        : occurrence?.tentative
          ? ICalEventStatus.TENTATIVE
          : ICalEventStatus.CONFIRMED,
      location:
        event.format === 'IN_PERSON' &&
        event.address !== null &&
        event.latitude !== null &&
        event.longitude !== null
          ? { title: event.address, geo: { lat: event.latitude, lon: event.longitude } }
          : meeting
            ? meeting
            : 'Online',
      url: meeting ?? this.pageUrl(event),
      ...(series
        ? {
            repeating: [
              `RRULE:${event.recurrence}`,
              ...(excluded.length > 0
                ? [`EXDATE;TZID=${zone}:${excluded.map((d) => icsTime(d, zone)).join(',')}`]
                : []),
            ].join('\n'),
          }
        : {}),
    });
  }

  /**
   * A community's feed, or null (→ 404) when the community is missing, hidden, or the token is not
   * valid. Without a token: PUBLIC events of a PUBLIC community (no meeting links). With a member's
   * token: what that member sees now (MEMBERS-only events and meeting links for active members).
   */
  async communityFeed(communityId: string, token: string | null): Promise<string | null> {
    if (!isUuid(communityId)) return null;
    let context: CommunityAccessContext;
    try {
      if (token) {
        const userId = await this.verify(token, `community:${communityId}`);
        if (!userId) return null;
        const viewer: Viewer = {
          userId,
          sessionId: null,
          roles: [],
          scopes: [],
          apiKeyId: null,
          expiresAt: 0,
        };
        context = await this.access.resolve(viewer, communityId);
      } else {
        context = await this.access.resolve(null, communityId);
        if (context.community.visibility !== 'PUBLIC') return null;
      }
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    if (!context.canRead) return null;
    const details = canSeeEventDetails(context);
    const now = this.clock.now();
    const events = await this.dataSource
      .getRepository(EventEntity)
      .createQueryBuilder('e')
      .where('e.community_id = :communityId AND e.series_ends_at > :since', {
        communityId,
        since: new Date(now.getTime() - FEED_HISTORY_MS),
      })
      .andWhere(details ? 'TRUE' : `e.visibility = 'PUBLIC'`)
      .orderBy('e.starts_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .take(MAX_FEED_ITEMS)
      .getMany();
    const recurring = events.filter((e) => e.recurrence !== null).map((e) => e.id);
    const cancelled: { event_id: string; starts_at: Date }[] =
      recurring.length === 0
        ? []
        : await this.dataSource.query(
            `SELECT event_id, starts_at FROM ${S}.event_occurrences
              WHERE event_id = ANY($1::uuid[]) AND cancelled_at IS NOT NULL ORDER BY starts_at`,
            [recurring],
          );
    const calendar = this.calendar(context.community.name);
    for (const event of events)
      this.addEvent(
        calendar,
        event,
        details,
        now,
        null,
        cancelled.filter((c) => c.event_id === event.id).map((c) => new Date(c.starts_at)),
      );
    return calendar.toString();
  }

  /**
   * A member's feed (token scope `member`), or null when the token is not valid: every occurrence
   * they answered GOING or INTERESTED (TENTATIVE) in communities where they are an active member,
   * from 90 days back, one VEVENT per occurrence (UID `<event>-<start>@edugraph` for series).
   */
  async memberFeed(token: string): Promise<string | null> {
    const userId = await this.verify(token, 'member');
    if (!userId) return null;
    const now = this.clock.now();
    const rows: FeedOccurrence[] = await this.dataSource.query(
      `SELECT o.id AS occurrence_id, o.event_id, o.starts_at, o.ends_at,
              o.cancelled_at AS occurrence_cancelled_at, r.status
         FROM ${S}.event_rsvps r
         JOIN ${S}.event_occurrences o ON o.id = r.occurrence_id
         JOIN ${S}.memberships m ON m.community_id = r.community_id AND m.user_id = r.user_id AND m.status = 'ACTIVE'
        WHERE r.user_id = $1 AND r.status IN ('GOING', 'INTERESTED') AND o.ends_at > $2
        ORDER BY o.starts_at, o.id LIMIT $3`,
      [userId, new Date(now.getTime() - FEED_HISTORY_MS), MAX_FEED_ITEMS],
    );
    const ids = [...new Set(rows.map((r) => r.event_id))];
    const events =
      ids.length === 0
        ? []
        : await this.dataSource.getRepository(EventEntity).createQueryBuilder('e').whereInIds(ids).getMany();
    const byId = new Map(events.map((e) => [e.id, e]));
    const calendar = this.calendar('My community events');
    for (const row of rows) {
      const event = byId.get(row.event_id);
      if (!event) continue;
      this.addEvent(calendar, event, true, now, {
        startsAt: new Date(row.starts_at),
        endsAt: new Date(row.ends_at),
        cancelled: row.occurrence_cancelled_at !== null,
        tentative: row.status !== 'GOING',
      });
    }
    return calendar.toString();
  }
}
