/**
 * Work that every subscriber of an event repeats, shared when it may be.
 * - Per-event entity fetches (e.g. the message author's `displayName` from identity) differ only in the
 *   token they carry. A subgraph that answers `Cache-Control: public, max-age=N` declares the answer the
 *   same for every viewer (Apollo cache hints), so it is kept for N seconds (capped) under the subgraph
 *   and request body — never the token.
 * - A whole event's resolution, when the primary event is identical and every fetch was public.
 * Identical loads in flight wait for the first; an answer that may not be shared is never handed to
 * anyone else: whoever waited on it loads for themself.
 */
export type SharedCacheOptions = {
  maxEntries: number;
  /** Upper bound on how long an answer is reused, whatever lifetime its loader gave. */
  maxAgeCapMs: number;
  /** Hand every caller its own deep copy (when callers mutate what they get). */
  clone: boolean;
  now?: () => number;
};

/** A loaded value and how long anyone may reuse it (0: only its own caller). */
export type Shareable<T> = { result: T; shareForMs: number };

export type SharedCache = {
  /** The value for `key`: a reusable one if present, else the in-flight load's if it turns out reusable, else `load()`. */
  run: <T>(key: string, load: () => Promise<Shareable<T>>) => Promise<{ result: T; shared: boolean }>;
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

export function createSharedCache(options: SharedCacheOptions): SharedCache {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { expiresAt: number; result: unknown }>();
  const inFlight = new Map<string, Promise<Shareable<unknown>>>();
  const copy = <T>(value: T): T => (options.clone ? structuredClone(value) : value);

  const remember = (key: string, answer: Shareable<unknown>) => {
    const lifetime = Math.min(answer.shareForMs, options.maxAgeCapMs);
    if (lifetime <= 0) return;
    entries.delete(key);
    entries.set(key, { expiresAt: now() + lifetime, result: answer.result });
    while (entries.size > options.maxEntries) entries.delete(entries.keys().next().value as string);
  };

  return {
    async run<T>(key: string, load: () => Promise<Shareable<T>>) {
      const hit = entries.get(key);
      if (hit && hit.expiresAt > now()) return { result: copy(hit.result as T), shared: true };
      if (hit) entries.delete(key);

      const pending = inFlight.get(key) as Promise<Shareable<T>> | undefined;
      if (pending) {
        const answer = await pending.catch(() => null);
        if (answer && answer.shareForMs > 0) return { result: copy(answer.result), shared: true };
        const own = await load();
        return { result: own.result, shared: own.shareForMs > 0 };
      }

      const loading = load();
      inFlight.set(key, loading);
      try {
        const answer = await loading;
        remember(key, answer);
        return { result: copy(answer.result), shared: answer.shareForMs > 0 };
      } finally {
        inFlight.delete(key);
      }
    },
    size: () => entries.size,
  };
}
