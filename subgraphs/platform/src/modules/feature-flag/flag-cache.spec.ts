import { describe, expect, it } from 'vitest';
import { FlagCache, type FlagSnapshot } from './flag-cache.js';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('FlagCache.flags', () => {
  it('runs one load for concurrent misses and serves the result until the TTL passes', async () => {
    const clock = { now: 0 };
    const cache = new FlagCache(1_000, () => clock.now);
    const pending = deferred<FlagSnapshot>();
    let loads = 0;
    const load = () => {
      loads += 1;
      return pending.promise;
    };
    const results = Promise.all([cache.flags(load), cache.flags(load), cache.flags(load)]);
    const snapshot: FlagSnapshot = new Map();
    pending.resolve(snapshot);
    expect(await results).toEqual([snapshot, snapshot, snapshot]);
    expect(loads).toBe(1);
    expect(await cache.flags(load)).toBe(snapshot);
    expect(loads).toBe(1);
    clock.now = 1_001;
    await cache.flags(async () => {
      loads += 1;
      return new Map();
    });
    expect(loads).toBe(2);
  });

  it('does not hand a load that raced with an invalidation to later callers', async () => {
    const cache = new FlagCache(1_000, () => 0);
    const stale = deferred<FlagSnapshot>();
    const first = cache.flags(() => stale.promise);
    cache.invalidate();
    const fresh: FlagSnapshot = new Map([['a', { id: 'x', definition: {} as never }]]);
    const second = cache.flags(async () => fresh);
    stale.resolve(new Map());
    expect(await second).toBe(fresh);
    await first;
    expect(await cache.flags(async () => new Map())).toBe(fresh);
  });

  it('forgets a failed load so the next call tries again', async () => {
    const cache = new FlagCache(1_000, () => 0);
    await expect(cache.flags(async () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    const snapshot: FlagSnapshot = new Map();
    expect(await cache.flags(async () => snapshot)).toBe(snapshot);
  });
});
