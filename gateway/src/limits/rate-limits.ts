import { RateLimitedError } from '@edugraph/kit';
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { GatewayRateLimits, RateLimitRule } from '../environment.js';
import type { Principal } from '../auth/principal.js';

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type RateLimiters = {
  /** Per client IP, before the body is read. */
  consumeIp: (ip: string) => Promise<RateLimitDecision>;
  /** Per user (`sub`) or per API key, after authentication. Anonymous callers only have the IP limit. */
  consumePrincipal: (principal: Principal) => Promise<RateLimitDecision>;
};

function limiter(redis: Redis, keyPrefix: string, rule: RateLimitRule): RateLimiterAbstract {
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points: rule.points,
    duration: rule.durationSeconds,
    // Redis unavailable → per-instance limits in memory rather than no limits (or an outage).
    insuranceLimiter: new RateLimiterMemory({
      keyPrefix,
      points: rule.points,
      duration: rule.durationSeconds,
    }),
  });
}

async function consume(target: RateLimiterAbstract, key: string): Promise<RateLimitDecision> {
  try {
    await target.consume(key, 1);
    return { allowed: true };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}

const ALLOWED: RateLimitDecision = { allowed: true };

/** rate-limiter-flexible on Redis (fixed windows shared by every gateway instance). */
export function createRateLimiters(redis: Redis, config: GatewayRateLimits): RateLimiters {
  if (!config.enabled) return { consumeIp: async () => ALLOWED, consumePrincipal: async () => ALLOWED };
  const ip = limiter(redis, `${config.keyPrefix}:ip`, config.ip);
  const user = limiter(redis, `${config.keyPrefix}:user`, config.user);
  const apiKey = limiter(redis, `${config.keyPrefix}:api-key`, config.apiKey);
  return {
    consumeIp: (address) => consume(ip, address),
    consumePrincipal: (principal) => {
      if (principal.kind === 'user') return consume(user, principal.viewer.userId);
      if (principal.kind === 'apiKey') return consume(apiKey, principal.apiKeyId);
      return Promise.resolve(ALLOWED);
    },
  };
}

/** 429 with `RATE_LIMITED`, `retryAfterSeconds` and a `Retry-After` header. */
export function rateLimitedError(retryAfterSeconds: number): GraphQLError {
  const error = new RateLimitedError(retryAfterSeconds);
  return new GraphQLError(error.message, {
    extensions: {
      ...error.extensions,
      http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}
