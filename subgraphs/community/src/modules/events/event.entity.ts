import { Column, Entity, PrimaryColumn } from 'typeorm';

export type EventFormat = 'ONLINE' | 'IN_PERSON';
/** PUBLIC: whoever reads the community sees it. MEMBERS: only active members (and managers). */
export type EventVisibility = 'PUBLIC' | 'MEMBERS';
export type RsvpStatus = 'GOING' | 'INTERESTED' | 'DECLINED' | 'WAITLISTED';
export type AttendanceMethod = 'CHECK_IN' | 'MARKED';

/** A community event: one-off or a bounded RRULE series (its occurrences are rows of their own). */
@Entity({ name: 'events' })
export class EventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  createdBy!: string;

  @Column({ type: 'text' })
  title!: string;

  /** Sanitised HTML. */
  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  format!: EventFormat;

  @Column({ type: 'text', nullable: true })
  meetingUrl!: string | null;

  /** Opaque id of a session of the (future) live subgraph. */
  @Column({ type: 'text', nullable: true })
  liveSessionId!: string | null;

  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  @Column({ type: 'text', nullable: true })
  address!: string | null;

  /** IANA zone the times and the recurrence are expressed in. */
  @Column({ type: 'text' })
  timeZone!: string;

  /** The first occurrence (the RRULE's DTSTART). */
  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  /** Normalised RRULE value (`FREQ=…`), null for a one-off event. */
  @Column({ type: 'text', nullable: true })
  recurrence!: string | null;

  @Column({ type: 'integer' })
  occurrenceCount!: number;

  /** End of the last occurrence. */
  @Column({ type: 'timestamptz' })
  seriesEndsAt!: Date;

  /** GOING places per occurrence; null = unlimited. */
  @Column({ type: 'integer', nullable: true })
  capacity!: number | null;

  @Column({ type: 'uuid', nullable: true })
  coverAssetId!: string | null;

  @Column({ type: 'text' })
  visibility!: EventVisibility;

  /** ICS SEQUENCE: bumped on every change calendar clients should pick up. */
  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  cancelReason!: string | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

/** One occurrence of an event (the only one for a one-off event). RSVPs and attendance belong to it. */
@Entity({ name: 'event_occurrences' })
export class EventOccurrenceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}

@Entity({ name: 'event_rsvps' })
export class EventRsvpEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  occurrenceId!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  status!: RsvpStatus;

  /** Request order (a sequence value taken under the occurrence lock): the waitlist order. */
  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  promotedAt!: Date | null;

  @Column({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'event_attendances' })
export class EventAttendanceEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  occurrenceId!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  @Column({ type: 'uuid' })
  communityId!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  method!: AttendanceMethod;

  @Column({ type: 'uuid', nullable: true })
  markedBy!: string | null;

  @Column({ type: 'timestamptz' })
  attendedAt!: Date;
}

/** Per-user salt of calendar-feed tokens; a new salt revokes every feed URL the user was given. */
@Entity({ name: 'event_calendar_secrets' })
export class EventCalendarSecretEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'text' })
  salt!: string;

  @Column({ type: 'timestamptz' })
  rotatedAt!: Date;
}

export const eventEntities = [
  EventEntity,
  EventOccurrenceEntity,
  EventRsvpEntity,
  EventAttendanceEntity,
  EventCalendarSecretEntity,
];
