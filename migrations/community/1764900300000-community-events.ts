import type { MigrationInterface, QueryRunner } from 'typeorm';

const S = '"community"';

/**
 * Community events: events (online or in person, time zone, optional RRULE, capacity), their
 * materialised occurrences (≤ 730 per event — the calendar, RSVPs, reminders and attendance key on
 * them), RSVPs per occurrence with a waitlist ordered by `seq`, attendance (once per user and
 * occurrence), sent reminders (once per occurrence, offset and start) and the per-user salts that
 * sign calendar-feed tokens (rotating one revokes the user's feed URLs).
 */
export class CommunityEvents1764900300000 implements MigrationInterface {
  name = 'CommunityEvents1764900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE ${S}.event_rsvp_seq`);
    await queryRunner.query(`
      CREATE TABLE ${S}.events (
        id uuid NOT NULL,
        community_id uuid NOT NULL,
        created_by uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        format text NOT NULL,
        meeting_url text NULL,
        live_session_id text NULL,
        latitude double precision NULL,
        longitude double precision NULL,
        address text NULL,
        time_zone text NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        recurrence text NULL,
        occurrence_count integer NOT NULL DEFAULT 1,
        series_ends_at timestamptz NOT NULL,
        capacity integer NULL,
        cover_asset_id uuid NULL,
        visibility text NOT NULL DEFAULT 'PUBLIC',
        sequence integer NOT NULL DEFAULT 0,
        cancelled_at timestamptz NULL,
        cancel_reason text NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_events PRIMARY KEY (id),
        CONSTRAINT fk_events_community FOREIGN KEY (community_id)
          REFERENCES ${S}.communities (id) ON DELETE CASCADE,
        CONSTRAINT ck_events_title CHECK (length(title) BETWEEN 1 AND 200),
        CONSTRAINT ck_events_description CHECK (length(description) <= 20000),
        CONSTRAINT ck_events_format CHECK (
          (format = 'ONLINE' AND (meeting_url IS NULL) <> (live_session_id IS NULL)
            AND latitude IS NULL AND longitude IS NULL AND address IS NULL)
          OR (format = 'IN_PERSON' AND meeting_url IS NULL AND live_session_id IS NULL
            AND latitude IS NOT NULL AND longitude IS NOT NULL AND address IS NOT NULL
            AND latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
            AND length(address) BETWEEN 1 AND 300)
        ),
        CONSTRAINT ck_events_meeting_url CHECK (meeting_url IS NULL OR meeting_url LIKE 'https://%'),
        CONSTRAINT ck_events_time CHECK (ends_at > starts_at AND ends_at <= starts_at + interval '7 days'),
        CONSTRAINT ck_events_series CHECK (series_ends_at >= ends_at AND occurrence_count BETWEEN 1 AND 730),
        CONSTRAINT ck_events_capacity CHECK (capacity IS NULL OR capacity BETWEEN 1 AND 100000),
        CONSTRAINT ck_events_visibility CHECK (visibility IN ('PUBLIC', 'MEMBERS'))
      )`);
    await queryRunner.query(`CREATE INDEX ix_events_community ON ${S}.events (community_id, starts_at, id)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.event_occurrences (
        id uuid NOT NULL,
        event_id uuid NOT NULL,
        community_id uuid NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        cancelled_at timestamptz NULL,
        CONSTRAINT pk_event_occurrences PRIMARY KEY (id),
        CONSTRAINT fk_event_occurrences_event FOREIGN KEY (event_id)
          REFERENCES ${S}.events (id) ON DELETE CASCADE,
        CONSTRAINT uq_event_occurrences_start UNIQUE (event_id, starts_at) DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT ck_event_occurrences_time CHECK (ends_at > starts_at)
      )`);
    // The calendar: a community's occurrences by start (keyset pages); reminders: every occurrence by start.
    await queryRunner.query(
      `CREATE INDEX ix_event_occurrences_calendar ON ${S}.event_occurrences (community_id, starts_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_event_occurrences_due ON ${S}.event_occurrences (starts_at) WHERE cancelled_at IS NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE ${S}.event_rsvps (
        id uuid NOT NULL,
        occurrence_id uuid NOT NULL,
        event_id uuid NOT NULL,
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        status text NOT NULL,
        seq bigint NOT NULL,
        requested_at timestamptz NOT NULL,
        promoted_at timestamptz NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT pk_event_rsvps PRIMARY KEY (id),
        CONSTRAINT fk_event_rsvps_occurrence FOREIGN KEY (occurrence_id)
          REFERENCES ${S}.event_occurrences (id) ON DELETE CASCADE,
        CONSTRAINT uq_event_rsvps_user UNIQUE (occurrence_id, user_id),
        CONSTRAINT ck_event_rsvps_status CHECK (status IN ('GOING', 'INTERESTED', 'DECLINED', 'WAITLISTED'))
      )`);
    await queryRunner.query(
      `CREATE INDEX ix_event_rsvps_list ON ${S}.event_rsvps (occurrence_id, status, seq)`,
    );
    await queryRunner.query(`CREATE INDEX ix_event_rsvps_member ON ${S}.event_rsvps (user_id, status)`);

    await queryRunner.query(`
      CREATE TABLE ${S}.event_attendances (
        id uuid NOT NULL,
        occurrence_id uuid NOT NULL,
        event_id uuid NOT NULL,
        community_id uuid NOT NULL,
        user_id uuid NOT NULL,
        method text NOT NULL,
        marked_by uuid NULL,
        attended_at timestamptz NOT NULL,
        CONSTRAINT pk_event_attendances PRIMARY KEY (id),
        CONSTRAINT fk_event_attendances_occurrence FOREIGN KEY (occurrence_id)
          REFERENCES ${S}.event_occurrences (id) ON DELETE CASCADE,
        CONSTRAINT uq_event_attendances_user UNIQUE (occurrence_id, user_id),
        CONSTRAINT ck_event_attendances_method CHECK (method IN ('CHECK_IN', 'MARKED'))
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.event_reminders (
        occurrence_id uuid NOT NULL,
        offset_minutes integer NOT NULL,
        occurrence_starts_at timestamptz NOT NULL,
        event_id uuid NOT NULL,
        recipients integer NOT NULL,
        sent_at timestamptz NOT NULL,
        CONSTRAINT pk_event_reminders PRIMARY KEY (occurrence_id, offset_minutes, occurrence_starts_at),
        CONSTRAINT fk_event_reminders_occurrence FOREIGN KEY (occurrence_id)
          REFERENCES ${S}.event_occurrences (id) ON DELETE CASCADE
      )`);

    await queryRunner.query(`
      CREATE TABLE ${S}.event_calendar_secrets (
        user_id uuid NOT NULL,
        salt text NOT NULL,
        rotated_at timestamptz NOT NULL,
        CONSTRAINT pk_event_calendar_secrets PRIMARY KEY (user_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'event_calendar_secrets',
      'event_reminders',
      'event_attendances',
      'event_rsvps',
      'event_occurrences',
      'events',
    ])
      await queryRunner.query(`DROP TABLE IF EXISTS ${S}.${table}`);
    await queryRunner.query(`DROP SEQUENCE IF EXISTS ${S}.event_rsvp_seq`);
  }
}
