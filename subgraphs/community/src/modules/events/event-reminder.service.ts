import type { Logger } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import { COMMUNITY_EVENT_REMINDER_DUE, recordCommunityEvent } from '../../common/community-events.js';
import { MAX_NOTIFIED_USERS } from './event.service.js';

const S = '"community"';
/** Default reminder offsets: 24 hours and 1 hour before an occurrence starts (minutes). */
export const DEFAULT_REMINDER_OFFSETS = [24 * 60, 60];
/** Reminders handled per batch (a run goes on until nothing is due or `maxPerRun` are sent). */
const BATCH = 200;

type DueRow = {
  occurrence_id: string;
  event_id: string;
  community_id: string;
  starts_at: Date;
  ends_at: Date;
  time_zone: string;
  title: string;
  offset_minutes: number;
};

/**
 * Reminders as domain events, derived from the database at each run (no state in the queue, so a
 * restart loses nothing): an occurrence that has not started, is not cancelled and starts within a
 * configured offset gets `community.event.reminder_due` for the smallest offset it is within — once
 * per occurrence, offset and start time (the row in `event_reminders` is written in the same
 * transaction as the outbox event; concurrent runs cannot both send it). A late run does not send
 * a reminder a smaller offset has overtaken (only the 1 h one when both 24 h and 1 h are due).
 */
export class EventReminderService {
  readonly offsets: number[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    offsetsMinutes: readonly number[] = DEFAULT_REMINDER_OFFSETS,
  ) {
    this.offsets = [...new Set(offsetsMinutes.filter((m) => Number.isInteger(m) && m > 0))].sort(
      (a, b) => b - a,
    );
  }

  /** Sends every reminder due at `now`; returns how many were sent. */
  async runDue(now: Date = this.clock.now(), maxPerRun = 5000): Promise<number> {
    if (this.offsets.length === 0) return 0;
    let sent = 0;
    for (;;) {
      const due: DueRow[] = await this.dataSource.query(
        `SELECT o.id AS occurrence_id, o.event_id, o.community_id, o.starts_at, o.ends_at,
                e.time_zone, e.title, d.offset_minutes
           FROM ${S}.event_occurrences o
           JOIN ${S}.events e ON e.id = o.event_id AND e.cancelled_at IS NULL
           CROSS JOIN LATERAL (
             SELECT min(x) AS offset_minutes FROM unnest($2::int[]) AS x
              WHERE o.starts_at - make_interval(mins => x) <= $1
           ) d
          WHERE o.cancelled_at IS NULL AND o.starts_at > $1
            AND o.starts_at <= $1 + make_interval(mins => $3)
            AND d.offset_minutes IS NOT NULL
            AND NOT EXISTS (
              SELECT 1 FROM ${S}.event_reminders r
               WHERE r.occurrence_id = o.id AND r.offset_minutes = d.offset_minutes
                 AND r.occurrence_starts_at = o.starts_at)
          ORDER BY o.starts_at, o.id LIMIT $4`,
        [now, this.offsets, Math.max(...this.offsets), BATCH],
      );
      for (const row of due) if (await this.send(row, now)) sent += 1;
      if (due.length < BATCH || sent >= maxPerRun) break;
    }
    if (sent > 0) this.logger.info({ sent }, 'event reminders sent');
    return sent;
  }

  private async send(row: DueRow, now: Date): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const inserted: unknown[] = await manager.query(
        `INSERT INTO ${S}.event_reminders (occurrence_id, offset_minutes, occurrence_starts_at, event_id, recipients, sent_at)
         VALUES ($1, $2, $3, $4, 0, $5) ON CONFLICT DO NOTHING RETURNING occurrence_id`,
        [row.occurrence_id, row.offset_minutes, row.starts_at, row.event_id, now],
      );
      if (inserted.length === 0) return false; // another run sent it
      const recipients: { user_id: string; status: string }[] = await manager.query(
        `SELECT user_id, status FROM ${S}.event_rsvps
          WHERE occurrence_id = $1 AND status IN ('GOING', 'INTERESTED')
          ORDER BY (status = 'GOING') DESC, seq LIMIT $2`,
        [row.occurrence_id, MAX_NOTIFIED_USERS + 1],
      );
      const [counts]: { going: number; interested: number }[] = await manager.query(
        `SELECT count(*) FILTER (WHERE status = 'GOING')::int AS going,
                count(*) FILTER (WHERE status = 'INTERESTED')::int AS interested
           FROM ${S}.event_rsvps WHERE occurrence_id = $1`,
        [row.occurrence_id],
      );
      const userIds = recipients.slice(0, MAX_NOTIFIED_USERS).map((r) => r.user_id);
      await manager.query(
        `UPDATE ${S}.event_reminders SET recipients = $4
          WHERE occurrence_id = $1 AND offset_minutes = $2 AND occurrence_starts_at = $3`,
        [
          row.occurrence_id,
          row.offset_minutes,
          row.starts_at,
          (counts?.going ?? 0) + (counts?.interested ?? 0),
        ],
      );
      await recordCommunityEvent(manager, COMMUNITY_EVENT_REMINDER_DUE, {
        communityId: row.community_id,
        eventId: row.event_id,
        occurrenceId: row.occurrence_id,
        occurrenceStart: new Date(row.starts_at).toISOString(),
        occurrenceEnd: new Date(row.ends_at).toISOString(),
        timeZone: row.time_zone,
        title: row.title,
        offsetMinutes: row.offset_minutes,
        userIds,
        going: counts?.going ?? 0,
        interested: counts?.interested ?? 0,
        truncated: recipients.length > MAX_NOTIFIED_USERS,
      });
      return true;
    });
  }
}
