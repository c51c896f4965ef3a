import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, UnauthenticatedError, type Viewer } from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { COMMUNITY_EVENT_ATTENDED, recordCommunityEvent } from '../../common/community-events.js';
import { CommunityError } from '../../common/community.errors.js';
import { assertUuid, isUuid } from '../../common/validation.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import type { CommunityPermission } from '../access/permissions.js';
import { canSeeEvent } from './event-access.js';
import { promoteWaitlisted } from './event-waitlist.js';
import {
  EventEntity,
  EventOccurrenceEntity,
  EventRsvpEntity,
  type AttendanceMethod,
  type RsvpStatus,
} from './event.entity.js';
import { CheckInClosedError, EventCancelledError, EventEndedError, NotGoingError } from './event.errors.js';

const S = '"community"';
/** Check-in (and marking attendance) opens this long before an occurrence starts. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;
/** Managers may mark attendance until this long after an occurrence ended. */
export const MARKING_CLOSES_AFTER_MS = 30 * 86_400_000;
export const MAX_MARKED_USERS = 100;

export type RsvpChoice = 'GOING' | 'INTERESTED' | 'DECLINED';

type Locked = {
  event: EventEntity;
  occurrence: EventOccurrenceEntity;
  context: CommunityAccessContext;
};

/**
 * RSVPs per occurrence (a one-off event has exactly one) with a capacity and an automatic waitlist,
 * and attendance. Every change locks the occurrence row (`FOR UPDATE`), so concurrent requests are
 * served one at a time: the first `capacity` GOING requests get places, the rest wait in request order
 * (`seq`), and each place freed (a GOING member changes their answer) promotes exactly one.
 */
export class EventRsvpService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: CommunityAccess,
    private readonly clock: Clock,
  ) {}

  /**
   * Locks the occurrence (the given one, or a one-off event's only one), then reads the event's
   * current state and the viewer's context. NOT_FOUND for hidden or missing events, the typed
   * FORBIDDEN without `permission`.
   */
  private async lock(
    manager: EntityManager,
    viewer: Viewer | null,
    target: { eventId?: string | null; occurrenceId?: string | null },
    permission: CommunityPermission,
  ): Promise<Locked> {
    if (!viewer) throw new UnauthenticatedError();
    let occurrenceId = target.occurrenceId ?? null;
    if (occurrenceId !== null && !isUuid(occurrenceId)) throw new NotFoundError('Event occurrence');
    if (occurrenceId === null) {
      const eventId = target.eventId ?? '';
      const event = isUuid(eventId)
        ? await manager.getRepository(EventEntity).findOneBy({ id: eventId })
        : null;
      if (!event) throw new NotFoundError('Event');
      const rows: { id: string }[] = await manager.query(
        `SELECT id FROM ${S}.event_occurrences WHERE event_id = $1 ORDER BY starts_at LIMIT 2`,
        [event.id],
      );
      if (rows.length !== 1 || !rows[0])
        throw new BadUserInputError('This event repeats: give the "occurrenceId".', 'occurrenceId');
      occurrenceId = rows[0].id;
    }
    const occurrence = await manager
      .getRepository(EventOccurrenceEntity)
      .createQueryBuilder('o')
      .where('o.id = :occurrenceId', { occurrenceId })
      .setLock('pessimistic_write')
      .getOne();
    if (!occurrence || (target.eventId && target.eventId !== occurrence.eventId))
      throw new NotFoundError('Event occurrence');
    // Read after taking the lock: the capacity and cancellation are those of the last committed change.
    const event = await manager.getRepository(EventEntity).findOneByOrFail({ id: occurrence.eventId });
    const context = await this.access.resolve(viewer, event.communityId, { manager });
    if (!canSeeEvent(context, event)) throw new NotFoundError('Event');
    this.access.assert(context, permission);
    return { event, occurrence, context };
  }

  /**
   * The viewer's answer for one occurrence. GOING takes a place when one is free and nobody waits,
   * else joins the waitlist (WAITLISTED); asking GOING again while going or waitlisted changes nothing.
   * INTERESTED or DECLINED leaves a place or the waitlist; a freed place goes to the first in line.
   */
  async respond(
    viewer: Viewer | null,
    target: { eventId?: string | null; occurrenceId?: string | null },
    choice: RsvpChoice,
  ): Promise<{ rsvp: EventRsvpEntity; occurrence: EventOccurrenceEntity; event: EventEntity }> {
    return this.dataSource.transaction(async (manager) => {
      const { event, occurrence } = await this.lock(manager, viewer, target, 'EVENT_RSVP');
      const userId = viewer?.userId ?? '';
      if (event.cancelledAt || occurrence.cancelledAt) throw new EventCancelledError();
      const now = this.clock.now();
      if (occurrence.endsAt.getTime() <= now.getTime()) throw new EventEndedError();
      const repo = manager.getRepository(EventRsvpEntity);
      const existing = await repo.findOneBy({ occurrenceId: occurrence.id, userId });
      const previous: RsvpStatus | null = existing?.status ?? null;
      let status: RsvpStatus;
      let seq = existing?.seq ?? null;
      let requestedAt = existing?.requestedAt ?? now;
      let promotedAt = existing?.promotedAt ?? null;
      if (choice === 'GOING') {
        if (existing && (existing.status === 'GOING' || existing.status === 'WAITLISTED'))
          return { rsvp: existing, occurrence, event };
        const [counts]: { going: number; waiting: number }[] = await manager.query(
          `SELECT count(*) FILTER (WHERE status = 'GOING')::int AS going,
                  count(*) FILTER (WHERE status = 'WAITLISTED')::int AS waiting
             FROM ${S}.event_rsvps WHERE occurrence_id = $1`,
          [occurrence.id],
        );
        const free = event.capacity === null || (counts?.going ?? 0) < event.capacity;
        status = free && (counts?.waiting ?? 0) === 0 ? 'GOING' : 'WAITLISTED';
        const [next]: { seq: string }[] = await manager.query(`SELECT nextval('${S}.event_rsvp_seq') AS seq`);
        seq = next?.seq ?? null;
        requestedAt = now;
        promotedAt = null;
      } else {
        if (existing && existing.status === choice) return { rsvp: existing, occurrence, event };
        status = choice;
        if (seq === null) {
          const [next]: { seq: string }[] = await manager.query(
            `SELECT nextval('${S}.event_rsvp_seq') AS seq`,
          );
          seq = next?.seq ?? null;
        }
      }
      const rsvp = Object.assign(existing ?? new EventRsvpEntity(), {
        id: existing?.id ?? randomUUID(),
        occurrenceId: occurrence.id,
        eventId: event.id,
        communityId: event.communityId,
        userId,
        status,
        seq: seq ?? '0',
        requestedAt,
        promotedAt,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      } satisfies EventRsvpEntity);
      await repo.save(rsvp);
      if (previous === 'GOING') await promoteWaitlisted(manager, event, [occurrence.id], now);
      return { rsvp, occurrence, event };
    });
  }

  /**
   * A member left, was removed or banned (`community.member.left`, consumed through the inbox in
   * `manager`'s transaction): their answers to occurrences that have not ended become DECLINED and
   * each place they held goes to the first in line. Returns how many answers changed.
   */
  async releaseMember(manager: EntityManager, communityId: string, userId: string): Promise<number> {
    const now = this.clock.now();
    // Lock the affected occurrences first, in id order (the same order every releaser uses).
    const occurrences: { id: string; event_id: string }[] = await manager.query(
      `SELECT o.id, o.event_id FROM ${S}.event_occurrences o
        WHERE o.ends_at > $3 AND o.id IN (
          SELECT r.occurrence_id FROM ${S}.event_rsvps r
           WHERE r.community_id = $1 AND r.user_id = $2 AND r.status <> 'DECLINED')
        ORDER BY o.id FOR UPDATE OF o`,
      [communityId, userId, now],
    );
    if (occurrences.length === 0) return 0;
    const [changed]: [{ occurrence_id: string; was: RsvpStatus }[], number] = await manager.query(
      `UPDATE ${S}.event_rsvps r SET status = 'DECLINED', updated_at = $3
         FROM (SELECT id, status AS was FROM ${S}.event_rsvps
                WHERE user_id = $1 AND occurrence_id = ANY($2::uuid[]) AND status <> 'DECLINED') old
        WHERE r.id = old.id
       RETURNING r.occurrence_id, old.was`,
      [userId, occurrences.map((o) => o.id), now],
    );
    const freed = new Set(changed.filter((c) => c.was === 'GOING').map((c) => c.occurrence_id));
    const byEvent = new Map<string, string[]>();
    for (const o of occurrences)
      if (freed.has(o.id)) byEvent.set(o.event_id, [...(byEvent.get(o.event_id) ?? []), o.id]);
    for (const [eventId, ids] of byEvent) {
      const event = await manager.getRepository(EventEntity).findOneBy({ id: eventId });
      if (event && !event.cancelledAt) await promoteWaitlisted(manager, event, ids, now);
    }
    return changed.length;
  }

  /** Records attendance rows (once per user and occurrence) and `community.event.attended` for new ones. */
  private async record(
    manager: EntityManager,
    event: EventEntity,
    occurrence: EventOccurrenceEntity,
    userIds: string[],
    method: AttendanceMethod,
    markedBy: string | null,
    now: Date,
  ): Promise<string[]> {
    const inserted: { user_id: string }[] = await manager.query(
      `INSERT INTO ${S}.event_attendances (id, occurrence_id, event_id, community_id, user_id, method, marked_by, attended_at)
       SELECT gen_random_uuid(), $1, $2, $3, u, $5, $6, $7 FROM unnest($4::uuid[]) AS u
       ON CONFLICT ON CONSTRAINT uq_event_attendances_user DO NOTHING
       RETURNING user_id`,
      [occurrence.id, event.id, event.communityId, userIds, method, markedBy, now],
    );
    for (const { user_id: userId } of inserted)
      await recordCommunityEvent(manager, COMMUNITY_EVENT_ATTENDED, {
        communityId: event.communityId,
        eventId: event.id,
        occurrenceId: occurrence.id,
        occurrenceStart: occurrence.startsAt.toISOString(),
        userId,
        method,
        markedBy,
        attendedAt: now.toISOString(),
      });
    return inserted.map((r) => r.user_id);
  }

  /** The viewer checks in: GOING to the occurrence, from 30 minutes before its start until its end. */
  async checkIn(viewer: Viewer | null, occurrenceId: string) {
    return this.dataSource.transaction(async (manager) => {
      const { event, occurrence } = await this.lock(manager, viewer, { occurrenceId }, 'EVENT_RSVP');
      const userId = viewer?.userId ?? '';
      if (event.cancelledAt || occurrence.cancelledAt) throw new EventCancelledError();
      const now = this.clock.now();
      const opensAt = new Date(occurrence.startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS);
      if (now.getTime() < opensAt.getTime() || now.getTime() >= occurrence.endsAt.getTime())
        throw new CheckInClosedError(opensAt, occurrence.endsAt);
      const rsvp = await manager
        .getRepository(EventRsvpEntity)
        .findOneBy({ occurrenceId: occurrence.id, userId });
      if (rsvp?.status !== 'GOING') throw new NotGoingError();
      const added = await this.record(manager, event, occurrence, [userId], 'CHECK_IN', null, now);
      return { event, occurrence, newlyAttended: added.length > 0 };
    });
  }

  /**
   * A manager (EVENT_MANAGE) marks active members as having attended, from 30 minutes before the
   * start until 30 days after the end. Users already marked are left as they are (no second event).
   */
  async markAttendance(viewer: Viewer | null, occurrenceId: string, userIds: string[]) {
    const ids = [...new Set(userIds.map((id) => assertUuid(id, 'userIds')))];
    if (ids.length === 0 || ids.length > MAX_MARKED_USERS)
      throw new BadUserInputError(`Give 1–${MAX_MARKED_USERS} user ids.`, 'userIds');
    return this.dataSource.transaction(async (manager) => {
      const { event, occurrence } = await this.lock(manager, viewer, { occurrenceId }, 'EVENT_MANAGE');
      if (event.cancelledAt || occurrence.cancelledAt) throw new EventCancelledError();
      const now = this.clock.now();
      const opensAt = new Date(occurrence.startsAt.getTime() - CHECK_IN_OPENS_BEFORE_MS);
      const closesAt = new Date(occurrence.endsAt.getTime() + MARKING_CLOSES_AFTER_MS);
      if (now.getTime() < opensAt.getTime() || now.getTime() >= closesAt.getTime())
        throw new CheckInClosedError(opensAt, closesAt);
      const members: { user_id: string }[] = await manager.query(
        `SELECT user_id FROM ${S}.memberships
          WHERE community_id = $1 AND user_id = ANY($2::uuid[]) AND status = 'ACTIVE'`,
        [event.communityId, ids],
      );
      const active = new Set(members.map((m) => m.user_id));
      const outsiders = ids.filter((id) => !active.has(id));
      if (outsiders.length > 0)
        throw new CommunityError('NOT_A_MEMBER', 'Only active members can be marked as attending.', {
          field: 'userIds',
          userIds: outsiders,
        });
      const marked = await this.record(
        manager,
        event,
        occurrence,
        ids,
        'MARKED',
        viewer?.userId ?? null,
        now,
      );
      const markedSet = new Set(marked);
      return { event, occurrence, marked, alreadyMarked: ids.filter((id) => !markedSet.has(id)) };
    });
  }
}
