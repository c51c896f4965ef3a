import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createRedis } from '@edugraph/kit';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCommunityHarness,
  TEST_REDIS_URL,
  type CommunityHarness,
  type TestUser,
} from '../../testing/community-harness.js';
import {
  EVENT_REMINDER_JOB,
  EVENT_REMINDER_QUEUE,
  startEventReminderScheduler,
} from './event-reminder.scheduler.js';
import {
  CANCEL_EVENT,
  createEvent,
  firstOccurrenceId,
  onlineEvent,
  RSVP,
  UPDATE_EVENT,
} from './events.test-kit.js';

const NOW = new Date('2025-09-01T06:00:00Z');
const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('event reminders', () => {
  let h: CommunityHarness;
  let owner: TestUser;
  let communityId: string;

  beforeAll(async () => {
    h = await createCommunityHarness('event_reminders', { now: NOW });
    owner = await h.user();
    communityId = (await h.community(owner)).id;
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The reminders recorded for one event, as [offset, occurrence start] pairs. */
  async function remindersOf(eventId: string) {
    const events = await h.outbox(['community.event.reminder_due']);
    return events.filter((e) => e.payload['eventId'] === eventId).map((e) => e.payload);
  }

  async function member(): Promise<TestUser> {
    const user = await h.user();
    await h.member(communityId, user, 'MEMBER');
    return user;
  }

  it('sends the 24 h and the 1 h reminder once each at the configured offsets, to GOING and INTERESTED members', async () => {
    const start = new Date(NOW.getTime() + 3 * 24 * HOUR);
    const event = await createEvent(
      h,
      owner,
      onlineEvent(communityId, start, { title: 'Reading club', capacity: 1 }),
    );
    const occurrenceId = await firstOccurrenceId(h, event.id);
    const [goer, maybe, no, waiting] = [await member(), await member(), await member(), await member()];
    await h.ok(RSVP, { input: { occurrenceId, status: 'GOING' } }, goer);
    await h.ok(RSVP, { input: { occurrenceId, status: 'INTERESTED' } }, maybe);
    await h.ok(RSVP, { input: { occurrenceId, status: 'DECLINED' } }, no);
    await h.ok(RSVP, { input: { occurrenceId, status: 'GOING' } }, waiting); // waitlisted
    const reminders = h.services.events.reminders;

    expect(await reminders.runDue(new Date(start.getTime() - 24 * HOUR - MINUTE))).toBe(0);
    expect(await reminders.runDue(new Date(start.getTime() - 24 * HOUR))).toBe(1);
    expect(await reminders.runDue(new Date(start.getTime() - 24 * HOUR + MINUTE))).toBe(0);
    expect(await reminders.runDue(new Date(start.getTime() - 2 * HOUR))).toBe(0);
    expect(await reminders.runDue(new Date(start.getTime() - HOUR + MINUTE))).toBe(1);
    expect(await reminders.runDue(new Date(start.getTime() - MINUTE))).toBe(0);
    expect(await reminders.runDue(new Date(start.getTime() + MINUTE))).toBe(0);

    const sent = await remindersOf(event.id);
    expect(sent).toEqual([
      {
        communityId,
        eventId: event.id,
        occurrenceId,
        occurrenceStart: start.toISOString(),
        occurrenceEnd: new Date(start.getTime() + HOUR).toISOString(),
        timeZone: 'Europe/Berlin',
        title: 'Reading club',
        offsetMinutes: 1440,
        userIds: [goer.id, maybe.id],
        going: 1,
        interested: 1,
        truncated: false,
      },
      expect.objectContaining({ offsetMinutes: 60, userIds: [goer.id, maybe.id] }),
    ]);
  });

  it('a late run sends only the smallest due offset; cancelled events and occurrences get none', async () => {
    const start = new Date(NOW.getTime() + 5 * 24 * HOUR);
    const late = await createEvent(h, owner, onlineEvent(communityId, start));
    const cancelled = await createEvent(h, owner, onlineEvent(communityId, start));
    await h.ok(CANCEL_EVENT, { input: { eventId: cancelled.id } }, owner);
    // Down from before the 24 h mark until 30 minutes before the start: one reminder, the 1 h one.
    await h.services.events.reminders.runDue(new Date(start.getTime() - 30 * MINUTE));
    expect((await remindersOf(late.id)).map((r) => r['offsetMinutes'])).toEqual([60]);
    expect(await remindersOf(cancelled.id)).toEqual([]);
  });

  it('an occurrence that moves gets its reminders again for the new time; concurrent runs send each once', async () => {
    const start = new Date(NOW.getTime() + 10 * 24 * HOUR);
    const event = await createEvent(h, owner, onlineEvent(communityId, start));
    const reminders = h.services.events.reminders;
    await Promise.all([
      reminders.runDue(new Date(start.getTime() - 23 * HOUR)),
      reminders.runDue(new Date(start.getTime() - 23 * HOUR)),
      reminders.runDue(new Date(start.getTime() - 23 * HOUR)),
    ]);
    expect(await remindersOf(event.id)).toHaveLength(1);
    const later = new Date(start.getTime() + 2 * 24 * HOUR);
    await h.ok(
      UPDATE_EVENT,
      {
        input: {
          eventId: event.id,
          startsAt: later.toISOString(),
          endsAt: new Date(later.getTime() + HOUR).toISOString(),
        },
      },
      owner,
    );
    await reminders.runDue(new Date(later.getTime() - 23 * HOUR));
    expect((await remindersOf(event.id)).map((r) => r['occurrenceStart'])).toEqual([
      start.toISOString(),
      later.toISOString(),
    ]);
  });

  it('the BullMQ scheduler runs the same check from the database (nothing kept in the queue)', async () => {
    const start = new Date(NOW.getTime() + 20 * 24 * HOUR);
    const event = await createEvent(h, owner, onlineEvent(communityId, start));
    const prefix = `test-reminders-${randomUUID().slice(0, 8)}`;
    // The worker uses the services' clock: set it inside the 1 h window.
    h.clock.set(new Date(start.getTime() - 50 * MINUTE));
    const connection = createRedis(TEST_REDIS_URL, { forBullmq: true, name: 'reminders-test-events' });
    const events = new QueueEvents(EVENT_REMINDER_QUEUE, { connection, prefix });
    const scheduler = await startEventReminderScheduler({
      redisUrl: TEST_REDIS_URL,
      prefix,
      everyMs: 24 * HOUR,
      reminders: h.services.events.reminders,
      logger: h.services.logger,
    });
    try {
      await events.waitUntilReady();
      // A restarted process: a second scheduler with the same prefix upserts the same schedule.
      const again = await startEventReminderScheduler({
        redisUrl: TEST_REDIS_URL,
        prefix,
        everyMs: 24 * HOUR,
        reminders: h.services.events.reminders,
        logger: h.services.logger,
      });
      expect(await scheduler.queue.getJobSchedulersCount()).toBe(1);
      await again.stop();
      const job = await scheduler.queue.add(EVENT_REMINDER_JOB, {});
      const result = (await job.waitUntilFinished(events, 20_000)) as { sent: number };
      expect(result.sent).toBeGreaterThanOrEqual(0);
      expect((await remindersOf(event.id)).map((r) => r['offsetMinutes'])).toEqual([60]);
    } finally {
      h.clock.set(NOW);
      await scheduler.queue.obliterate({ force: true }).catch(() => undefined);
      await scheduler.stop();
      await events.close();
      await connection.quit().catch(() => undefined);
    }
  });
});
