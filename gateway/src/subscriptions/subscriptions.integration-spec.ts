import { randomUUID } from 'node:crypto';
import type net from 'node:net';
import { createRedisPubSub } from '@edugraph/kit';
import { createClient, type Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createGatewayApp, readGatewayConfig, type GatewayApp, type RunningGateway } from '../app.js';
import {
  startFakeIdentity,
  TEST_AUDIENCE,
  TEST_INTERNAL_TOKEN,
  TEST_ISSUER,
  type FakeIdentity,
} from '../testing/fake-identity.js';
import { composeSupergraph, REDIS_URL } from '../testing/harness.js';
import {
  chatStats,
  startChatSubgraph,
  startPeopleSubgraph,
  type ChatSubgraph,
} from '../testing/realtime-subgraphs.js';
import type { TestSubgraph } from '../testing/test-subgraphs.js';
import { CLOSE_CODES } from './subscription-server.js';

const PREFIX = `test:gateway-ws:${randomUUID()}:`;
const ALLOWED_ORIGIN = 'https://app.edugraph.test';
const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';
const WS_KEY = 'egk_test_websocket_key_000001';
const CAROL = '00000000-0000-4000-8000-00000000000c';

type Payload = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

let identity: FakeIdentity;
let chat: ChatSubgraph;
let people: TestSubgraph;
let gateway: GatewayApp;
let running: RunningGateway;
let wsUrl: string;
let redis: Redis;
let env: Record<string, string>;
let supergraphSdl: string;
const clients: Client[] = [];
const sockets: WebSocket[] = [];

const MESSAGE_QUERY = `subscription OnMessage($c: ID!) {
  messageAdded(conversationId: $c) { id text: body __typename author { name kind: __typename } }
}`;

async function token(sub = ALICE, expiresIn?: number): Promise<string> {
  return identity.sign({ sub, ...(expiresIn !== undefined ? { expiresIn } : {}) });
}

function client(authorization: string | null, onClose?: (code: number) => void): Client {
  const created = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    lazy: true,
    retryAttempts: 0,
    connectionParams: authorization ? { authorization: `Bearer ${authorization}` } : {},
    on: { closed: (event) => onClose?.((event as { code: number }).code) },
  });
  clients.push(created);
  return created;
}

type Collected = { results: Payload[]; errors: unknown[]; completed: boolean; unsubscribe: () => void };

function collect(c: Client, query: string, variables: Record<string, unknown>): Collected {
  const collected: Collected = { results: [], errors: [], completed: false, unsubscribe: () => undefined };
  collected.unsubscribe = c.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (value) => collected.results.push(value as Payload),
      error: (error) => collected.errors.push(error),
      complete: () => {
        collected.completed = true;
      },
    },
  );
  return collected;
}

/** Resolves once Redis has `count` subscribers on the conversation's channel (a publish before is lost). */
async function listening(conversationId: string, count = 1): Promise<void> {
  await vi.waitFor(
    async () => {
      const [, n] = (await redis.pubsub('NUMSUB', `${PREFIX}messageAdded:${conversationId}`)) as [
        string,
        number,
      ];
      expect(Number(n)).toBeGreaterThanOrEqual(count);
    },
    { timeout: 5000, interval: 20 },
  );
}

/** Upstream streams the gateway holds open (its gauge). */
async function upstreams(): Promise<number> {
  const text = await gateway.metrics.registry.getSingleMetricAsString('gateway_subscription_upstreams');
  const value = /^gateway_subscription_upstreams(?:\{[^}]*\})? (\d+)$/m.exec(text)?.[1];
  if (value === undefined) throw new Error(`no upstream gauge in ${text}`);
  return Number(value);
}

/** A raw graphql-transport-ws socket: close codes, frames and pauses the client library hides. */
function raw(headers: Record<string, string> = {}): {
  socket: WebSocket;
  messages: Record<string, unknown>[];
  closed: Promise<number>;
  opened: Promise<void>;
} {
  const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { headers });
  sockets.push(socket);
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data: Buffer) =>
    messages.push(JSON.parse(data.toString()) as Record<string, unknown>),
  );
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  return { socket, messages, closed, opened };
}

function send(socket: WebSocket, message: Record<string, unknown>): void {
  socket.send(JSON.stringify(message));
}

async function acked(messages: Record<string, unknown>[]): Promise<void> {
  await vi.waitFor(() => expect(messages.some((m) => m['type'] === 'connection_ack')).toBe(true), {
    timeout: 3000,
    interval: 10,
  });
}

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  identity = await startFakeIdentity();
  chat = await startChatSubgraph({ jwksUrl: identity.jwksUrl, redisUrl: REDIS_URL, prefix: PREFIX });
  people = await startPeopleSubgraph(identity.jwksUrl);
  supergraphSdl = composeSupergraph([
    { name: chat.name, url: chat.url, sdl: chat.sdl, received: [], stop: async () => undefined },
    people,
  ]);
  env = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    REDIS_URL,
    JWKS_URL: identity.jwksUrl,
    IDENTITY_URL: identity.url,
    INTERNAL_API_TOKEN: TEST_INTERNAL_TOKEN,
    TOKEN_ISSUER: TEST_ISSUER,
    TOKEN_AUDIENCE: TEST_AUDIENCE,
    RATE_LIMIT_PREFIX: `test:gateway:${randomUUID()}`,
    METRICS_PROCESS: 'false',
    SUBGRAPH_URL_CHAT: chat.url,
    SUBGRAPH_URL_PEOPLE: people.url,
    ALLOWED_ORIGINS: ALLOWED_ORIGIN,
    SUBSCRIPTIONS_INIT_TIMEOUT_MS: '300',
    SUBSCRIPTIONS_MAX_SOCKETS_PER_USER: '3',
    SUBSCRIPTIONS_MAX_PER_SOCKET: '3',
    SUBSCRIPTIONS_MAX_QUEUED_EVENTS: '5',
  };
  gateway = await createGatewayApp(readGatewayConfig(env), { supergraphSdl });
  running = await gateway.listen();
  wsUrl = running.url.replace(/^http/, 'ws');
});

afterAll(async () => {
  for (const s of sockets) s.terminate();
  await Promise.all(clients.map((c) => c.dispose()));
  await running?.stop();
  await chat?.stop();
  await people?.stop();
  await identity?.stop();
  redis?.disconnect();
});

describe('delivery through the gateway', () => {
  it('delivers the primary fields with the cross-subgraph author name, shaped to the client selection', async () => {
    const c = client(await token());
    const collected = collect(c, MESSAGE_QUERY, { c: 'conv-1' });
    await listening('conv-1');
    chat.publish({ id: 'm1', body: 'hello', conversationId: 'conv-1', authorId: BOB });
    chat.publish({ id: 'm2', body: 'again', conversationId: 'conv-2', authorId: BOB }); // another conversation
    chat.publish({ id: 'm3', body: 'second', conversationId: 'conv-1', authorId: CAROL });
    await vi.waitFor(() => expect(collected.results).toHaveLength(2), { timeout: 5000 });
    expect(collected.results[0]).toEqual({
      data: {
        messageAdded: {
          id: 'm1',
          text: 'hello',
          __typename: 'Message',
          author: { name: `Name ${BOB}`, kind: 'User' },
        },
      },
    });
    expect((collected.results[1]?.data?.['messageAdded'] as { id: string }).id).toBe('m3');
    // The entity fetch carried the subscriber's own token to the people subgraph.
    expect(people.received.at(-1)?.['authorization']).toMatch(/^Bearer /);
    collected.unsubscribe();
  });

  it('resolves a public cross-subgraph field once per event for all subscribers, a private one per subscriber', async () => {
    const shared = `subscription($c: ID!) { messageAdded(conversationId: $c) { id author { name } } }`;
    const own = `subscription($c: ID!) { messageAdded(conversationId: $c) { id author { name viewerNote } } }`;
    const subscribesBefore = chatStats.subscribes;
    const streams = [
      collect(client(await token(ALICE)), shared, { c: 'conv-share' }),
      collect(client(await token(BOB)), shared, { c: 'conv-share' }),
      collect(client(await token(ALICE)), own, { c: 'conv-share' }),
      collect(client(await token(BOB)), own, { c: 'conv-share' }),
    ];
    await vi.waitFor(() => expect(chatStats.subscribes - subscribesBefore).toBe(4));
    await listening('conv-share');
    const author = `author-${randomUUID()}`;
    const before = people.received.length;
    chat.publish({ id: 's1', body: 'hi', conversationId: 'conv-share', authorId: author });
    await vi.waitFor(() => expect(streams.every((s) => s.results.length === 1)).toBe(true), {
      timeout: 5000,
    });
    const authors = streams.map((s) => (s.results[0]?.data?.['messageAdded'] as { author: unknown }).author);
    expect(authors).toEqual([
      { name: `Name ${author}` },
      { name: `Name ${author}` },
      { name: `Name ${author}`, viewerNote: `${ALICE} looks at ${author}` },
      { name: `Name ${author}`, viewerNote: `${BOB} looks at ${author}` },
    ]);
    // One fetch for both `name` subscribers (public answer), one each for the `viewerNote` ones (private).
    expect(people.received.length - before).toBe(3);
    for (const s of streams) s.unsubscribe();
  });

  it('reports a failing cross-subgraph field as an error on that event and keeps the stream open', async () => {
    const c = client(await token());
    const collected = collect(c, MESSAGE_QUERY, { c: 'conv-err' });
    await listening('conv-err');
    chat.publish({ id: 'm1', body: 'bad author', conversationId: 'conv-err', authorId: 'broken' });
    chat.publish({ id: 'm2', body: 'good author', conversationId: 'conv-err', authorId: BOB });
    await vi.waitFor(() => expect(collected.results).toHaveLength(2), { timeout: 5000 });
    const [bad, good] = collected.results;
    expect(bad?.data).toEqual({
      messageAdded: { id: 'm1', text: 'bad author', __typename: 'Message', author: null },
    });
    // The people subgraph masks the unexpected error; the gateway adds where it happened.
    expect(bad?.errors?.[0]).toMatchObject({
      path: ['messageAdded', 'author'],
      extensions: { serviceName: 'people' },
    });
    expect(good?.errors).toBeUndefined();
    expect(good?.data?.['messageAdded']).toMatchObject({ author: { name: `Name ${BOB}` } });
    collected.unsubscribe();
  });

  it('shares one upstream subscription between identical subscriptions of one user, not across users', async () => {
    const before = chatStats.subscribes;
    const aliceToken = await token(ALICE);
    const first = collect(client(aliceToken), MESSAGE_QUERY, { c: 'conv-dedupe' });
    const second = collect(client(await token(ALICE)), MESSAGE_QUERY, { c: 'conv-dedupe' });
    await listening('conv-dedupe');
    await vi.waitFor(() => expect(chatStats.subscribes - before).toBe(1));
    const bob = collect(client(await token(BOB)), MESSAGE_QUERY, { c: 'conv-dedupe' });
    await vi.waitFor(() => expect(chatStats.subscribes - before).toBe(2));
    chat.publish({ id: 'd1', body: 'to all', conversationId: 'conv-dedupe', authorId: CAROL });
    await vi.waitFor(() => {
      expect(first.results).toHaveLength(1);
      expect(second.results).toHaveLength(1);
      expect(bob.results).toHaveLength(1);
    });
    expect(first.results[0]).toEqual(second.results[0]);
    expect(chatStats.subscribes - before).toBe(2);
    expect(await gateway.metrics.registry.getSingleMetricAsString('gateway_subscriptions_active')).toMatch(
      / 3$/m,
    );

    const upstreamBefore = await upstreams();
    expect(upstreamBefore).toBeGreaterThanOrEqual(2);
    first.unsubscribe();
    second.unsubscribe();
    // The last of Alice's subscriptions leaving ends her shared upstream stream; Bob's stays.
    await vi.waitFor(async () => expect(await upstreams()).toBe(upstreamBefore - 1));
    // All of them travel over one multiplexed socket to the chat subgraph.
    expect(chat.connections()).toBe(1);
    chat.publish({ id: 'd2', body: 'bob only', conversationId: 'conv-dedupe', authorId: CAROL });
    await vi.waitFor(() => expect(bob.results).toHaveLength(2));
    bob.unsubscribe();
  });
});

describe('authentication and authorisation', () => {
  it("passes the subgraph's denial of an anonymous subscriber through as errors", async () => {
    const collected = collect(client(null), MESSAGE_QUERY, { c: 'conv-anon' });
    await vi.waitFor(() => expect(collected.completed).toBe(true), { timeout: 5000 });
    expect(collected.results).toEqual([
      {
        data: null,
        errors: [
          expect.objectContaining({ path: ['messageAdded'], extensions: { code: 'UNAUTHENTICATED' } }),
        ],
      },
    ]);
  });

  it('accepts an API key in connection_init (exchanged like HTTP) and refuses an unknown one with 4403', async () => {
    identity.apiKeys.set(WS_KEY, { apiKeyId: 'key-ws', ownerId: BOB, scopes: [] });
    const { socket, messages, opened } = raw();
    await opened;
    send(socket, { type: 'connection_init', payload: { 'x-api-key': WS_KEY } });
    await acked(messages);
    socket.close();
    const unknown = raw();
    await unknown.opened;
    send(unknown.socket, {
      type: 'connection_init',
      payload: { 'x-api-key': 'egk_test_unknown_key_00000001' },
    });
    expect(await unknown.closed).toBe(CLOSE_CODES.FORBIDDEN);
  });

  it('does not serve WebSockets when SUBSCRIPTIONS_ENABLED=false', async () => {
    const off = await createGatewayApp(readGatewayConfig({ ...env, SUBSCRIPTIONS_ENABLED: 'false' }), {
      supergraphSdl,
    });
    const offRunning = await off.listen();
    try {
      const socket = new WebSocket(offRunning.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      sockets.push(socket);
      socket.on('error', () => undefined);
      const outcome = await new Promise<string>((resolve) => {
        socket.once('open', () => resolve('open'));
        socket.once('close', () => resolve('closed'));
      });
      expect(outcome).toBe('closed');
    } finally {
      await offRunning.stop();
    }
  });
});

describe('fan-out across instances', () => {
  it('delivers every event published by another instance through Redis exactly once to subscribers on two gateways', async () => {
    const second = await createGatewayApp(readGatewayConfig(env), { supergraphSdl });
    const secondRunning = await second.listen();
    const publisher = createRedisPubSub({
      redisUrl: REDIS_URL,
      prefix: PREFIX,
      name: 'gateway-test-other-instance',
    });
    try {
      const before = chatStats.subscribes;
      const onFirst = collect(client(await token(ALICE)), MESSAGE_QUERY, { c: 'conv-fan' });
      const secondClient = createClient({
        url: secondRunning.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: true,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${await token(BOB)}` },
      });
      clients.push(secondClient);
      const onSecond = collect(secondClient, MESSAGE_QUERY, { c: 'conv-fan' });
      // Both gateways hold an upstream subscription (Alice's and Bob's) before anything is published.
      await vi.waitFor(() => expect(chatStats.subscribes - before).toBe(2));
      await listening('conv-fan');
      const ids = Array.from({ length: 10 }, (_, i) => `f${i}`);
      // Spaced out: these gateways allow only 5 queued events per subscriber (the slow-consumer test).
      for (const id of ids) {
        publisher.publish('messageAdded', 'conv-fan', {
          id,
          body: id,
          conversationId: 'conv-fan',
          authorId: CAROL,
        });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const idsOf = (c: Collected) => c.results.map((r) => (r.data?.['messageAdded'] as { id: string }).id);
      await vi.waitFor(
        () => {
          expect(idsOf(onFirst)).toContain('f9');
          expect(idsOf(onSecond)).toContain('f9');
        },
        { timeout: 5000 },
      );
      expect(idsOf(onFirst)).toEqual(ids);
      expect(idsOf(onSecond)).toEqual(ids);
      onFirst.unsubscribe();
      onSecond.unsubscribe();
    } finally {
      await publisher.close();
      await secondRunning.stop();
    }
  });
});

describe('connection rules and close codes', () => {
  it('4400 for a message that is not graphql-transport-ws', async () => {
    const { socket, closed, opened } = raw();
    await opened;
    socket.send('this is not json');
    expect(await closed).toBe(CLOSE_CODES.BAD_MESSAGE);
  });

  it('4401 for subscribe before connection_ack', async () => {
    const { socket, closed, opened } = raw();
    await opened;
    send(socket, { id: '1', type: 'subscribe', payload: { query: MESSAGE_QUERY, variables: { c: 'x' } } });
    expect(await closed).toBe(CLOSE_CODES.UNAUTHORIZED);
  });

  it('4403 for a forged, an expired or a malformed token', async () => {
    for (const authorization of [
      `Bearer ${await identity.forge()}`,
      `Bearer ${await token(ALICE, -10)}`,
      42,
    ]) {
      const { socket, closed, opened } = raw();
      await opened;
      send(socket, { type: 'connection_init', payload: { authorization } });
      expect(await closed).toBe(CLOSE_CODES.FORBIDDEN);
    }
  });

  it('4408 when no connection_init arrives in time', async () => {
    const { closed, opened } = raw();
    await opened;
    expect(await closed).toBe(CLOSE_CODES.INIT_TIMEOUT);
  });

  it('4409 for a duplicate subscription id', async () => {
    const { socket, messages, closed, opened } = raw();
    await opened;
    send(socket, { type: 'connection_init', payload: { authorization: `Bearer ${await token()}` } });
    await acked(messages);
    send(socket, {
      id: 'same',
      type: 'subscribe',
      payload: { query: MESSAGE_QUERY, variables: { c: 'dup' } },
    });
    send(socket, {
      id: 'same',
      type: 'subscribe',
      payload: { query: MESSAGE_QUERY, variables: { c: 'dup' } },
    });
    expect(await closed).toBe(CLOSE_CODES.DUPLICATE_ID);
  });

  it('4429 for a second connection_init', async () => {
    const { socket, messages, closed, opened } = raw();
    await opened;
    send(socket, { type: 'connection_init', payload: { authorization: `Bearer ${await token()}` } });
    await acked(messages);
    send(socket, { type: 'connection_init', payload: {} });
    expect(await closed).toBe(CLOSE_CODES.TOO_MANY_INITS);
  });

  it('1009 for a frame over 64 KiB', async () => {
    const { socket, closed, opened } = raw();
    await opened;
    socket.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(65 * 1024) } }));
    expect(await closed).toBe(CLOSE_CODES.MESSAGE_TOO_BIG);
  });

  it('4430 for a user with more sockets than allowed (3 in this test)', async () => {
    const carol = await token(CAROL);
    const open = [raw(), raw(), raw()];
    for (const s of open) {
      await s.opened;
      send(s.socket, { type: 'connection_init', payload: { authorization: `Bearer ${carol}` } });
      await acked(s.messages);
    }
    const extra = raw();
    await extra.opened;
    send(extra.socket, { type: 'connection_init', payload: { authorization: `Bearer ${carol}` } });
    expect(await extra.closed).toBe(CLOSE_CODES.TOO_MANY_SOCKETS);
    // Another user is not affected, and a closed socket frees a place.
    open[0]?.socket.close();
    await open[0]?.closed;
    const again = raw();
    await again.opened;
    send(again.socket, { type: 'connection_init', payload: { authorization: `Bearer ${carol}` } });
    await acked(again.messages);
    for (const s of [open[1], open[2], again]) s?.socket.close();
  });

  it('closes the socket with 4403 when the access token expires', async () => {
    const codes: number[] = [];
    const c = client(await token(ALICE, 2), (code) => codes.push(code));
    const collected = collect(c, MESSAGE_QUERY, { c: 'conv-expiry' });
    await listening('conv-expiry');
    await vi.waitFor(() => expect(codes).toContain(CLOSE_CODES.FORBIDDEN), { timeout: 6000, interval: 50 });
    expect(collected.errors).toHaveLength(1);
  });

  it("keeps a shared upstream stream alive for the remaining subscriber when the first one's token expires", async () => {
    const before = chatStats.subscribes;
    const codes: number[] = [];
    const shortLived = collect(
      client(await token(ALICE, 2), (code) => codes.push(code)),
      MESSAGE_QUERY,
      { c: 'conv-refresh' },
    );
    await vi.waitFor(() => expect(chatStats.subscribes - before).toBe(1));
    const longLived = collect(client(await token(ALICE)), MESSAGE_QUERY, { c: 'conv-refresh' });
    await vi.waitFor(() => expect(codes).toContain(CLOSE_CODES.FORBIDDEN), { timeout: 6000, interval: 50 });
    expect(shortLived.errors).toHaveLength(1);
    // The upstream subscription goes on over the gateway's multiplexed socket (the gateway, not the
    // subgraph, ends a user's subscriptions when their token expires): nothing is subscribed again.
    await listening('conv-refresh');
    chat.publish({ id: 'r1', body: 'still here', conversationId: 'conv-refresh', authorId: BOB });
    await vi.waitFor(() => expect(longLived.results).toHaveLength(1), { timeout: 5000 });
    expect(longLived.errors).toEqual([]);
    expect(chatStats.subscribes - before).toBe(1);
    longLived.unsubscribe();
  });

  it('drops a socket that stops answering pings (keep-alive 200 ms on a second gateway)', async () => {
    const second = await createGatewayApp(readGatewayConfig({ ...env, SUBSCRIPTIONS_KEEPALIVE_MS: '200' }), {
      supergraphSdl,
    });
    const secondRunning = await second.listen();
    try {
      const socket = new WebSocket(secondRunning.url.replace(/^http/, 'ws'), 'graphql-transport-ws', {
        autoPong: false,
      });
      sockets.push(socket);
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      const pings: number[] = [];
      socket.on('ping', () => pings.push(Date.now()));
      await new Promise<void>((resolve) => socket.once('open', () => resolve()));
      send(socket, { type: 'connection_init', payload: { authorization: `Bearer ${await token(BOB)}` } });
      expect(await closed).toBe(1006); // terminated by the server: no close frame
      expect(pings.length).toBeGreaterThanOrEqual(1);
    } finally {
      await secondRunning.stop();
    }
  });
});

describe('rate limits', () => {
  it('applies the HTTP per-IP limit to upgrades (429) and the per-user limit to every subscribe', async () => {
    const limited = await createGatewayApp(
      readGatewayConfig({
        ...env,
        RATE_LIMIT_PREFIX: `test:gateway:${randomUUID()}`,
        RATE_LIMIT_IP_POINTS: '2',
        RATE_LIMIT_USER_POINTS: '1',
      }),
      { supergraphSdl },
    );
    const limitedRunning = await limited.listen();
    try {
      const url = limitedRunning.url.replace(/^http/, 'ws');
      const first = new WebSocket(url, 'graphql-transport-ws');
      sockets.push(first);
      const messages: Record<string, unknown>[] = [];
      first.on('message', (data: Buffer) =>
        messages.push(JSON.parse(data.toString()) as Record<string, unknown>),
      );
      await new Promise<void>((resolve) => first.once('open', () => resolve()));
      send(first, { type: 'connection_init', payload: { authorization: `Bearer ${await token(BOB)}` } });
      await acked(messages);
      for (const id of ['1', '2'])
        send(first, {
          id,
          type: 'subscribe',
          payload: { query: MESSAGE_QUERY, variables: { c: `rl-${id}` } },
        });
      await vi.waitFor(() => expect(messages.some((m) => m['id'] === '2')).toBe(true), { timeout: 3000 });
      expect(messages.find((m) => m['id'] === '2')).toMatchObject({
        type: 'error',
        payload: [{ extensions: { code: 'RATE_LIMITED' } }],
      });
      expect(messages.some((m) => m['id'] === '1' && m['type'] === 'error')).toBe(false);

      const second = new WebSocket(url, 'graphql-transport-ws');
      sockets.push(second);
      await new Promise<void>((resolve) => second.once('open', () => resolve()));
      const third = new WebSocket(url, 'graphql-transport-ws');
      sockets.push(third);
      const status = await new Promise<number>((resolve) => {
        third.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        third.once('open', () => resolve(101));
      });
      third.on('error', () => undefined);
      expect(status).toBe(429);
    } finally {
      await limitedRunning.stop();
    }
  });
});

describe('origin', () => {
  it('rejects a browser origin outside the allowed list with 403 before the upgrade', async () => {
    const { opened } = raw({ origin: 'https://evil.test' });
    await expect(opened).rejects.toThrow('HTTP 403');
  });

  it("accepts an allowed origin, the gateway's own origin and a request without Origin", async () => {
    const allowed = raw({ origin: ALLOWED_ORIGIN });
    await allowed.opened;
    const sameOrigin = raw({ origin: new URL(running.url).origin });
    await sameOrigin.opened;
    const native = raw();
    await native.opened;
    for (const s of [allowed, sameOrigin, native]) s.socket.close();
  });
});

describe('limits on subscribe', () => {
  async function subscribeRaw(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>> {
    const { socket, messages, opened } = raw();
    await opened;
    send(socket, { type: 'connection_init', payload: { authorization: `Bearer ${await token(BOB)}` } });
    await acked(messages);
    send(socket, { id: 'q', type: 'subscribe', payload: { query, variables } });
    await vi.waitFor(() => expect(messages.some((m) => m['id'] === 'q')).toBe(true), { timeout: 3000 });
    socket.close();
    return messages.find((m) => m['id'] === 'q') ?? {};
  }

  it('applies the HTTP document limits (aliases) as GraphQL errors on that subscription', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: id`).join(' ');
    const message = await subscribeRaw(`subscription { messageAdded(conversationId: "x") { ${aliases} } }`);
    expect(message['type']).toBe('error');
    expect(JSON.stringify(message['payload'])).toMatch(/MAX_ALIASES_EXCEEDED/);
  });

  it('rejects invalid documents, bad variables and queries over WebSocket', async () => {
    const invalid = await subscribeRaw('subscription { nope }');
    expect(JSON.stringify(invalid['payload'])).toMatch(/GRAPHQL_VALIDATION_FAILED/);
    const badVariables = await subscribeRaw(MESSAGE_QUERY, { c: { not: 'an id' } });
    expect(JSON.stringify(badVariables['payload'])).toMatch(/BAD_USER_INPUT/);
    const query = await subscribeRaw('{ chatVersion }');
    expect(JSON.stringify(query['payload'])).toMatch(/only subscriptions/i);
  });

  it('allows at most 3 subscriptions per socket in this test', async () => {
    const { socket, messages, opened } = raw();
    await opened;
    send(socket, { type: 'connection_init', payload: { authorization: `Bearer ${await token(BOB)}` } });
    await acked(messages);
    for (const id of ['1', '2', '3', '4'])
      send(socket, {
        id,
        type: 'subscribe',
        payload: { query: MESSAGE_QUERY, variables: { c: `limit-${id}` } },
      });
    await vi.waitFor(() => expect(messages.some((m) => m['id'] === '4')).toBe(true), { timeout: 3000 });
    expect(messages.find((m) => m['id'] === '4')).toMatchObject({
      type: 'error',
      payload: [{ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }],
    });
    expect(messages.filter((m) => m['type'] === 'error')).toHaveLength(1);
    socket.close();
  });
});

describe('slow consumers', () => {
  it('closes the socket with 1013 when its queue is full, and the upstream stream is released', async () => {
    const { socket, messages, closed, opened } = raw();
    await opened;
    send(socket, { type: 'connection_init', payload: { authorization: `Bearer ${await token(CAROL)}` } });
    await acked(messages);
    const before = await upstreams();
    send(socket, {
      id: 's',
      type: 'subscribe',
      payload: { query: 'subscription { messageAdded(conversationId: "slow") { id body } }' },
    });
    await listening('slow');
    (Reflect.get(socket, '_socket') as net.Socket).pause(); // the client stops reading
    const body = 'x'.repeat(50_000);
    for (let i = 0; i < 400; i += 1) {
      chat.publish({ id: `s${i}`, body, conversationId: 'slow', authorId: BOB });
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await vi.waitFor(async () => expect(await upstreams()).toBe(before), { timeout: 10_000, interval: 50 });
    (Reflect.get(socket, '_socket') as net.Socket).resume();
    expect(await closed).toBe(CLOSE_CODES.SLOW_CONSUMER);
    expect(messages.filter((m) => m['type'] === 'next').length).toBeLessThan(400);
    await vi.waitFor(async () =>
      expect(
        await gateway.metrics.registry.getSingleMetricAsString('gateway_subscription_closes_total'),
      ).toMatch(/code="1013"[^}]*} 1/),
    );
  });
});
