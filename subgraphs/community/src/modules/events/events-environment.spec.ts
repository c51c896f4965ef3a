import { describe, expect, it } from 'vitest';
import { readCommunityConfig } from '../../environment.js';

const BASE = {
  DATABASE_URL: 'postgres://localhost/edugraph',
  REDIS_URL: 'redis://localhost:6379',
  JWKS_URL: 'http://localhost:4001/.well-known/jwks.json',
};

describe('events settings (readCommunityConfig)', () => {
  it('defaults: reminders 24 h and 1 h before, checked every minute; feeds at the listening URL', () => {
    expect(readCommunityConfig(BASE)).toMatchObject({
      reminderOffsetsMinutes: [1440, 60],
      reminderEverySeconds: 60,
      publicUrl: undefined,
      calendarSecret: undefined,
      eventPageUrl: undefined,
    });
  });

  it('reads offsets, the public URL, the page template and the secret', () => {
    expect(
      readCommunityConfig({
        ...BASE,
        COMMUNITY_EVENT_REMINDER_OFFSETS: '2880, 120,15',
        COMMUNITY_EVENT_REMINDER_EVERY_SECONDS: '30',
        COMMUNITY_PUBLIC_URL: 'https://community.example.org',
        COMMUNITY_EVENT_PAGE_URL: 'https://app.example.org/c/{communityId}/events/{eventId}',
        COMMUNITY_CALENDAR_SECRET: 's3cret',
      }),
    ).toMatchObject({
      reminderOffsetsMinutes: [2880, 120, 15],
      reminderEverySeconds: 30,
      publicUrl: 'https://community.example.org/',
      eventPageUrl: 'https://app.example.org/c/{communityId}/events/{eventId}',
      calendarSecret: 's3cret',
    });
  });

  it('refuses bad offsets, and production without COMMUNITY_CALENDAR_SECRET', () => {
    for (const offsets of ['0', 'soon', '60,-5', '50000'])
      expect(() => readCommunityConfig({ ...BASE, COMMUNITY_EVENT_REMINDER_OFFSETS: offsets })).toThrow(
        /COMMUNITY_EVENT_REMINDER_OFFSETS/,
      );
    expect(() => readCommunityConfig({ ...BASE, NODE_ENV: 'production' })).toThrow(
      /COMMUNITY_CALENDAR_SECRET/,
    );
    expect(
      readCommunityConfig({ ...BASE, NODE_ENV: 'production', COMMUNITY_CALENDAR_SECRET: 'x'.repeat(32) })
        .calendarSecret,
    ).toBe('x'.repeat(32));
  });
});
