import { randomUUID } from 'node:crypto';
import { NotFoundError, UnauthenticatedError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  COMMUNITY_EVENT_CANCELLED,
  COMMUNITY_EVENT_CREATED,
  COMMUNITY_EVENT_UPDATED,
  recordCommunityEvent,
} from '../../common/community-events.js';
import { isUuid, text } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import { canSeeEvent } from './event-access.js';
import { applyEventFields, type EventFields } from './event-fields.js';
import { promoteWaitlisted } from './event-waitlist.js';
import { EventEntity, EventOccurrenceEntity } from './event.entity.js';
import { EventCancelledError, InvalidRecurrenceError } from './event.errors.js';
import { expandOccurrences, MAX_OCCURRENCES, parseRecurrence, type OccurrenceTime } from './recurrence.js';

const S = '"community"';
/** Most user ids an event's cancellation names (the payload says when there were more). */
export const MAX_NOTIFIED_USERS = 10_000;

/** Events: creation, edits (occurrences re-materialised, waitlists promoted) and cancellation (EVENT_MANAGE). */
export class EventService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
  ) {}

  /** The community's context for a change by a signed-in manager (typed denial otherwise). */
  private async manage(
    viewer: Viewer | null,
    communityId: string,
    manager: EntityManager,
  ): Promise<CommunityAccessContext> {
    if (!viewer) throw new UnauthenticatedError();
    return this.access.require(viewer, communityId, 'EVENT_MANAGE', { manager });
  }

  /**
   * The event, locked for this transaction, with the viewer's context. NOT_FOUND when missing or
   * hidden from the viewer; the typed FORBIDDEN when the viewer may see it but not manage it.
   */
  private async lockForManager(
    viewer: Viewer | null,
    eventId: string,
    manager: EntityManager,
  ): Promise<{ event: EventEntity; context: CommunityAccessContext }> {
    if (!viewer) throw new UnauthenticatedError();
    const event = isUuid(eventId)
      ? await manager
          .getRepository(EventEntity)
          .createQueryBuilder('e')
          .where('e.id = :eventId', { eventId })
          .setLock('pessimistic_write')
          .getOne()
      : null;
    if (!event) throw new NotFoundError('Event');
    const context = await this.access.resolve(viewer, event.communityId, { manager });
    if (!canSeeEvent(context, event)) throw new NotFoundError('Event');
    this.access.assert(context, 'EVENT_MANAGE');
    return { event, context };
  }

  private expand(event: EventEntity): OccurrenceTime[] {
    const recurrence = event.recurrence ? parseRecurrence(event.recurrence) : null;
    if (recurrence) event.recurrence = recurrence.rule;
    return expandOccurrences(event.startsAt, event.endsAt, event.timeZone, recurrence);
  }

  private async insertOccurrences(
    manager: EntityManager,
    event: EventEntity,
    times: OccurrenceTime[],
  ): Promise<void> {
    if (times.length === 0) return;
    await manager.query(
      `INSERT INTO ${S}.event_occurrences (id, event_id, community_id, starts_at, ends_at)
       SELECT gen_random_uuid(), $1, $2, s, e FROM unnest($3::timestamptz[], $4::timestamptz[]) AS t(s, e)`,
      [event.id, event.communityId, times.map((t) => t.startsAt), times.map((t) => t.endsAt)],
    );
  }

  async create(viewer: Viewer | null, communityId: string, fields: EventFields & { title: string }) {
    return this.dataSource.transaction(async (manager) => {
      await this.manage(viewer, communityId, manager);
      const now = this.clock.now();
      const event = Object.assign(new EventEntity(), {
        id: randomUUID(),
        communityId,
        createdBy: viewer?.userId ?? '',
        title: '',
        description: '',
        format: fields.format ?? 'ONLINE',
        meetingUrl: null,
        liveSessionId: null,
        latitude: null,
        longitude: null,
        address: null,
        timeZone: 'UTC',
        startsAt: fields.startsAt ?? new Date(Number.NaN),
        endsAt: fields.endsAt ?? new Date(Number.NaN),
        recurrence: fields.recurrence ?? null,
        occurrenceCount: 1,
        seriesEndsAt: now,
        capacity: null,
        coverAssetId: null,
        visibility: 'PUBLIC',
        sequence: 0,
        cancelledAt: null,
        cancelReason: null,
        createdAt: now,
        updatedAt: now,
      } satisfies EventEntity);
      applyEventFields(event, fields);
      const times = this.expand(event);
      event.occurrenceCount = times.length;
      event.seriesEndsAt = times.at(-1)?.endsAt ?? event.endsAt;
      await manager.getRepository(EventEntity).insert(event);
      await this.insertOccurrences(manager, event, times);
      await recordCommunityEvent(manager, COMMUNITY_EVENT_CREATED, {
        communityId,
        eventId: event.id,
        createdBy: event.createdBy,
        title: event.title,
        visibility: event.visibility,
        startsAt: event.startsAt.toISOString(),
        endsAt: event.endsAt.toISOString(),
        timeZone: event.timeZone,
        recurrence: event.recurrence,
        occurrenceCount: event.occurrenceCount,
        createdAt: now.toISOString(),
      });
      return event;
    });
  }

  /**
   * Edits an event. When its times, zone or recurrence change, the occurrences are re-materialised:
   * a one-off event's occurrence moves (RSVPs and attendance move with it); for a series, occurrences
   * that have ended stay as history and the others are paired in order with the new not-yet-ended
   * ones (each keeps its RSVPs), the surplus removed (with their RSVPs) or added. When the capacity
   * grows (or becomes unlimited) waitlisted members of upcoming occurrences are promoted in order;
   * a smaller capacity keeps everyone already going.
   */
  async update(viewer: Viewer | null, eventId: string, fields: EventFields) {
    return this.dataSource.transaction(async (manager) => {
      const { event } = await this.lockForManager(viewer, eventId, manager);
      if (event.cancelledAt) throw new EventCancelledError();
      const now = this.clock.now();
      const before = {
        startsAt: event.startsAt.getTime(),
        endsAt: event.endsAt.getTime(),
        timeZone: event.timeZone,
        recurrence: event.recurrence,
        capacity: event.capacity,
      };
      if (fields.recurrence !== undefined) event.recurrence = fields.recurrence;
      applyEventFields(event, fields);
      const times = this.expand(event);
      const timingChanged =
        before.startsAt !== event.startsAt.getTime() ||
        before.endsAt !== event.endsAt.getTime() ||
        before.timeZone !== event.timeZone ||
        before.recurrence !== event.recurrence;
      const capacityGrew =
        before.capacity !== null && (event.capacity === null || event.capacity > before.capacity);
      if (timingChanged || capacityGrew) {
        const occurrences = await manager
          .getRepository(EventOccurrenceEntity)
          .createQueryBuilder('o')
          .where('o.event_id = :eventId', { eventId: event.id })
          .orderBy('o.starts_at', 'ASC')
          .setLock('pessimistic_write')
          .getMany();
        if (timingChanged) await this.reconcile(manager, event, occurrences, times, now);
        if (capacityGrew) {
          const open = await manager.query(
            `SELECT id FROM ${S}.event_occurrences WHERE event_id = $1 AND ends_at > $2 AND cancelled_at IS NULL`,
            [event.id, now],
          );
          await promoteWaitlisted(
            manager,
            event,
            (open as { id: string }[]).map((r) => r.id),
            now,
          );
        }
      }
      event.sequence += 1;
      event.updatedAt = now;
      await manager.getRepository(EventEntity).save(event);
      await recordCommunityEvent(manager, COMMUNITY_EVENT_UPDATED, {
        communityId: event.communityId,
        eventId: event.id,
        title: event.title,
        timingChanged,
        startsAt: event.startsAt.toISOString(),
        occurrenceCount: event.occurrenceCount,
        updatedAt: now.toISOString(),
      });
      return event;
    });
  }

  private async reconcile(
    manager: EntityManager,
    event: EventEntity,
    existing: EventOccurrenceEntity[],
    times: OccurrenceTime[],
    now: Date,
  ): Promise<void> {
    // A one-off event stays one row (moving it keeps its RSVPs and attendance, even after it happened).
    const oneOff = existing.length === 1 && times.length === 1;
    const history = oneOff ? [] : existing.filter((o) => o.endsAt.getTime() <= now.getTime());
    const open = oneOff ? existing : existing.filter((o) => o.endsAt.getTime() > now.getTime());
    const taken = new Set(history.map((o) => o.startsAt.getTime()));
    const upcoming = oneOff
      ? times
      : times.filter((t) => t.endsAt.getTime() > now.getTime() && !taken.has(t.startsAt.getTime()));
    if (history.length + upcoming.length > MAX_OCCURRENCES)
      throw new InvalidRecurrenceError(
        `A series has at most ${MAX_OCCURRENCES} occurrences, past ones included.`,
      );
    const paired = Math.min(open.length, upcoming.length);
    if (paired > 0)
      await manager.query(
        `UPDATE ${S}.event_occurrences o SET starts_at = t.s, ends_at = t.e
           FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[]) AS t(id, s, e) WHERE o.id = t.id`,
        [
          open.slice(0, paired).map((o) => o.id),
          upcoming.slice(0, paired).map((t) => t.startsAt),
          upcoming.slice(0, paired).map((t) => t.endsAt),
        ],
      );
    const removed = open.slice(paired).map((o) => o.id);
    if (removed.length > 0)
      await manager.query(`DELETE FROM ${S}.event_occurrences WHERE id = ANY($1::uuid[])`, [removed]);
    await this.insertOccurrences(manager, event, upcoming.slice(paired));
    const ends = [...history.map((o) => o.endsAt), ...upcoming.map((t) => t.endsAt)];
    event.occurrenceCount = history.length + upcoming.length;
    event.seriesEndsAt = new Date(Math.max(...ends.map((d) => d.getTime()), event.endsAt.getTime()));
    if (event.occurrenceCount === 0)
      throw new InvalidRecurrenceError('The new schedule has no occurrence that has not ended yet.');
  }

  /** Who is affected by cancelling these occurrences: GOING, INTERESTED or waitlisted, capped. */
  private async affectedUsers(
    manager: EntityManager,
    eventId: string,
    occurrenceId: string | null,
    now: Date,
  ): Promise<{ userIds: string[]; truncated: boolean }> {
    const rows: { user_id: string }[] = await manager.query(
      `SELECT DISTINCT r.user_id FROM ${S}.event_rsvps r
         JOIN ${S}.event_occurrences o ON o.id = r.occurrence_id
        WHERE r.event_id = $1 AND ($2::uuid IS NULL OR r.occurrence_id = $2::uuid) AND o.ends_at > $3
          AND r.status IN ('GOING', 'INTERESTED', 'WAITLISTED')
        ORDER BY r.user_id LIMIT $4`,
      [eventId, occurrenceId, now, MAX_NOTIFIED_USERS + 1],
    );
    return {
      userIds: rows.slice(0, MAX_NOTIFIED_USERS).map((r) => r.user_id),
      truncated: rows.length > MAX_NOTIFIED_USERS,
    };
  }

  /** Cancels the whole event (kept, marked cancelled; RSVPs stay for the record; no more reminders). */
  async cancel(viewer: Viewer | null, eventId: string, reason: string | null) {
    return this.dataSource.transaction(async (manager) => {
      const { event } = await this.lockForManager(viewer, eventId, manager);
      if (event.cancelledAt) throw new EventCancelledError();
      const now = this.clock.now();
      event.cancelledAt = now;
      event.cancelReason = reason ? text(reason, 'reason', 1, 500) : null;
      event.sequence += 1;
      event.updatedAt = now;
      await manager.getRepository(EventEntity).save(event);
      await recordCommunityEvent(manager, COMMUNITY_EVENT_CANCELLED, {
        communityId: event.communityId,
        eventId: event.id,
        occurrenceId: null,
        reason: event.cancelReason,
        ...(await this.affectedUsers(manager, event.id, null, now)),
        cancelledAt: now.toISOString(),
      });
      return event;
    });
  }

  /** Cancels one occurrence (an EXDATE in the ICS feed). */
  async cancelOccurrence(viewer: Viewer | null, occurrenceId: string, reason: string | null) {
    return this.dataSource.transaction(async (manager) => {
      const found = isUuid(occurrenceId)
        ? await manager.getRepository(EventOccurrenceEntity).findOneBy({ id: occurrenceId })
        : null;
      if (!found) throw new NotFoundError('Event occurrence');
      const { event } = await this.lockForManager(viewer, found.eventId, manager);
      const occurrence = await manager
        .getRepository(EventOccurrenceEntity)
        .createQueryBuilder('o')
        .where('o.id = :occurrenceId', { occurrenceId })
        .setLock('pessimistic_write')
        .getOne();
      if (!occurrence) throw new NotFoundError('Event occurrence');
      if (event.cancelledAt || occurrence.cancelledAt) throw new EventCancelledError();
      const now = this.clock.now();
      occurrence.cancelledAt = now;
      await manager.getRepository(EventOccurrenceEntity).save(occurrence);
      event.sequence += 1;
      event.updatedAt = now;
      await manager.getRepository(EventEntity).save(event);
      await recordCommunityEvent(manager, COMMUNITY_EVENT_CANCELLED, {
        communityId: event.communityId,
        eventId: event.id,
        occurrenceId: occurrence.id,
        reason: reason ? text(reason, 'reason', 1, 500) : null,
        ...(await this.affectedUsers(manager, event.id, occurrence.id, now)),
        cancelledAt: now.toISOString(),
      });
      return { event, occurrence };
    });
  }
}
