import { mkdtemp, rm, chmod } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { RedisUnavailableError, startLocalRedis } from './local-redis.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edugraph-launcher-'));
  await chmod(dir, 0o755); // the postgres system user must reach the data directory when we run as root
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('embedded PostgreSQL', () => {
  it('initialises a real server, creates the database, and keeps data across a restart', async () => {
    const port = await freePort();
    // a DATA_DIR that does not exist yet, as `DATA_DIR=/somewhere/new npm start` gives
    const dataDir = path.join(dir, 'new', 'data', 'postgres');
    const options = { dataDir, port, database: 'edugraph', log: () => undefined };
    const first = await startEmbeddedPostgres(options);
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    await client.query('CREATE TABLE kept (value text)');
    await client.query(`INSERT INTO kept VALUES ('survives')`);
    await client.end();
    await first.stop();

    const second = await startEmbeddedPostgres(options);
    const again = new pg.Client({ connectionString: second.url });
    await again.connect();
    const { rows } = await again.query<{ value: string }>('SELECT value FROM kept');
    await again.end();
    await second.stop();
    expect(rows).toEqual([{ value: 'survives' }]);
  }, 60_000);
});

describe('local Redis', () => {
  it('starts a private redis-server and stops it', async () => {
    const port = await freePort();
    const redis = await startLocalRedis({ dataDir: path.join(dir, 'redis'), port });
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await redis.stop();
    const refused = new Redis(redis.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    refused.on('error', () => undefined);
    await expect(refused.connect()).rejects.toThrow();
  });

  it('explains how to install Redis when there is no redis-server and no REDIS_URL', async () => {
    const originalPath = process.env['PATH'];
    process.env['PATH'] = path.join(dir, 'empty-bin');
    try {
      const error = await startLocalRedis({ dataDir: path.join(dir, 'redis2'), port: 1 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RedisUnavailableError);
      expect((error as Error).message).toMatch(/apt-get install redis-server/);
      expect((error as Error).message).toMatch(/REDIS_URL/);
    } finally {
      process.env['PATH'] = originalPath;
    }
  });
});
