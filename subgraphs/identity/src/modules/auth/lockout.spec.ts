import { describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../shared/clock.js';
import {
  afterFailure,
  afterSuccess,
  isLocked,
  lockDurationMs,
  MAX_CONSECUTIVE_FAILURES,
  type LockoutState,
} from './lockout.js';

const start: LockoutState = { failedCount: 0, lockCount: 0, lockedUntil: null };
const now = new Date('2026-01-01T00:00:00Z');

describe('lockout schedule', () => {
  it('15 min, doubling on each repeat lock, capped at 24 h', () => {
    expect([1, 2, 3, 4, 5].map(lockDurationMs)).toEqual([15, 30, 60, 120, 240].map((m) => m * MINUTE));
    expect(lockDurationMs(0)).toBe(0);
    expect(lockDurationMs(20)).toBe(24 * HOUR);
  });

  it('the 10th consecutive failure locks', () => {
    let state = start;
    for (let i = 1; i < MAX_CONSECUTIVE_FAILURES; i += 1) {
      state = afterFailure(state, now);
      expect(isLocked(state, now)).toBe(false);
    }
    state = afterFailure(state, now);
    expect(state).toEqual({
      failedCount: 0,
      lockCount: 1,
      lockedUntil: new Date(now.getTime() + 15 * MINUTE),
    });
    expect(isLocked(state, new Date(now.getTime() + 15 * MINUTE - 1))).toBe(true);
    expect(isLocked(state, new Date(now.getTime() + 15 * MINUTE))).toBe(false);
  });

  it('the second lock lasts 30 minutes; success clears everything', () => {
    let state: LockoutState = { failedCount: 9, lockCount: 1, lockedUntil: null };
    state = afterFailure(state, now);
    expect(state.lockedUntil!.getTime() - now.getTime()).toBe(30 * MINUTE);
    expect(afterSuccess()).toEqual(start);
  });
});
