import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityMigrations } from './index.js';

const EVENT_TABLES = [
  'events',
  'event_occurrences',
  'event_rsvps',
  'event_attendances',
  'event_reminders',
  'event_calendar_secrets',
];

describe('community migrations (events)', () => {
  let m: MigratedTestDatabase;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({
      schema: 'community',
      migrations: communityMigrations,
      prefix: 'community_events_migrations',
    });
  });
  afterAll(async () => {
    await m?.close();
  });

  async function insert(table: string, row: Record<string, unknown>): Promise<void> {
    const names = Object.keys(row);
    await m.dataSource.query(
      `INSERT INTO "community".${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(row),
    );
  }

  async function community(): Promise<string> {
    const id = randomUUID();
    await insert('communities', {
      id,
      owner_id: randomUUID(),
      name: 'Events place',
      slug: `e-${randomUUID().slice(0, 8)}`,
    });
    return id;
  }

  const START = new Date('2030-01-01T10:00:00Z');
  const END = new Date('2030-01-01T11:00:00Z');

  async function event(communityId: string, columns: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await insert('events', {
      id,
      community_id: communityId,
      created_by: randomUUID(),
      title: 'Meetup',
      format: 'ONLINE',
      meeting_url: 'https://meet.example/abc',
      time_zone: 'UTC',
      starts_at: START,
      ends_at: END,
      series_ends_at: END,
      ...columns,
    });
    return id;
  }

  it('creates the event tables', async () => {
    expect(await m.tables()).toEqual(expect.arrayContaining(EVENT_TABLES));
  });

  it('enforces the event shape', async () => {
    const c = await community();
    await event(c);
    await event(c, {
      format: 'IN_PERSON',
      meeting_url: null,
      latitude: 52.5,
      longitude: 13.4,
      address: 'Alexanderplatz 1, Berlin',
    });
    await expect(event(c, { title: '' })).rejects.toThrow(/ck_events_title/);
    await expect(event(c, { meeting_url: null })).rejects.toThrow(/ck_events_format/);
    await expect(event(c, { live_session_id: 'live-1' })).rejects.toThrow(/ck_events_format/);
    await expect(event(c, { format: 'IN_PERSON', meeting_url: null, address: 'x' })).rejects.toThrow(
      /ck_events_format/,
    );
    await expect(event(c, { meeting_url: 'http://plain.example' })).rejects.toThrow(/ck_events_meeting_url/);
    await expect(event(c, { ends_at: START, series_ends_at: START })).rejects.toThrow(/ck_events_time/);
    const long = new Date(START.getTime() + 8 * 86_400_000);
    await expect(event(c, { ends_at: long, series_ends_at: long })).rejects.toThrow(/ck_events_time/);
    await expect(event(c, { capacity: 0 })).rejects.toThrow(/ck_events_capacity/);
    await expect(event(c, { occurrence_count: 731 })).rejects.toThrow(/ck_events_series/);
    await expect(event(c, { visibility: 'SECRET' })).rejects.toThrow(/ck_events_visibility/);
    await expect(event(randomUUID())).rejects.toThrow(/fk_events_community/);
  });

  it('keeps one RSVP and one attendance per user and occurrence, and one occurrence per start', async () => {
    const c = await community();
    const e = await event(c);
    const occurrence = randomUUID();
    await insert('event_occurrences', {
      id: occurrence,
      event_id: e,
      community_id: c,
      starts_at: START,
      ends_at: END,
    });
    await expect(
      insert('event_occurrences', {
        id: randomUUID(),
        event_id: e,
        community_id: c,
        starts_at: START,
        ends_at: END,
      }),
    ).rejects.toThrow(/uq_event_occurrences_start/);
    const user = randomUUID();
    const rsvp = (status = 'GOING') =>
      insert('event_rsvps', {
        id: randomUUID(),
        occurrence_id: occurrence,
        event_id: e,
        community_id: c,
        user_id: user,
        status,
        seq: 1,
        requested_at: START,
      });
    await expect(rsvp('MAYBE')).rejects.toThrow(/ck_event_rsvps_status/);
    await rsvp();
    await expect(rsvp()).rejects.toThrow(/uq_event_rsvps_user/);
    const attend = (method = 'CHECK_IN') =>
      insert('event_attendances', {
        id: randomUUID(),
        occurrence_id: occurrence,
        event_id: e,
        community_id: c,
        user_id: user,
        method,
        attended_at: START,
      });
    await expect(attend('GUESSED')).rejects.toThrow(/ck_event_attendances_method/);
    await attend();
    await expect(attend()).rejects.toThrow(/uq_event_attendances_user/);
    const reminder = () =>
      insert('event_reminders', {
        occurrence_id: occurrence,
        offset_minutes: 60,
        occurrence_starts_at: START,
        event_id: e,
        recipients: 1,
        sent_at: START,
      });
    await reminder();
    await expect(reminder()).rejects.toThrow(/pk_event_reminders/);
    // Deleting the event removes its occurrences, RSVPs, attendance and reminders.
    await m.dataSource.query(`DELETE FROM "community".events WHERE id = $1`, [e]);
    const [left] = await m.dataSource.query(
      `SELECT (SELECT count(*) FROM "community".event_rsvps WHERE event_id = $1)::int
            + (SELECT count(*) FROM "community".event_attendances WHERE event_id = $1)::int
            + (SELECT count(*) FROM "community".event_reminders WHERE event_id = $1)::int AS n`,
      [e],
    );
    expect(left.n).toBe(0);
  });

  it('reverts to an empty schema and applies again', async () => {
    await m.revertAll();
    expect(await m.tables()).toEqual(['migrations']);
    await m.reapply();
    expect(await m.tables()).toEqual(expect.arrayContaining(EVENT_TABLES));
  });
});
