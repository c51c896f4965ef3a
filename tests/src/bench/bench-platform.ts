import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@edugraph/kit/testing';
import { startPlatform, subgraphDefinitions, type RunningPlatform } from '@edugraph/launcher';
import { leaseRedisDatabase } from '../harness/redis-lease.js';

/** The whole platform for a benchmark: a fresh database, fresh production secrets, rate limits off. */
export async function startBenchPlatform(
  env: Record<string, string>,
): Promise<{ platform: RunningPlatform; databaseUrl: string; stop: () => Promise<void> }> {
  const database = await createTestDatabase('edugraph_bench');
  const redis = await leaseRedisDatabase();
  const platform = await startPlatform({
    env: {
      NODE_ENV: 'production',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_DISABLED: 'true',
      IDENTITY_DATA_KEY: randomBytes(32).toString('base64'),
      INTERNAL_API_TOKEN: randomBytes(32).toString('base64url'),
      AUDIT_IP_HASH_SECRET: randomBytes(32).toString('base64url'),
      MEDIA_SIGNING_SECRET: randomBytes(32).toString('base64url'),
      EBOOK_WATERMARK_SECRET: randomBytes(32).toString('base64url'),
      COMMUNITY_CALENDAR_SECRET: randomBytes(32).toString('base64url'),
      ...env,
    },
    databaseUrl: database.url,
    redisUrl: redis.url,
    definitions: subgraphDefinitions,
    gatewayPort: 0,
    randomPorts: true,
    seed: false,
  });
  return {
    platform,
    databaseUrl: database.url,
    stop: async () => {
      await platform.stop();
      await redis.release();
      await database.drop();
    },
  };
}
