import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { FormattedExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { Arg, Ctx, Field, ID, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { Authenticated, Public } from '../auth/access.decorators.js';
import { createTokenVerifier, type TokenVerifier } from '../auth/token-verifier.js';
import type { RequestContext } from '../context/request-context.js';
import { createDataSource } from '../data/data-source.factory.js';
import { createRedis, Redis } from '../data/redis.js';
import { createLogger } from '../logging/logger.js';
import { createRedisPubSub, SlowConsumerError, type ClosablePubSub } from '../realtime/pubsub.js';
import { buildFederatedSchema } from '../schema/build-subgraph-schema.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startSubgraphServer, type RunningSubgraph } from './subgraph-server.js';

const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ISSUER = 'https://identity.edugraph.test';
const AUDIENCE = 'edugraph-api';
const PREFIX = `test-kit-ws-${randomBytes(4).toString('hex')}:`;
const GATEWAY_TOKEN = randomBytes(24).toString('base64url');

@ObjectType('KitTick')
class Tick {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  seenBy!: string;

  @Field(() => String)
  loaderRegistry!: string;
}

const registriesSeen = new Set<object>();

@ObjectType('KitAnnouncement')
class Announcement {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  personalNote!: string | null;
}

/** Executions of the announcement field per event id (a shared execution counts once). */
const announcementExecutions = new Map<string, number>();

@Resolver()
class TickResolver {
  @Public()
  @Query(() => String)
  ping(): string {
    return 'pong';
  }

  @Authenticated()
  @Subscription(() => Tick, {
    topics: 'ticks',
    filter: ({ payload, args }) => (payload as { room: string }).room === args.room,
  })
  tick(
    @Root() payload: { id: string; room: string },
    @Arg('room', () => String) _room: string,
    @Ctx() ctx: RequestContext,
  ): Tick {
    const fresh = !registriesSeen.has(ctx.loaders);
    registriesSeen.add(ctx.loaders);
    return { id: payload.id, seenBy: ctx.viewer!.userId, loaderRegistry: fresh ? 'fresh' : 'reused' };
  }

  @Authenticated()
  @Subscription(() => Announcement, { topics: 'announcements' })
  announcement(
    @Root() payload: { id: string; personal?: boolean },
    @Ctx() ctx: RequestContext,
  ): Announcement {
    announcementExecutions.set(payload.id, (announcementExecutions.get(payload.id) ?? 0) + 1);
    // Only personal announcements depend on who watches (they read the viewer).
    return { id: payload.id, personalNote: payload.personal ? `for ${ctx.viewer!.userId}` : null };
  }
}

let database: TestDatabase;
let privateKey: CryptoKey;
let verifyToken: TokenVerifier;
const logger = createLogger({ name: 'kit-ws-test', level: 'silent' });
const running: RunningSubgraph[] = [];
const pubSubs: ClosablePubSub[] = [];
const clients: Client[] = [];
let redis: Redis;

async function accessToken(sub: string, expiresIn: string | number = '5m'): Promise<string> {
  return new SignJWT({ roles: ['LEARNER'] })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
    .setSubject(sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(privateKey);
}

function pubSub(prefix = PREFIX): ClosablePubSub {
  const created = createRedisPubSub({ redisUrl: REDIS_URL, prefix, name: 'kit-ws-test' });
  pubSubs.push(created);
  return created;
}

async function start(ps: ClosablePubSub, gatewayToken?: string): Promise<RunningSubgraph> {
  const dataSource = createDataSource({ url: database.url, schema: 'public', entities: [], migrations: [] });
  await dataSource.initialize();
  const { schema } = await buildFederatedSchema({ resolvers: [TickResolver], pubSub: ps });
  const server = await startSubgraphServer({
    name: 'kit-ws-probe',
    schema,
    port: 0,
    production: true,
    dataSource,
    redis: createRedis(REDIS_URL),
    verifyToken,
    logger,
    subscriptions: { connectionInitWaitTimeoutMs: 1_000, gatewayToken },
  });
  running.push(server);
  return server;
}

/** Resolves once Redis reports `count` subscribers on the channel (a publish before that would be lost). */
async function subscribers(channel: string, count: number): Promise<void> {
  for (;;) {
    const [, n] = (await redis.pubsub('NUMSUB', channel)) as [string, number];
    if (Number(n) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Collected = {
  results: FormattedExecutionResult<Record<string, unknown>, unknown>[];
  done: Promise<void>;
  next: (n: number) => Promise<void>;
};

function collect(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  extensions?: Record<string, unknown>,
): Collected {
  const results: FormattedExecutionResult<Record<string, unknown>, unknown>[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe<Record<string, unknown>>(
      { query, variables, ...(extensions ? { extensions } : {}) },
      {
        next: (value) => {
          results.push(value);
          for (const w of waiters.filter((w) => results.length >= w.n)) w.resolve();
        },
        error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: resolve,
      },
    );
  });
  done.catch(() => undefined);
  return {
    results,
    done,
    next: (n) =>
      results.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
  };
}

function client(url: string, token: string | null): Client {
  const created = createClient({
    url,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
  });
  clients.push(created);
  return created;
}

/** Opens a raw socket, sends `connection_init` with the payload, and resolves with the close code. */
function closeCodeFor(
  wsUrl: string,
  payload: Record<string, unknown> | null,
): Promise<{ code: number; acked: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    let acked = false;
    socket.on('open', () => {
      if (payload) socket.send(JSON.stringify({ type: 'connection_init', payload }));
    });
    socket.on('message', (data: Buffer) => {
      if ((JSON.parse(data.toString()) as { type: string }).type === 'connection_ack') acked = true;
    });
    socket.on('close', (code) => resolve({ code, acked }));
    socket.on('error', reject);
  });
}

const TICK = 'subscription($room: String!) { tick(room: $room) { id seenBy loaderRegistry } }';

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(REDIS_URL);
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  const jwk = await exportJWK(pair.publicKey);
  verifyToken = createTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    keys: createLocalJWKSet({ keys: [{ ...jwk, kid: 'k1', alg: 'ES256' }] }),
  });
});

afterAll(async () => {
  for (const c of clients) await c.dispose();
  for (const server of running) await server.stop();
  for (const ps of pubSubs) await ps.close();
  redis?.disconnect();
  await database?.drop();
});

describe('createRedisPubSub', () => {
  it('delivers an event to every instance sharing the prefix, once each, and not to another prefix', async () => {
    const prefix = `${PREFIX}ps-`;
    const a = pubSub(prefix);
    const b = pubSub(prefix);
    const other = pubSub(`${PREFIX}other-`);
    const iterators = [a, b, other].map((ps) => ps.subscribe('room', '1')[Symbol.asyncIterator]());
    const pending = iterators.map((it) => it.next());
    await subscribers(`${prefix}room:1`, 2);
    await subscribers(`${PREFIX}other-room:1`, 1);
    a.publish('room', '1', { n: 1 });
    b.publish('room', '1', { n: 2 });
    expect((await pending[0])?.value).toEqual({ n: 1 });
    expect((await pending[1])?.value).toEqual({ n: 1 });
    expect((await iterators[0]!.next()).value).toEqual({ n: 2 });
    expect((await iterators[1]!.next()).value).toEqual({ n: 2 });
    // The other prefix saw nothing: its next event is the one published on its own prefix.
    other.publish('room', '1', { n: 3 });
    expect((await pending[2])?.value).toEqual({ n: 3 });
    for (const it of iterators) await it.return?.();
  });
});

describe('createRedisPubSub bounded queues', () => {
  it('drops a subscriber that falls behind (SLOW_CONSUMER after its queued events), others unaffected', async () => {
    const prefix = `${PREFIX}slow-`;
    const ps = createRedisPubSub({ redisUrl: REDIS_URL, prefix, name: 'kit-ws-test', maxQueuedEvents: 5 });
    pubSubs.push(ps);
    const fast = ps.subscribe('feed')[Symbol.asyncIterator]();
    const slow = ps.subscribe('feed')[Symbol.asyncIterator]();
    const firstFast = fast.next();
    const firstSlow = slow.next(); // takes event 0, then stops reading
    await subscribers(`${prefix}feed`, 1);
    // One event at a time: the fast subscriber reads each before the next is published.
    const received: unknown[] = [];
    for (let n = 0; n < 10; n += 1) {
      ps.publish('feed', { n });
      received.push((await (n === 0 ? firstFast : fast.next())).value);
    }
    expect(received).toEqual(Array.from({ length: 10 }, (_, n) => ({ n })));
    expect((await firstSlow).value).toEqual({ n: 0 });
    const drained: unknown[] = [];
    let failure: unknown = null;
    try {
      for (;;) {
        const next = await slow.next();
        if (next.done) break;
        drained.push(next.value);
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(SlowConsumerError);
    expect((failure as SlowConsumerError).code).toBe('SLOW_CONSUMER');
    // What it had queued (at most 5) comes first, in order; nothing beyond the bound.
    expect(drained.length).toBeLessThanOrEqual(5);
    expect(drained).toEqual(drained.map((_, i) => ({ n: i + 1 })));
    await fast.return?.();
  });
});

describe('startSubgraphServer with subscriptions', () => {
  let server: RunningSubgraph;
  let ps: ClosablePubSub;

  beforeAll(async () => {
    ps = pubSub();
    server = await start(ps);
  });

  it('exposes a ws url and still serves HTTP GraphQL', async () => {
    expect(server.wsUrl).toBe(server.url.replace('http://', 'ws://'));
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ ping }' }),
    });
    expect(await response.json()).toEqual({ data: { ping: 'pong' } });
  });

  it('runs a type-graphql subscription for a verified viewer, filtered per event, with fresh loaders per event', async () => {
    const token = await accessToken('user-ws-1');
    const sub = collect(client(server.wsUrl!, token), TICK, { room: 'r1' });
    await subscribers(`${PREFIX}ticks`, 1);
    ps.publish('ticks', { id: 'a', room: 'r1' });
    ps.publish('ticks', { id: 'skipped', room: 'r2' });
    ps.publish('ticks', { id: 'b', room: 'r1' });
    await sub.next(2);
    expect(sub.results).toEqual([
      { data: { tick: { id: 'a', seenBy: 'user-ws-1', loaderRegistry: 'fresh' } } },
      { data: { tick: { id: 'b', seenBy: 'user-ws-1', loaderRegistry: 'fresh' } } },
    ]);
  });

  it('fans out through Redis: an event published by another instance reaches this one', async () => {
    const second = await start(pubSub());
    const token = await accessToken('user-ws-2');
    const onFirst = collect(client(server.wsUrl!, token), TICK, { room: 'fan' });
    const onSecond = collect(client(second.wsUrl!, token), TICK, { room: 'fan' });
    await subscribers(`${PREFIX}ticks`, 2);
    ps.publish('ticks', { id: 'x', room: 'fan' });
    await Promise.all([onFirst.next(1), onSecond.next(1)]);
    expect(onFirst.results.map((r) => (r.data?.['tick'] as Tick).id)).toEqual(['x']);
    expect(onSecond.results.map((r) => (r.data?.['tick'] as Tick).id)).toEqual(['x']);
  });

  it('answers an anonymous subscribe to an authenticated field with UNAUTHENTICATED', async () => {
    const sub = collect(client(server.wsUrl!, null), TICK, { room: 'r1' });
    await sub.done;
    expect(sub.results).toHaveLength(1);
    expect(sub.results[0]?.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
  });

  it('closes with 4403 on a bad, malformed or expired token in connection_init', async () => {
    expect(await closeCodeFor(server.wsUrl!, { authorization: 'Bearer not.a.token' })).toEqual({
      code: 4403,
      acked: false,
    });
    expect(await closeCodeFor(server.wsUrl!, { authorization: 'Basic abc' })).toEqual({
      code: 4403,
      acked: false,
    });
    expect(await closeCodeFor(server.wsUrl!, { authorization: 42 })).toEqual({ code: 4403, acked: false });
    const expired = await accessToken('user-ws-3', Math.floor(Date.now() / 1000) - 3600);
    expect(await closeCodeFor(server.wsUrl!, { authorization: `Bearer ${expired}` })).toEqual({
      code: 4403,
      acked: false,
    });
  });

  it('closes with 4408 when connection_init never comes', async () => {
    expect(await closeCodeFor(server.wsUrl!, null)).toEqual({ code: 4408, acked: false });
  });

  it('closes an acknowledged socket with 4403 when its access token expires', async () => {
    const soon = await accessToken('user-ws-4', Math.floor(Date.now() / 1000) + 1);
    const result = await closeCodeFor(server.wsUrl!, { authorization: `Bearer ${soon}` });
    expect(result).toEqual({ code: 4403, acked: true });
  });

  it('closes open sockets when the server stops', async () => {
    const third = await start(pubSub());
    const token = await accessToken('user-ws-5');
    const socket = new WebSocket(third.wsUrl!, 'graphql-transport-ws');
    const acked = new Promise<void>((resolve) => socket.on('message', () => resolve()));
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    await acked;
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await third.stop();
    expect(await closed).toBe(1001);
  });
});

describe('shared executions', () => {
  it('executes an event once for subscribers with the same operation and access, per subscriber once a resolver reads the viewer', async () => {
    const ps = pubSub(`${PREFIX}share-`);
    const server = await start(ps);
    const query = 'subscription { announcement { id personalNote } }';
    const watchers = await Promise.all(
      ['ann', 'ben', 'cat'].map(async (user) =>
        collect(client(server.wsUrl!, await accessToken(user)), query, {}),
      ),
    );
    await subscribers(`${PREFIX}share-announcements`, 1);
    // Wait until all three are listening: an event before that would miss some of them.
    for (let attempt = 0; watchers.some((w) => w.results.length === 0); attempt += 1) {
      if (attempt > 100) throw new Error('subscriptions never became live');
      ps.publish('announcements', { id: `warm-${attempt}` });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const announcement = (w: Collected, id: string) =>
      w.results.find((r) => (r.data?.['announcement'] as { id: string } | undefined)?.id === id)?.data?.[
        'announcement'
      ];
    ps.publish('announcements', { id: 'all' });
    await vi.waitFor(() => expect(watchers.every((w) => announcement(w, 'all'))).toBe(true));
    expect(announcementExecutions.get('all')).toBe(1);
    expect(watchers.map((w) => announcement(w, 'all'))).toEqual(
      Array.from({ length: 3 }, () => ({ id: 'all', personalNote: null })),
    );

    ps.publish('announcements', { id: 'mine', personal: true });
    await vi.waitFor(() => expect(watchers.every((w) => announcement(w, 'mine'))).toBe(true));
    expect(announcementExecutions.get('mine')).toBe(3);
    expect(watchers.map((w) => announcement(w, 'mine'))).toEqual(
      ['ann', 'ben', 'cat'].map((user) => ({ id: 'mine', personalNote: `for ${user}` })),
    );
  });
});

describe('multiplexed gateway sockets', () => {
  it('serves many users over one socket opened with the internal token, each operation as its own viewer', async () => {
    const ps = pubSub(`${PREFIX}mux-`);
    const server = await start(ps, GATEWAY_TOKEN);
    const wsUrl = server.wsUrl!;
    expect(await closeCodeFor(wsUrl, { gateway: 'not the token' })).toEqual({ code: 4403, acked: false });
    expect(await closeCodeFor(wsUrl, { gateway: 42 })).toEqual({ code: 4403, acked: false });

    const gateway = createClient({
      url: wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: true,
      connectionParams: { gateway: GATEWAY_TOKEN },
    });
    clients.push(gateway);
    const as = async (user: string) => ({ authorization: `Bearer ${await accessToken(user)}` });
    const alice = collect(gateway, TICK, { room: 'mux' }, await as('alice'));
    const bob = collect(gateway, TICK, { room: 'mux' }, await as('bob'));
    const forged = collect(gateway, TICK, { room: 'mux' }, { authorization: 'Bearer forged.token.here' });
    const anonymous = collect(gateway, TICK, { room: 'mux' });
    await expect(forged.done).rejects.toThrow(/UNAUTHENTICATED/);
    await anonymous.done;
    expect(anonymous.results[0]?.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    await subscribers(`${PREFIX}mux-ticks`, 1);
    // Both must be listening before the event that is checked (an earlier one would miss one of them).
    for (let attempt = 0; alice.results.length === 0 || bob.results.length === 0; attempt += 1) {
      if (attempt > 100) throw new Error('subscriptions never became live');
      ps.publish('ticks', { id: `warm-${attempt}`, room: 'mux' });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    ps.publish('ticks', { id: 'm1', room: 'mux' });
    const tick = (c: Collected) => c.results.find((r) => (r.data?.['tick'] as { id: string })?.id === 'm1');
    await vi.waitFor(() => expect(tick(alice) && tick(bob)).toBeTruthy());
    expect(tick(alice)?.data?.['tick']).toMatchObject({ id: 'm1', seenBy: 'alice' });
    expect(tick(bob)?.data?.['tick']).toMatchObject({ id: 'm1', seenBy: 'bob' });
  });

  it('refuses gateway sockets when no internal token is configured', async () => {
    const server = await start(pubSub());
    expect(await closeCodeFor(server.wsUrl!, { gateway: GATEWAY_TOKEN })).toEqual({
      code: 4403,
      acked: false,
    });
  });
});
