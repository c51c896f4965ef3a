import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** Logical databases 1–15 are handed out to whole-platform runs; database 0 stays with the subgraph harnesses. */
const FIRST_DB = 1;
const LAST_DB = 15;
const LEASE_SECONDS = 60;
const KEY = (db: number) => `edugraph:test-redis-lease:${db}`;

export type RedisLease = { url: string; db: number; release: () => Promise<void> };

/**
 * An exclusive, empty Redis logical database for one platform run. Runs in other processes (other
 * Vitest workers, a benchmark, another checkout's tests) hold their own leases in database 0, so
 * nobody's event routes, queues or pub/sub are flushed from under them. The lease is renewed while
 * held and expires on its own if the holder dies; with every database taken this waits.
 */
export async function leaseRedisDatabase(
  baseUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
): Promise<RedisLease> {
  const control = new Redis(`${baseUrl}/0`, { lazyConnect: true, maxRetriesPerRequest: 3 });
  await control.connect();
  const holder = `${process.pid}:${randomUUID()}`;
  const started = Date.now();
  for (;;) {
    // Start from a worker-dependent database so parallel workers rarely contend for the same key.
    const offset = Number(process.env['VITEST_POOL_ID'] ?? '0') % (LAST_DB - FIRST_DB + 1);
    for (let i = 0; i <= LAST_DB - FIRST_DB; i++) {
      const db = FIRST_DB + ((offset + i) % (LAST_DB - FIRST_DB + 1));
      if ((await control.set(KEY(db), holder, 'EX', LEASE_SECONDS, 'NX')) !== 'OK') continue;
      const url = `${baseUrl}/${db}`;
      const data = new Redis(url);
      await data.flushdb();
      data.disconnect();
      const renew = setInterval(
        () => {
          void control
            .eval(
              "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end return 0",
              1,
              KEY(db),
              holder,
              LEASE_SECONDS,
            )
            .catch(() => undefined);
        },
        (LEASE_SECONDS * 1000) / 3,
      );
      renew.unref();
      return {
        url,
        db,
        release: async () => {
          clearInterval(renew);
          await control.eval(
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
            1,
            KEY(db),
            holder,
          );
          control.disconnect();
        },
      };
    }
    if (Date.now() - started > 10 * 60_000) {
      control.disconnect();
      throw new Error(`No free Redis database ${FIRST_DB}–${LAST_DB} for 10 minutes.`);
    }
    await sleep(500);
  }
}
