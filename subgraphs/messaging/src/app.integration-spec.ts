import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createRedis } from '@edugraph/kit';
import { createTestDatabase, type TestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { subgraph } from './app.js';
import { TEST_REDIS_URL } from './testing/messaging-harness.js';

describe('messaging subgraph definition', () => {
  let db: TestDatabase;
  const prefix = `test-messaging-app-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    db = await createTestDatabase('messaging_app');
  });
  afterAll(async () => {
    const redis = createRedis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('describes itself for the launcher (name, schema, port 4003)', () => {
    expect(subgraph).toMatchObject({ name: 'messaging', schemaName: 'messaging', defaultPort: 4003 });
  });

  it('migrates idempotently, then starts HTTP + graphql-ws on one port and stops cleanly', async () => {
    expect(await subgraph.migrate(db.url)).toEqual([
      'MessagingInit1764500000000',
      'ConversationActivity1764500001000',
      'CommunityChannelSync1764500002000',
    ]);
    expect(await subgraph.migrate(db.url)).toEqual([]);
    const running = await subgraph.start({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'silent',
    });
    try {
      expect(running.wsUrl).toBe(running.url.replace('http://', 'ws://'));
      const base = running.url.replace(/\/graphql$/, '');
      expect(await (await fetch(`${base}/ready`)).json()).toEqual({
        status: 'ready',
        database: 'ok',
        redis: 'ok',
      });
      const anonymous = await fetch(running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ unreadCounts { total } }' }),
      });
      expect(
        ((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions
          .code,
      ).toBe('UNAUTHENTICATED');
      const code = await new Promise<number>((resolve) => {
        const socket = new WebSocket(running.wsUrl!, 'graphql-transport-ws');
        socket.on('open', () =>
          socket.send(
            JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer not.a.token' } }),
          ),
        );
        socket.on('close', (closeCode) => resolve(closeCode));
      });
      expect(code).toBe(4403);
    } finally {
      await running.stop();
    }
  });
});
