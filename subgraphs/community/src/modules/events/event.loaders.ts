import { byKey, type Connection, type LoaderFactory } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { Clock } from '../../common/clock.js';
import type { EventEntity, EventOccurrenceEntity } from './event.entity.js';
import type {
  EventQueries,
  OccurrenceCounts,
  OccurrencePageKey,
  RsvpPageKey,
  RsvpView,
} from './event-queries.js';

/** The events module's per-request DataLoaders (`services.loaders.events.*`). */
export type EventLoaders = {
  event: LoaderFactory<string, EventEntity | null>;
  occurrence: LoaderFactory<string, EventOccurrenceEntity | null>;
  counts: LoaderFactory<string, OccurrenceCounts>;
  /** Key `occurrenceId|userId`. */
  rsvp: LoaderFactory<string, RsvpView | null>;
  /** Key `occurrenceId|userId`. */
  attended: LoaderFactory<string, boolean>;
  nextOccurrence: LoaderFactory<string, EventOccurrenceEntity | null>;
  occurrencePage: LoaderFactory<OccurrencePageKey, Connection<EventOccurrenceEntity>>;
  rsvpPage: LoaderFactory<RsvpPageKey, Connection<RsvpView>>;
  /** A user's calendar-token salt (null until they first rotate it). */
  calendarSalt: LoaderFactory<string, string | null>;
};

const EMPTY_COUNTS: OccurrenceCounts = { going: 0, interested: 0, declined: 0, waitlisted: 0, attended: 0 };

export function createEventLoaders(queries: EventQueries, clock: Clock): EventLoaders {
  return {
    event: () => new DataLoader(async (ids) => byKey(ids, await queries.eventsByIds(ids), (r) => r.id)),
    occurrence: () =>
      new DataLoader(async (ids) => byKey(ids, await queries.occurrencesByIds(ids), (r) => r.id)),
    counts: () =>
      new DataLoader(async (ids) => {
        const counts = await queries.countsByOccurrenceIds(ids);
        return ids.map((id) => counts.get(id) ?? EMPTY_COUNTS);
      }),
    rsvp: () =>
      new DataLoader(async (keys) =>
        byKey(keys, await queries.rsvpsByKeys(keys), (r) => `${r.occurrenceId}|${r.userId}`),
      ),
    attended: () =>
      new DataLoader(async (keys) => {
        const attended = await queries.attendedKeys(keys);
        return keys.map((k) => attended.has(k));
      }),
    nextOccurrence: () =>
      new DataLoader(async (ids) =>
        byKey(ids, await queries.nextOccurrences(ids, clock.now()), (r) => r.eventId),
      ),
    occurrencePage: () =>
      new DataLoader((keys) => queries.occurrencePages(keys), { cacheKeyFn: (k) => JSON.stringify(k) }),
    rsvpPage: () =>
      new DataLoader((keys) => queries.rsvpPages(keys), { cacheKeyFn: (k) => JSON.stringify(k) }),
    calendarSalt: () =>
      new DataLoader(async (ids) => {
        const salts = await queries.saltsByUserIds(ids);
        return ids.map((id) => salts.get(id) ?? null);
      }),
  };
}
