import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { RateLimitedError } from '@edugraph/kit';

/** Per-IP attempt budgets on Redis (shared by every identity instance), one bucket per `name`. */
export class IpLimiter {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    options: { name: string; keyPrefix: string; points: number; durationSeconds: number },
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${options.keyPrefix}:${options.name}-ip`,
      points: options.points,
      duration: options.durationSeconds,
    });
  }

  /** Counts one attempt from `ip`; RATE_LIMITED when the window's budget is spent. */
  async consume(ip: string | null): Promise<void> {
    try {
      await this.limiter.consume(ip ?? 'unknown');
    } catch (error) {
      if (error instanceof RateLimiterRes)
        throw new RateLimitedError(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
      throw error;
    }
  }
}
