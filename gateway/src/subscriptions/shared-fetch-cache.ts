/**
 * Every subscriber of an event runs the same per-event entity fetches (e.g. the message author's
 * `displayName` from identity), differing only in the token they carry. A subgraph that answers
 * `Cache-Control: public, max-age=N` declares the answer the same for every viewer (Apollo cache hints),
 * so it is shared: kept for N seconds (capped) under the subgraph and request body — never the token —
 * and identical fetches in flight wait for the first. Private or uncacheable answers are never shared:
 * whoever waited on one fetches for themself.
 */
export type SharedFetchCacheOptions = {
  maxEntries: number;
  /** Upper bound on how long a public answer is reused, whatever max-age the subgraph sent. */
  maxAgeCapMs: number;
  now?: () => number;
};

export type FetchAnswer<T> = { result: T; cacheControl: string | null };

export type SharedFetchCache = {
  run: <T>(key: string, load: () => Promise<FetchAnswer<T>>) => Promise<T>;
  size: () => number;
};

/** Milliseconds a `Cache-Control` header lets anyone reuse the answer (0 unless public with max-age). */
export function sharedLifetimeMs(header: string | null): number {
  if (!header) return 0;
  const directives = header
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  if (!directives.includes('public')) return 0;
  if (directives.some((d) => d === 'private' || d === 'no-store' || d === 'no-cache')) return 0;
  const maxAge = directives.find((d) => d.startsWith('max-age='));
  const seconds = maxAge ? Number(maxAge.slice('max-age='.length)) : 0;
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

export function createSharedFetchCache(options: SharedFetchCacheOptions): SharedFetchCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { expiresAt: number; result: unknown }>();
  const inFlight = new Map<string, Promise<FetchAnswer<unknown>>>();

  const remember = (key: string, answer: FetchAnswer<unknown>) => {
    const lifetime = Math.min(sharedLifetimeMs(answer.cacheControl), options.maxAgeCapMs);
    if (lifetime <= 0) return;
    entries.delete(key);
    entries.set(key, { expiresAt: now() + lifetime, result: answer.result });
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
  };

  return {
    async run<T>(key: string, load: () => Promise<FetchAnswer<T>>): Promise<T> {
      const hit = entries.get(key);
      if (hit && hit.expiresAt > now()) return structuredClone(hit.result) as T;
      if (hit) entries.delete(key);

      const pending = inFlight.get(key);
      if (pending) {
        const shared = await pending.then(
          (answer) => (sharedLifetimeMs(answer.cacheControl) > 0 ? answer : null),
          () => null,
        );
        if (shared) return structuredClone(shared.result) as T;
        return (await load()).result;
      }

      const loading = load();
      inFlight.set(key, loading);
      try {
        const answer = await loading;
        remember(key, answer);
        return structuredClone(answer.result);
      } finally {
        inFlight.delete(key);
      }
    },
    size: () => entries.size,
  };
}
