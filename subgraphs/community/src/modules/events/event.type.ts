import { ConnectionType } from '@edugraph/kit';
import {
  ArgsType,
  Directive,
  Field,
  Float,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from 'type-graphql';
import { localTime } from './recurrence.js';
import type { EventEntity, EventOccurrenceEntity } from './event.entity.js';
import type { RsvpView } from './event-queries.js';

export enum CommunityEventFormatEnum {
  ONLINE = 'ONLINE',
  IN_PERSON = 'IN_PERSON',
}
registerEnumType(CommunityEventFormatEnum, {
  name: 'CommunityEventFormat',
  description: 'ONLINE: a meeting link or a live session. IN_PERSON: a place on the map.',
});

export enum CommunityEventVisibilityEnum {
  PUBLIC = 'PUBLIC',
  MEMBERS = 'MEMBERS',
}
registerEnumType(CommunityEventVisibilityEnum, {
  name: 'CommunityEventVisibility',
  description:
    'PUBLIC: whoever reads the community sees the event (meeting links stay for members). MEMBERS: active members and managers only.',
});

export enum CommunityEventRsvpStatusEnum {
  GOING = 'GOING',
  INTERESTED = 'INTERESTED',
  DECLINED = 'DECLINED',
  WAITLISTED = 'WAITLISTED',
}
registerEnumType(CommunityEventRsvpStatusEnum, {
  name: 'CommunityEventRsvpStatus',
  description: 'WAITLISTED: asked to go while the occurrence was full; promoted to GOING in request order.',
});

export enum CommunityEventRsvpChoiceEnum {
  GOING = 'GOING',
  INTERESTED = 'INTERESTED',
  DECLINED = 'DECLINED',
}
registerEnumType(CommunityEventRsvpChoiceEnum, {
  name: 'CommunityEventRsvpChoice',
  description: 'An answer to an event occurrence (GOING may end up WAITLISTED when it is full).',
});

@ObjectType('CommunityEventLocation')
export class CommunityEventLocation {
  @Field(() => Float)
  latitude!: number;

  @Field(() => Float)
  longitude!: number;

  @Field(() => String)
  address!: string;
}

/** A community event: one-off, or a bounded RRULE series of occurrences. */
@Directive('@key(fields: "id")')
@ObjectType('CommunityEvent')
export class CommunityEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'Sanitised HTML.' })
  description!: string;

  @Field(() => CommunityEventFormatEnum)
  format!: CommunityEventFormatEnum;

  @Field(() => CommunityEventLocation, { nullable: true, description: 'IN_PERSON events.' })
  location!: CommunityEventLocation | null;

  @Field(() => String, { description: 'IANA time zone of the times and the recurrence.' })
  timeZone!: string;

  @Field(() => Date, { description: 'The first occurrence’s start (the RRULE’s DTSTART).' })
  startsAt!: Date;

  @Field(() => Date)
  endsAt!: Date;

  @Field(() => String, { description: 'The start in the event’s zone, `YYYY-MM-DDTHH:mm`.' })
  localStartsAt!: string;

  @Field(() => String, {
    nullable: true,
    description: 'RFC 5545 RRULE value (`FREQ=WEEKLY;COUNT=10`); null: one-off.',
  })
  recurrence!: string | null;

  @Field(() => Int)
  occurrenceCount!: number;

  @Field(() => Date, { description: 'End of the last occurrence.' })
  seriesEndsAt!: Date;

  @Field(() => Int, { nullable: true, description: 'GOING places per occurrence; null: unlimited.' })
  capacity!: number | null;

  @Field(() => CommunityEventVisibilityEnum)
  visibility!: CommunityEventVisibilityEnum;

  @Field(() => Date, { nullable: true })
  cancelledAt!: Date | null;

  @Field(() => String, { nullable: true })
  cancelReason!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  entity!: EventEntity;

  static from(entity: EventEntity): CommunityEvent {
    return Object.assign(new CommunityEvent(), {
      id: entity.id,
      title: entity.title,
      description: entity.description,
      format: entity.format as CommunityEventFormatEnum,
      location:
        entity.latitude !== null && entity.longitude !== null && entity.address !== null
          ? { latitude: entity.latitude, longitude: entity.longitude, address: entity.address }
          : null,
      timeZone: entity.timeZone,
      startsAt: entity.startsAt,
      endsAt: entity.endsAt,
      localStartsAt: localTime(entity.startsAt, entity.timeZone),
      recurrence: entity.recurrence,
      occurrenceCount: entity.occurrenceCount,
      seriesEndsAt: entity.seriesEndsAt,
      capacity: entity.capacity,
      visibility: entity.visibility as CommunityEventVisibilityEnum,
      cancelledAt: entity.cancelledAt,
      cancelReason: entity.cancelReason,
      createdAt: entity.createdAt,
      updatedAt: entity.updatedAt,
      entity,
    });
  }
}

@ObjectType('CommunityEventRsvpCounts')
export class CommunityEventRsvpCounts {
  @Field(() => Int)
  going!: number;

  @Field(() => Int)
  interested!: number;

  @Field(() => Int)
  declined!: number;

  @Field(() => Int)
  waitlisted!: number;

  @Field(() => Int)
  attended!: number;
}

/** One occurrence of an event (a one-off event has exactly one). RSVPs and attendance belong to it. */
@ObjectType('CommunityEventOccurrence')
export class CommunityEventOccurrence {
  @Field(() => ID)
  id!: string;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date)
  endsAt!: Date;

  @Field(() => Date, { nullable: true, description: 'This occurrence alone was cancelled.' })
  cancelledAt!: Date | null;

  entity!: EventOccurrenceEntity;

  static from(entity: EventOccurrenceEntity): CommunityEventOccurrence {
    return Object.assign(new CommunityEventOccurrence(), {
      id: entity.id,
      startsAt: entity.startsAt,
      endsAt: entity.endsAt,
      cancelledAt: entity.cancelledAt,
      entity,
    });
  }
}

export const CommunityEventOccurrenceConnection = ConnectionType(
  CommunityEventOccurrence,
  'CommunityEventOccurrence',
);

@ObjectType('CommunityEventRsvp')
export class CommunityEventRsvp {
  @Field(() => ID)
  id!: string;

  @Field(() => CommunityEventRsvpStatusEnum)
  status!: CommunityEventRsvpStatusEnum;

  @Field(() => Int, { nullable: true, description: '1 = next in line; null unless WAITLISTED.' })
  waitlistPosition!: number | null;

  @Field(() => Date, { description: 'When the member last asked to go (the waitlist order).' })
  requestedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When a waitlisted request got a place.' })
  promotedAt!: Date | null;

  @Field(() => Date)
  updatedAt!: Date;

  entity!: RsvpView;

  static from(entity: RsvpView): CommunityEventRsvp {
    return Object.assign(new CommunityEventRsvp(), {
      id: entity.id,
      status: entity.status as CommunityEventRsvpStatusEnum,
      waitlistPosition: entity.waitlistPosition,
      requestedAt: entity.requestedAt,
      promotedAt: entity.promotedAt,
      updatedAt: entity.updatedAt,
      entity,
    });
  }
}

export const CommunityEventRsvpConnection = ConnectionType(CommunityEventRsvp, 'CommunityEventRsvp');

@ArgsType()
export class CalendarWindowArgs {
  @Field(() => Date, { nullable: true, description: 'Default: now.' })
  from?: Date | null;

  @Field(() => Date, {
    nullable: true,
    description: 'Default: five weeks after `from`; at most 366 days after it.',
  })
  to?: Date | null;

  @Field(() => Boolean, { nullable: true, description: 'Also cancelled events and occurrences.' })
  includeCancelled?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Page size (default 20, at most 100).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@ArgsType()
export class EventAttendeesArgs {
  @Field(() => CommunityEventRsvpStatusEnum, { nullable: true, description: 'Default GOING.' })
  status?: CommunityEventRsvpStatusEnum | null;

  @Field(() => Int, { nullable: true, description: 'Page size (default 20, at most 100).' })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;
}

@InputType('CommunityEventLocationInput')
export class CommunityEventLocationInput {
  @Field(() => Float, { description: '-90…90.' })
  latitude!: number;

  @Field(() => Float, { description: '-180…180.' })
  longitude!: number;

  @Field(() => String, { description: '1–300 characters.' })
  address!: string;
}

@InputType('CommunityEventFieldsBase')
class CommunityEventFieldsInput {
  @Field(() => String, {
    nullable: true,
    description: 'Rich text (HTML), sanitised; at most 20,000 characters.',
  })
  description?: string | null;

  @Field(() => CommunityEventFormatEnum, { nullable: true, description: 'Default ONLINE.' })
  format?: CommunityEventFormatEnum | null;

  @Field(() => String, {
    nullable: true,
    description: 'ONLINE: an https:// meeting link (or `liveSessionId`).',
  })
  meetingUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'ONLINE: a live session id (or `meetingUrl`).' })
  liveSessionId?: string | null;

  @Field(() => CommunityEventLocationInput, { nullable: true, description: 'IN_PERSON: where.' })
  location?: CommunityEventLocationInput | null;

  @Field(() => String, {
    nullable: true,
    description: 'Recurrence: an RFC 5545 RRULE value with COUNT or UNTIL.',
  })
  recurrence?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: '1–100,000 GOING places per occurrence; null: unlimited.',
  })
  capacity?: number | null;

  @Field(() => ID, { nullable: true, description: 'A media asset (an image).' })
  coverAssetId?: string | null;

  @Field(() => CommunityEventVisibilityEnum, { nullable: true, description: 'Default PUBLIC.' })
  visibility?: CommunityEventVisibilityEnum | null;
}

@InputType('CreateCommunityEventInput')
export class CreateCommunityEventInput extends CommunityEventFieldsInput {
  @Field(() => ID)
  communityId!: string;

  @Field(() => String, { description: '1–200 characters.' })
  title!: string;

  @Field(() => String, { description: 'IANA time zone, e.g. "Europe/Berlin".' })
  timeZone!: string;

  @Field(() => Date)
  startsAt!: Date;

  @Field(() => Date, { description: 'After `startsAt`, at most 7 days later.' })
  endsAt!: Date;
}

@InputType('UpdateCommunityEventInput')
export class UpdateCommunityEventInput extends CommunityEventFieldsInput {
  @Field(() => ID)
  eventId!: string;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  timeZone?: string | null;

  @Field(() => Date, { nullable: true })
  startsAt?: Date | null;

  @Field(() => Date, { nullable: true })
  endsAt?: Date | null;
}

@InputType('CancelCommunityEventInput')
export class CancelCommunityEventInput {
  @Field(() => ID)
  eventId!: string;

  @Field(() => String, { nullable: true, description: 'At most 500 characters.' })
  reason?: string | null;
}

@InputType('CancelCommunityEventOccurrenceInput')
export class CancelCommunityEventOccurrenceInput {
  @Field(() => ID)
  occurrenceId!: string;

  @Field(() => String, { nullable: true })
  reason?: string | null;
}

@InputType('RsvpCommunityEventInput')
export class RsvpCommunityEventInput {
  @Field(() => ID, { nullable: true, description: 'Enough for a one-off event.' })
  eventId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Required for a recurring event.' })
  occurrenceId?: string | null;

  @Field(() => CommunityEventRsvpChoiceEnum)
  status!: CommunityEventRsvpChoiceEnum;
}

@InputType('CheckInCommunityEventInput')
export class CheckInCommunityEventInput {
  @Field(() => ID)
  occurrenceId!: string;
}

@InputType('MarkCommunityEventAttendanceInput')
export class MarkCommunityEventAttendanceInput {
  @Field(() => ID)
  occurrenceId!: string;

  @Field(() => [ID], { description: '1–100 active members.' })
  userIds!: string[];
}

@ObjectType('CommunityEventPayload')
export class CommunityEventPayload {
  @Field(() => CommunityEvent)
  event!: CommunityEvent;
}

@ObjectType('CommunityEventOccurrencePayload')
export class CommunityEventOccurrencePayload {
  @Field(() => CommunityEventOccurrence)
  occurrence!: CommunityEventOccurrence;
}

@ObjectType('CommunityEventRsvpPayload')
export class CommunityEventRsvpPayload {
  @Field(() => CommunityEventRsvp)
  rsvp!: CommunityEventRsvp;

  @Field(() => CommunityEventOccurrence)
  occurrence!: CommunityEventOccurrence;
}

@ObjectType('CommunityEventCheckInPayload')
export class CommunityEventCheckInPayload {
  @Field(() => CommunityEventOccurrence)
  occurrence!: CommunityEventOccurrence;

  @Field(() => Boolean, { description: 'False when the viewer had already checked in or been marked.' })
  newlyAttended!: boolean;
}

@ObjectType('CommunityEventAttendancePayload')
export class CommunityEventAttendancePayload {
  @Field(() => CommunityEventOccurrence)
  occurrence!: CommunityEventOccurrence;

  @Field(() => [ID])
  markedUserIds!: string[];

  @Field(() => [ID], { description: 'Already recorded before (nothing changed for them).' })
  alreadyMarkedUserIds!: string[];
}

@ObjectType('CommunityCalendarFeedPayload')
export class CommunityCalendarFeedPayload {
  @Field(() => String, { description: 'The viewer’s new personal ICS feed URL (older ones stop working).' })
  url!: string;
}
