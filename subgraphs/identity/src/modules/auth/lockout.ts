import { HOUR, MINUTE } from '../../shared/clock.js';

export const MAX_CONSECUTIVE_FAILURES = 10;
export const BASE_LOCK_MS = 15 * MINUTE;
/** Doubling stops at one day. */
export const MAX_LOCK_MS = 24 * HOUR;

/** Lock duration for the n-th lock (1-based): 15 min, 30 min, 60 min, … capped at 24 h. */
export function lockDurationMs(lockNumber: number): number {
  if (lockNumber < 1) return 0;
  return Math.min(BASE_LOCK_MS * 2 ** (lockNumber - 1), MAX_LOCK_MS);
}

export type LockoutState = { failedCount: number; lockCount: number; lockedUntil: Date | null };

export function isLocked(state: LockoutState, now: Date): boolean {
  return state.lockedUntil !== null && state.lockedUntil.getTime() > now.getTime();
}

/** The state after one more failed attempt. The 10th consecutive failure locks the account. */
export function afterFailure(state: LockoutState, now: Date): LockoutState {
  const failedCount = state.failedCount + 1;
  if (failedCount < MAX_CONSECUTIVE_FAILURES) return { ...state, failedCount };
  const lockCount = state.lockCount + 1;
  return { failedCount: 0, lockCount, lockedUntil: new Date(now.getTime() + lockDurationMs(lockCount)) };
}

/** A successful sign-in clears failures and the doubling history. */
export function afterSuccess(): LockoutState {
  return { failedCount: 0, lockCount: 0, lockedUntil: null };
}
