import { DomainError } from '@edugraph/kit';

/** The events module's codes (besides the kit's and the foundation's). */
export type EventErrorCode =
  | 'INVALID_RECURRENCE'
  | 'INVALID_TIME_ZONE'
  | 'INVALID_EVENT_TIME'
  | 'EVENT_CANCELLED'
  | 'EVENT_ENDED'
  | 'CHECK_IN_CLOSED'
  | 'NOT_GOING';

export class EventError extends DomainError<EventErrorCode> {}

/** A bad RRULE (unparsable, unbounded, too long, or the start is not its first occurrence). */
export class InvalidRecurrenceError extends EventError {
  constructor(message: string) {
    super('INVALID_RECURRENCE', message, { field: 'recurrence' });
  }
}

export class InvalidTimeZoneError extends EventError {
  constructor(zone: string) {
    super('INVALID_TIME_ZONE', `"${zone.slice(0, 64)}" is not an IANA time zone such as "Europe/Berlin".`, {
      field: 'timeZone',
    });
  }
}

/** End not after start, an event longer than allowed, or a time out of range. */
export class InvalidEventTimeError extends EventError {
  constructor(message: string, field: 'startsAt' | 'endsAt') {
    super('INVALID_EVENT_TIME', message, { field });
  }
}

export class EventCancelledError extends EventError {
  constructor() {
    super('EVENT_CANCELLED', 'This event (or this occurrence of it) was cancelled.');
  }
}

export class EventEndedError extends EventError {
  constructor() {
    super('EVENT_ENDED', 'This occurrence of the event is over.');
  }
}

export class CheckInClosedError extends EventError {
  constructor(opensAt: Date, closesAt: Date) {
    super('CHECK_IN_CLOSED', 'Check-in is open from 30 minutes before the start until the end.', {
      opensAt: opensAt.toISOString(),
      closesAt: closesAt.toISOString(),
    });
  }
}

export class NotGoingError extends EventError {
  constructor() {
    super('NOT_GOING', 'Only members going to this occurrence (not waitlisted) can check in.');
  }
}
