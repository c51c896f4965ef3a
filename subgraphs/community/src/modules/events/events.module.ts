import type { Logger } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { EventCalendarService } from './event-calendar.service.js';
import { EventQueries } from './event-queries.js';
import { DEFAULT_REMINDER_OFFSETS, EventReminderService } from './event-reminder.service.js';
import { EventRsvpService } from './event-rsvp.service.js';
import { EventService } from './event.service.js';
import { createEventLoaders, type EventLoaders } from './event.loaders.js';

/** Development-only calendar key; production requires `COMMUNITY_CALENDAR_SECRET` (environment.ts). */
export const DEV_CALENDAR_SECRET = 'edugraph-dev-calendar-secret-not-for-production';

export type EventsModuleOptions = {
  /** Origin of the community subgraph's `/ics/...` routes (default `http://127.0.0.1:4007`). */
  publicUrl?: () => string;
  calendarSecret?: string;
  /** Event page URL template for ICS `URL` (`{communityId}`, `{eventId}`), if the web app has one. */
  eventPageUrl?: string | null;
  /** Reminder offsets in minutes before an occurrence (default 1440 and 60). */
  reminderOffsetsMinutes?: readonly number[];
};

/** The events module's services (`services.events`). */
export type EventsModule = {
  events: EventService;
  rsvps: EventRsvpService;
  queries: EventQueries;
  reminders: EventReminderService;
  calendar: EventCalendarService;
};

export function createEventsModule(
  dataSource: DataSource,
  access: CommunityAccess,
  clock: Clock,
  logger: Logger,
  options: EventsModuleOptions = {},
): { module: EventsModule; loaders: EventLoaders } {
  const queries = new EventQueries(dataSource);
  return {
    module: {
      events: new EventService(dataSource, access, clock),
      rsvps: new EventRsvpService(dataSource, access, clock),
      queries,
      reminders: new EventReminderService(
        dataSource,
        clock,
        logger,
        options.reminderOffsetsMinutes ?? DEFAULT_REMINDER_OFFSETS,
      ),
      calendar: new EventCalendarService(dataSource, access, clock, {
        publicUrl: options.publicUrl ?? (() => 'http://127.0.0.1:4007'),
        secret: options.calendarSecret ?? DEV_CALENDAR_SECRET,
        eventPageUrl: options.eventPageUrl ?? null,
      }),
    },
    loaders: createEventLoaders(queries, clock),
  };
}
