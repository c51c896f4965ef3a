import { randomUUID } from 'node:crypto';
import type { Logger, Redis } from '@edugraph/kit';
import type { FlagDefinition, FlagOverrideDefinition } from './flag-evaluator.js';

export type CachedFlag = { id: string; definition: FlagDefinition };
export type FlagSnapshot = Map<string, CachedFlag>;
/** Overrides of one tenant (`USER:<id>` or `COMMUNITY:<id>`) by flag id. */
export type TenantOverrides = Map<string, FlagOverrideDefinition>;

type Entry<T> = { value: T; expiresAt: number };

const MAX_TENANT_ENTRIES = 10_000;

/**
 * In-process cache of flag definitions and per-tenant overrides, each entry kept at most `ttlMs`
 * (≤ 30 s). Any change invalidates it here at once and, through Redis pub/sub, in every other
 * platform process. A generation counter drops loads that raced with an invalidation.
 */
export class FlagCache {
  private snapshot: Entry<FlagSnapshot> | null = null;
  private readonly tenants = new Map<string, Entry<TenantOverrides>>();
  private generation = 0;
  private loading: { generation: number; promise: Promise<FlagSnapshot> } | null = null;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The snapshot; on a miss, concurrent callers share one `load` (a cold or expired cache under load
   * runs the definitions query once, not once per request).
   */
  async flags(load: () => Promise<FlagSnapshot>): Promise<FlagSnapshot> {
    const current = this.snapshot;
    if (current && current.expiresAt > this.now()) return current.value;
    const generation = this.generation;
    if (this.loading?.generation === generation) return this.loading.promise;
    const promise = load()
      .then((value) => {
        if (generation === this.generation) this.snapshot = { value, expiresAt: this.now() + this.ttlMs };
        return value;
      })
      .finally(() => {
        if (this.loading?.promise === promise) this.loading = null;
      });
    this.loading = { generation, promise };
    return promise;
  }

  /** Returns cached overrides per tenant key; loads the missing keys in one call. */
  async overrides(
    keys: string[],
    load: (missing: string[]) => Promise<Map<string, TenantOverrides>>,
  ): Promise<Map<string, TenantOverrides>> {
    const result = new Map<string, TenantOverrides>();
    const missing: string[] = [];
    const now = this.now();
    for (const key of keys) {
      const entry = this.tenants.get(key);
      if (entry && entry.expiresAt > now) result.set(key, entry.value);
      else missing.push(key);
    }
    if (missing.length === 0) return result;
    const generation = this.generation;
    const loaded = await load(missing);
    for (const key of missing) {
      const value = loaded.get(key) ?? new Map<string, FlagOverrideDefinition>();
      result.set(key, value);
      if (generation === this.generation) {
        if (this.tenants.size >= MAX_TENANT_ENTRIES) {
          const oldest = this.tenants.keys().next();
          if (!oldest.done) this.tenants.delete(oldest.value);
        }
        this.tenants.set(key, { value, expiresAt: this.now() + this.ttlMs });
      }
    }
    return result;
  }

  invalidate(): void {
    this.generation += 1;
    this.snapshot = null;
    this.tenants.clear();
  }
}

/** Cross-process invalidation over Redis pub/sub. */
export class FlagCacheInvalidation {
  private subscriber: Redis | null = null;
  /** Messages carry the sender's id: a process has already invalidated itself and skips its own echo. */
  private readonly instanceId = randomUUID();

  constructor(
    private readonly publisher: Redis,
    private readonly channel: string,
    private readonly cache: FlagCache,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const subscriber = this.publisher.duplicate();
    subscriber.on('error', (error: Error) => this.logger.warn({ err: error }, 'flag cache subscriber error'));
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel && message !== this.instanceId) this.cache.invalidate();
    });
    await subscriber.subscribe(this.channel);
    this.subscriber = subscriber;
  }

  /** Invalidates locally now, then tells the other processes. */
  async publish(): Promise<void> {
    this.cache.invalidate();
    try {
      await this.publisher.publish(this.channel, this.instanceId);
    } catch (error) {
      // Other processes still converge within the TTL.
      this.logger.warn({ err: error }, 'flag cache invalidation publish failed');
    }
  }

  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await subscriber.quit().catch(() => undefined);
  }
}
