import {
  BadUserInputError,
  decodeCursor,
  encodeCursor,
  pageSize,
  paginate,
  type Connection,
  type ConnectionArgs,
} from '@edugraph/kit';
import { In, type DataSource } from 'typeorm';
import { DAY_MS } from '../../common/clock.js';
import { isUuid } from '../../common/validation.js';
import { MembershipEntity } from '../membership/membership.entity.js';
import { EventEntity, EventOccurrenceEntity, EventRsvpEntity, type RsvpStatus } from './event.entity.js';
import { MAX_EVENT_DURATION_MS } from './event-fields.js';

const S = '"community"';
/** Longest calendar window one query covers. */
export const MAX_WINDOW_MS = 366 * DAY_MS;
/** Default calendar window: from now, five weeks. */
export const DEFAULT_WINDOW_MS = 35 * DAY_MS;

export type CalendarWindow = { from: Date; to: Date };

export type OccurrenceCounts = {
  going: number;
  interested: number;
  declined: number;
  waitlisted: number;
  attended: number;
};

/** An RSVP with its place in the waitlist (1-based, null unless WAITLISTED). */
export type RsvpView = EventRsvpEntity & { waitlistPosition: number | null };

/** A page of one event's occurrences in a window (batched: one statement per distinct arguments). */
export type OccurrencePageKey = {
  eventId: string;
  from: string;
  to: string;
  includeCancelled: boolean;
  first: number;
  after: string | null;
};

/** A page of one occurrence's RSVPs of one status, in request order. */
export type RsvpPageKey = { occurrenceId: string; status: RsvpStatus; first: number; after: string | null };

type OccurrenceRow = {
  id: string;
  event_id: string;
  community_id: string;
  starts_at: Date;
  ends_at: Date;
  cancelled_at: Date | null;
};

type RsvpRow = {
  id: string;
  occurrence_id: string;
  event_id: string;
  community_id: string;
  user_id: string;
  status: RsvpStatus;
  seq: string;
  requested_at: Date;
  promoted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  position: number | null;
};

function occurrenceOf(row: OccurrenceRow): EventOccurrenceEntity {
  return Object.assign(new EventOccurrenceEntity(), {
    id: row.id,
    eventId: row.event_id,
    communityId: row.community_id,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    cancelledAt: row.cancelled_at ? new Date(row.cancelled_at) : null,
  });
}

function rsvpOf(row: RsvpRow): RsvpView {
  return Object.assign(new EventRsvpEntity(), {
    id: row.id,
    occurrenceId: row.occurrence_id,
    eventId: row.event_id,
    communityId: row.community_id,
    userId: row.user_id,
    status: row.status,
    seq: String(row.seq),
    requestedAt: new Date(row.requested_at),
    promotedAt: row.promoted_at ? new Date(row.promoted_at) : null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    waitlistPosition: row.position === null ? null : Number(row.position),
  });
}

/** `from`/`to` → a validated window (default: now to five weeks later; at most 366 days). */
export function calendarWindow(
  from: Date | null | undefined,
  to: Date | null | undefined,
  now: Date,
): CalendarWindow {
  const start = from ?? now;
  const end = to ?? new Date(start.getTime() + DEFAULT_WINDOW_MS);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end.getTime() <= start.getTime())
    throw new BadUserInputError('"to" must be after "from".', 'to');
  if (end.getTime() - start.getTime() > MAX_WINDOW_MS)
    throw new BadUserInputError('A calendar window spans at most 366 days.', 'to');
  return { from: start, to: end };
}

/** Groups keys with the same arguments so that each group costs one statement. */
function groupBy<K>(keys: readonly K[], signature: (key: K) => string): Map<string, K[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const s = signature(key);
    const group = groups.get(s);
    if (group) group.push(key);
    else groups.set(s, [key]);
  }
  return groups;
}

function connection<T>(rows: T[], limit: number, hadAfter: boolean, cursor: (t: T) => string): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ node, cursor: cursor(node) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: hadAfter,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

const occurrenceCursor = (o: EventOccurrenceEntity) => encodeCursor([o.startsAt.toISOString(), o.id]);

/** Reads of the events module, each a bounded number of statements (behind the request DataLoaders). */
export class EventQueries {
  constructor(private readonly dataSource: DataSource) {}

  async eventsByIds(ids: readonly string[]): Promise<EventEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length === 0 ? [] : this.dataSource.getRepository(EventEntity).findBy({ id: In(valid) });
  }

  async occurrencesByIds(ids: readonly string[]): Promise<EventOccurrenceEntity[]> {
    const valid = ids.filter(isUuid);
    return valid.length === 0
      ? []
      : this.dataSource.getRepository(EventOccurrenceEntity).findBy({ id: In(valid) });
  }

  async countsByOccurrenceIds(ids: readonly string[]): Promise<Map<string, OccurrenceCounts>> {
    const valid = ids.filter(isUuid);
    const counts = new Map<string, OccurrenceCounts>();
    if (valid.length === 0) return counts;
    const rows: ({ id: string } & OccurrenceCounts)[] = await this.dataSource.query(
      `SELECT k.id,
              count(r.id) FILTER (WHERE r.status = 'GOING')::int AS going,
              count(r.id) FILTER (WHERE r.status = 'INTERESTED')::int AS interested,
              count(r.id) FILTER (WHERE r.status = 'DECLINED')::int AS declined,
              count(r.id) FILTER (WHERE r.status = 'WAITLISTED')::int AS waitlisted,
              (SELECT count(*) FROM ${S}.event_attendances a WHERE a.occurrence_id = k.id)::int AS attended
         FROM unnest($1::uuid[]) AS k(id)
         LEFT JOIN ${S}.event_rsvps r ON r.occurrence_id = k.id
        GROUP BY k.id`,
      [valid],
    );
    for (const { id, ...c } of rows) counts.set(id, c);
    return counts;
  }

  private static readonly POSITION = `CASE WHEN r.status = 'WAITLISTED' THEN
      (SELECT count(*) FROM ${S}.event_rsvps w
        WHERE w.occurrence_id = r.occurrence_id AND w.status = 'WAITLISTED' AND w.seq <= r.seq)::int END`;

  /** RSVPs for `occurrenceId|userId` keys, with waitlist positions. */
  async rsvpsByKeys(keys: readonly string[]): Promise<RsvpView[]> {
    const pairs = keys.map((k) => k.split('|')).filter((p): p is [string, string] => p.length === 2);
    const valid = pairs.filter(([o, u]) => isUuid(o) && isUuid(u));
    if (valid.length === 0) return [];
    const rows: RsvpRow[] = await this.dataSource.query(
      `SELECT r.*, ${EventQueries.POSITION} AS position
         FROM ${S}.event_rsvps r
         JOIN unnest($1::uuid[], $2::uuid[]) AS k(o, u) ON r.occurrence_id = k.o AND r.user_id = k.u`,
      [valid.map(([o]) => o), valid.map(([, u]) => u)],
    );
    return rows.map(rsvpOf);
  }

  /** The `occurrenceId|userId` keys that have an attendance row. */
  async attendedKeys(keys: readonly string[]): Promise<Set<string>> {
    const pairs = keys.map((k) => k.split('|')).filter((p): p is [string, string] => p.length === 2);
    const valid = pairs.filter(([o, u]) => isUuid(o) && isUuid(u));
    if (valid.length === 0) return new Set();
    const rows: { occurrence_id: string; user_id: string }[] = await this.dataSource.query(
      `SELECT a.occurrence_id, a.user_id FROM ${S}.event_attendances a
         JOIN unnest($1::uuid[], $2::uuid[]) AS k(o, u) ON a.occurrence_id = k.o AND a.user_id = k.u`,
      [valid.map(([o]) => o), valid.map(([, u]) => u)],
    );
    return new Set(rows.map((r) => `${r.occurrence_id}|${r.user_id}`));
  }

  /** Each event's next occurrence that has not ended and is not cancelled. */
  async nextOccurrences(eventIds: readonly string[], now: Date): Promise<EventOccurrenceEntity[]> {
    const valid = eventIds.filter(isUuid);
    if (valid.length === 0) return [];
    const rows: OccurrenceRow[] = await this.dataSource.query(
      `SELECT DISTINCT ON (o.event_id) o.* FROM ${S}.event_occurrences o
        WHERE o.event_id = ANY($1::uuid[]) AND o.ends_at > $2 AND o.cancelled_at IS NULL
        ORDER BY o.event_id, o.starts_at, o.id`,
      [valid, now],
    );
    return rows.map(occurrenceOf);
  }

  /** Pages of occurrences per event (one statement per distinct window/page arguments). */
  async occurrencePages(keys: readonly OccurrencePageKey[]): Promise<Connection<EventOccurrenceEntity>[]> {
    const results = new Map<OccurrencePageKey, Connection<EventOccurrenceEntity>>();
    const groups = groupBy(keys, (k) => JSON.stringify([k.from, k.to, k.includeCancelled, k.first, k.after]));
    for (const group of groups.values()) {
      const [sample] = group;
      if (!sample) continue;
      const after = sample.after ? decodeCursor(sample.after, 2) : null;
      if (after && (Number.isNaN(Date.parse(String(after[0]))) || !isUuid(String(after[1]))))
        throw new BadUserInputError('The cursor is not valid.', 'after');
      const ids = group.map((k) => k.eventId).filter(isUuid);
      const rows: OccurrenceRow[] =
        ids.length === 0
          ? []
          : await this.dataSource.query(
              `SELECT o.* FROM unnest($1::uuid[]) AS k(event_id)
               CROSS JOIN LATERAL (
                 SELECT * FROM ${S}.event_occurrences x
                  WHERE x.event_id = k.event_id AND x.ends_at > $2 AND x.starts_at < $3
                    AND ($4 OR x.cancelled_at IS NULL)
                    AND ($5::timestamptz IS NULL OR (x.starts_at, x.id) > ($5::timestamptz, $6::uuid))
                  ORDER BY x.starts_at, x.id LIMIT $7
               ) o`,
              [
                ids,
                sample.from,
                sample.to,
                sample.includeCancelled,
                after ? String(after[0]) : null,
                after ? String(after[1]) : null,
                sample.first + 1,
              ],
            );
      const byEvent = new Map<string, EventOccurrenceEntity[]>();
      for (const row of rows) {
        const list = byEvent.get(row.event_id) ?? [];
        list.push(occurrenceOf(row));
        byEvent.set(row.event_id, list);
      }
      for (const key of group)
        results.set(
          key,
          connection(byEvent.get(key.eventId) ?? [], key.first, Boolean(key.after), occurrenceCursor),
        );
    }
    return keys.map((k) => results.get(k) ?? connection([], k.first, false, occurrenceCursor));
  }

  /** Pages of RSVPs per occurrence and status, in request order (one statement per distinct arguments). */
  async rsvpPages(keys: readonly RsvpPageKey[]): Promise<Connection<RsvpView>[]> {
    const results = new Map<RsvpPageKey, Connection<RsvpView>>();
    const groups = groupBy(keys, (k) => JSON.stringify([k.status, k.first, k.after]));
    for (const group of groups.values()) {
      const [sample] = group;
      if (!sample) continue;
      const after = sample.after ? String(decodeCursor(sample.after, 1)[0]) : null;
      if (after !== null && !/^\d{1,18}$/.test(after))
        throw new BadUserInputError('The cursor is not valid.', 'after');
      const ids = group.map((k) => k.occurrenceId).filter(isUuid);
      const rows: RsvpRow[] =
        ids.length === 0
          ? []
          : await this.dataSource.query(
              `SELECT r.*, ${EventQueries.POSITION} AS position FROM unnest($1::uuid[]) AS k(occurrence_id)
               CROSS JOIN LATERAL (
                 SELECT * FROM ${S}.event_rsvps x
                  WHERE x.occurrence_id = k.occurrence_id AND x.status = $2
                    AND ($3::bigint IS NULL OR x.seq > $3::bigint)
                  ORDER BY x.seq LIMIT $4
               ) r`,
              [ids, sample.status, after, sample.first + 1],
            );
      const byOccurrence = new Map<string, RsvpView[]>();
      for (const row of rows) {
        const list = byOccurrence.get(row.occurrence_id) ?? [];
        list.push(rsvpOf(row));
        byOccurrence.set(row.occurrence_id, list);
      }
      for (const key of group)
        results.set(
          key,
          connection(byOccurrence.get(key.occurrenceId) ?? [], key.first, Boolean(key.after), (r) =>
            encodeCursor([r.seq]),
          ),
        );
    }
    return keys.map(
      (k) => results.get(k) ?? connection<RsvpView>([], k.first, false, (r) => encodeCursor([r.seq])),
    );
  }

  /**
   * A community's calendar: occurrences overlapping the window, by start (keyset pages, one
   * statement). MEMBERS-only events only when `membersOnly`; cancelled ones only when asked.
   */
  async calendar(
    communityId: string,
    window: CalendarWindow,
    options: { membersOnly: boolean; includeCancelled: boolean },
    args: ConnectionArgs,
  ): Promise<Connection<EventOccurrenceEntity>> {
    const qb = this.dataSource
      .getRepository(EventOccurrenceEntity)
      .createQueryBuilder('o')
      .innerJoin(EventEntity, 'e', 'e.id = o.event_id')
      .where('o.community_id = :communityId', { communityId })
      // Occurrences last at most 7 days: the lower bound on the start keeps the index range small.
      .andWhere('o.starts_at < :to AND o.ends_at > :from AND o.starts_at > :earliest', {
        from: window.from,
        to: window.to,
        earliest: new Date(window.from.getTime() - MAX_EVENT_DURATION_MS),
      });
    if (!options.includeCancelled) qb.andWhere('o.cancelled_at IS NULL AND e.cancelled_at IS NULL');
    if (!options.membersOnly) qb.andWhere(`e.visibility = 'PUBLIC'`);
    return paginate(qb, args, { alias: 'o', sortBy: 'startsAt', direction: 'ASC', max: 100 });
  }

  /**
   * The user's upcoming occurrences (GOING, INTERESTED or WAITLISTED; not ended, not cancelled) in
   * communities where they are an active member, by start (one statement).
   */
  async upcoming(
    userId: string,
    now: Date,
    args: ConnectionArgs,
  ): Promise<Connection<EventOccurrenceEntity>> {
    pageSize(args.first);
    const qb = this.dataSource
      .getRepository(EventOccurrenceEntity)
      .createQueryBuilder('o')
      .innerJoin(
        EventRsvpEntity,
        'r',
        `r.occurrence_id = o.id AND r.user_id = :userId AND r.status IN ('GOING', 'INTERESTED', 'WAITLISTED')`,
        { userId },
      )
      .innerJoin(EventEntity, 'e', 'e.id = o.event_id AND e.cancelled_at IS NULL')
      .innerJoin(
        MembershipEntity,
        'm',
        `m.community_id = o.community_id AND m.user_id = :userId AND m.status = 'ACTIVE'`,
        { userId },
      )
      .where('o.ends_at > :now AND o.cancelled_at IS NULL', { now });
    return paginate(qb, args, { alias: 'o', sortBy: 'startsAt', direction: 'ASC', max: 100 });
  }

  /** Calendar-token salts of users who rotated theirs. */
  async saltsByUserIds(userIds: readonly string[]): Promise<Map<string, string>> {
    const valid = userIds.filter(isUuid);
    if (valid.length === 0) return new Map();
    const rows: { user_id: string; salt: string }[] = await this.dataSource.query(
      `SELECT user_id, salt FROM ${S}.event_calendar_secrets WHERE user_id = ANY($1::uuid[])`,
      [valid],
    );
    return new Map(rows.map((r) => [r.user_id, r.salt]));
  }
}
