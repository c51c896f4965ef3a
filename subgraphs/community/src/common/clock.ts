/** The time source services use (tests pass a controlled one). */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export const DAY_MS = 86_400_000;
