import { describe, expect, it } from 'vitest';
import { createSharedCache, sharedLifetimeMs, type Shareable } from './shared-cache.js';

type Result = { data: { user: { name: string } } };

function loader(cacheControl: string | null, name = 'Ada') {
  const shareForMs = sharedLifetimeMs(cacheControl);
  const calls: number[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const load = async (): Promise<Shareable<Result>> => {
    calls.push(calls.length);
    await gate;
    return { result: { data: { user: { name } } }, shareForMs };
  };
  return { load, calls, release };
}

describe('sharedLifetimeMs', () => {
  it('is the max-age of a public answer, and zero for anything private or uncacheable', () => {
    expect(sharedLifetimeMs('max-age=30, public')).toBe(30_000);
    expect(sharedLifetimeMs('public, max-age=5')).toBe(5_000);
    expect(sharedLifetimeMs('max-age=30, private')).toBe(0);
    expect(sharedLifetimeMs('no-store')).toBe(0);
    expect(sharedLifetimeMs('public')).toBe(0);
    expect(sharedLifetimeMs('public, max-age=0')).toBe(0);
    expect(sharedLifetimeMs('public, max-age=30, no-cache')).toBe(0);
    expect(sharedLifetimeMs(null)).toBe(0);
  });
});

describe('createSharedCache', () => {
  it('answers identical fetches in flight and within max-age with one public answer, as separate copies', async () => {
    let now = 1_000;
    const cache = createSharedCache({ maxEntries: 10, maxAgeCapMs: 60_000, clone: true, now: () => now });
    const { load, calls, release } = loader('max-age=30, public');
    const pending = [cache.run('k', load), cache.run('k', load), cache.run('k', load)];
    release();
    const results = await Promise.all(pending);
    expect(calls).toHaveLength(1);
    expect(results.map((r) => [r.result.data.user.name, r.shared])).toEqual([
      ['Ada', true],
      ['Ada', true],
      ['Ada', true],
    ]);
    results[0]!.result.data.user.name = 'mutated by one subscriber';
    now += 29_000;
    expect((await cache.run('k', load)).result.data.user.name).toBe('Ada');
    expect(calls).toHaveLength(1);
    now += 2_000; // past max-age
    await cache.run('k', load);
    expect(calls).toHaveLength(2);
  });

  it('never shares a private or uncacheable answer: each waiter fetches for itself', async () => {
    for (const header of ['max-age=30, private', 'no-store', null]) {
      const cache = createSharedCache({ maxEntries: 10, maxAgeCapMs: 60_000, clone: true });
      const { load, calls, release } = loader(header);
      const pending = [cache.run('k', load), cache.run('k', load)];
      release();
      expect((await Promise.all(pending)).map((r) => r.shared)).toEqual([false, false]);
      await cache.run('k', load);
      expect({ header, calls: calls.length, cached: cache.size() }).toEqual({ header, calls: 3, cached: 0 });
    }
  });

  it('keys by request: another body is another fetch; the cap bounds max-age and entries', async () => {
    let now = 0;
    const cache = createSharedCache({ maxEntries: 2, maxAgeCapMs: 1_000, clone: true, now: () => now });
    const a = loader('max-age=300, public', 'A');
    const b = loader('max-age=300, public', 'B');
    const c = loader('max-age=300, public', 'C');
    for (const l of [a, b, c]) l.release();
    expect((await cache.run('a', a.load)).result.data.user.name).toBe('A');
    expect((await cache.run('b', b.load)).result.data.user.name).toBe('B');
    expect((await cache.run('c', c.load)).result.data.user.name).toBe('C');
    expect(cache.size()).toBe(2); // 'a', the oldest, was evicted
    await cache.run('a', a.load);
    expect(a.calls).toHaveLength(2);
    now += 1_001; // beyond the cap, though the subgraph allowed 300 s
    await cache.run('c', c.load);
    expect(c.calls).toHaveLength(2);
  });

  it('lets waiters fetch for themselves when the first fetch fails', async () => {
    const cache = createSharedCache({ maxEntries: 10, maxAgeCapMs: 60_000, clone: true });
    let calls = 0;
    const failing = async (): Promise<Shareable<Result>> => {
      calls += 1;
      if (calls === 1) throw new Error('subgraph down');
      return { result: { data: { user: { name: 'Ada' } } }, shareForMs: 30_000 };
    };
    const [first, second] = await Promise.allSettled([cache.run('k', failing), cache.run('k', failing)]);
    expect(first.status).toBe('rejected');
    expect(second).toEqual({
      status: 'fulfilled',
      value: { result: { data: { user: { name: 'Ada' } } }, shared: true },
    });
  });
  it('hands out the one shared object when copies are not asked for', async () => {
    const cache = createSharedCache({ maxEntries: 10, maxAgeCapMs: 5_000, clone: false });
    const { load, release } = loader('max-age=5, public');
    release();
    const [a, b] = await Promise.all([cache.run('k', load), cache.run('k', load)]);
    expect(a.result).toBe(b.result);
  });
});
