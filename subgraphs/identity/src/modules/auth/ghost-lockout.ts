import type { Redis } from 'ioredis';
import { DAY } from '../../shared/clock.js';
import { sha256Hex } from '../../shared/crypto.js';
import { afterFailure, type LockoutState } from './lockout.js';

/**
 * Lockout state for emails that have no account, kept in Redis, so that unknown emails lock after 10
 * failures exactly like real ones and the answers never tell whether an account exists.
 */
export class GhostLockout {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private key(email: string): string {
    return `${this.keyPrefix}:ghost-lockout:${sha256Hex(email)}`;
  }

  async state(email: string): Promise<LockoutState> {
    const raw = await this.redis.get(this.key(email));
    if (!raw) return { failedCount: 0, lockCount: 0, lockedUntil: null };
    const parsed = JSON.parse(raw) as { failedCount: number; lockCount: number; lockedUntil: string | null };
    return { ...parsed, lockedUntil: parsed.lockedUntil ? new Date(parsed.lockedUntil) : null };
  }

  async recordFailure(email: string, now: Date): Promise<LockoutState> {
    const next = afterFailure(await this.state(email), now);
    await this.redis.set(
      this.key(email),
      JSON.stringify({ ...next, lockedUntil: next.lockedUntil?.toISOString() ?? null }),
      'PX',
      2 * DAY,
    );
    return next;
  }
}
