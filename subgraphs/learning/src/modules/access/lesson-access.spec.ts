import type { Viewer } from '@edugraph/kit';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../common/clock.js';
import { lessonAccess, lessonUnlocksAt, releaseTime } from './lesson-access.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const at = (days: number) => new Date(T0.getTime() + days * DAY_MS);
const none = { releaseAt: null, releaseOffsetDays: null };
const viewer = (userId: string, roles: Viewer['roles'] = ['LEARNER']): Viewer => ({
  userId,
  roles,
  sessionId: null,
  scopes: [],
  apiKeyId: null,
  expiresAt: 0,
});
const course = { instructorId: 'teacher', status: 'PUBLISHED' as const };
const active = { status: 'ACTIVE' as const, activatedAt: T0 };

describe('drip times', () => {
  it('a fixed date wins; an offset counts from activation; zero or nothing means no drip', () => {
    expect(releaseTime({ releaseAt: at(3), releaseOffsetDays: null }, T0)).toEqual(at(3));
    expect(releaseTime({ releaseAt: null, releaseOffsetDays: 5 }, T0)).toEqual(at(5));
    expect(releaseTime({ releaseAt: null, releaseOffsetDays: 0 }, T0)).toBeNull();
    expect(releaseTime(none, T0)).toBeNull();
    expect(releaseTime({ releaseAt: null, releaseOffsetDays: 5 }, null)).toBeNull();
  });

  it('a lesson unlocks at the later of its module and its own release', () => {
    expect(
      lessonUnlocksAt(
        { releaseAt: null, releaseOffsetDays: 7 },
        { releaseAt: at(2), releaseOffsetDays: null },
        T0,
      ),
    ).toEqual(at(7));
    expect(
      lessonUnlocksAt(
        { releaseAt: null, releaseOffsetDays: 1 },
        { releaseAt: null, releaseOffsetDays: 4 },
        T0,
      ),
    ).toEqual(at(4));
    expect(lessonUnlocksAt(none, none, T0)).toBeNull();
  });
});

describe('lessonAccess', () => {
  const base = {
    course,
    module: { releaseAt: null, releaseOffsetDays: 7 },
    lesson: { ...none, isPreview: false },
  };

  it('staff always, enrolled learners after release, previews for anyone, others never', () => {
    expect(
      lessonAccess({ ...base, viewer: viewer('teacher', ['INSTRUCTOR']), enrollment: null, now: T0 }).state,
    ).toBe('OPEN');
    expect(lessonAccess({ ...base, viewer: viewer('x', ['ADMIN']), enrollment: null, now: T0 }).state).toBe(
      'OPEN',
    );
    expect(lessonAccess({ ...base, viewer: viewer('l'), enrollment: active, now: at(6) })).toEqual({
      state: 'LOCKED',
      unlocksAt: at(7),
    });
    expect(lessonAccess({ ...base, viewer: viewer('l'), enrollment: active, now: at(7) }).state).toBe('OPEN');
    expect(
      lessonAccess({
        ...base,
        viewer: viewer('l'),
        enrollment: { ...active, status: 'COMPLETED' },
        now: at(8),
      }).state,
    ).toBe('OPEN');
    for (const status of ['INVITED', 'CANCELLED'] as const)
      expect(
        lessonAccess({ ...base, viewer: viewer('l'), enrollment: { status, activatedAt: T0 }, now: at(8) })
          .state,
      ).toBe('ENROLLMENT_REQUIRED');
    expect(lessonAccess({ ...base, viewer: null, enrollment: null, now: at(8) }).state).toBe(
      'ENROLLMENT_REQUIRED',
    );
    const preview = { ...base, lesson: { ...none, isPreview: true } };
    expect(lessonAccess({ ...preview, viewer: null, enrollment: null, now: T0 }).state).toBe('OPEN');
    expect(
      lessonAccess({
        ...preview,
        course: { ...course, status: 'DRAFT' },
        viewer: null,
        enrollment: null,
        now: T0,
      }).state,
    ).toBe('ENROLLMENT_REQUIRED');
  });
});
