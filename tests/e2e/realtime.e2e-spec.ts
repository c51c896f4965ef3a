import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawSocket, subscribe, wsClient, type Stream } from '../src/harness/subscriptions.js';
import {
  bearer,
  signUp,
  startTestPlatform,
  type SignedUp,
  type TestPlatform,
} from '../src/harness/test-platform.js';

/**
 * Subscriptions through the gateway against the real platform: the messaging subgraph owns the stream,
 * identity resolves `author`/`user` per event, and every connection rule is enforced at the gateway.
 */

type Added = {
  messageAdded: { id: string; body: string; cursor: string; author: { id: string; displayName: string } };
};

const MESSAGE_ADDED = `subscription Added($id: ID!) {
  messageAdded(conversationId: $id) { id body cursor author { id displayName } }
}`;
const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id cursor } } }';

let platform: TestPlatform;
let ada: SignedUp;
let bob: SignedUp;
let eve: SignedUp;
let groupId: string;
const clients: Client[] = [];

function client(who: SignedUp | null, on: { closed?: (code: number) => void } = {}): Client {
  const created = wsClient(platform.gatewayUrl, who?.accessToken ?? null, on);
  clients.push(created);
  return created;
}

async function send(
  who: SignedUp,
  body: string,
  conversationId = groupId,
): Promise<{ id: string; cursor: string }> {
  const result = await platform.graphql<{ sendMessage: { message: { id: string; cursor: string } } }>(
    SEND,
    { input: { conversationId, body } },
    bearer(who.accessToken),
  );
  expect(result.errors).toBeUndefined();
  return result.data!.sendMessage.message;
}

/**
 * Subscribing is asynchronous end to end (gateway → messaging → Redis); a message published before the
 * subscription is live is not delivered (history covers it). Waits until every stream has seen a probe.
 */
async function live(streams: Stream<Added>[], who: SignedUp, conversationId = groupId): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    await send(who, `probe ${attempt}`, conversationId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (streams.every((s) => s.results.some((r) => r.data?.messageAdded.body.startsWith('probe')))) return;
  }
  throw new Error('subscriptions never became live');
}

const bodies = (stream: Stream<Added>) =>
  stream.results.map((r) => r.data?.messageAdded.body).filter((b) => b && !b.startsWith('probe'));

beforeAll(async () => {
  platform = await startTestPlatform({ SUBSCRIPTIONS_INIT_TIMEOUT_MS: '400' });
  ada = await signUp(platform, 'ada@example.com', 'Ada');
  bob = await signUp(platform, 'bob@example.com', 'Bob');
  eve = await signUp(platform, 'eve@example.com', 'Eve');
  const started = await platform.graphql<{ startConversation: { conversation: { id: string } } }>(
    'mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } } }',
    { input: { userIds: [bob.user.id, eve.user.id], name: 'study group' } },
    bearer(ada.accessToken),
  );
  expect(started.errors).toBeUndefined();
  groupId = started.data!.startConversation.conversation.id;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await platform?.close();
});

describe('subscriptions through the gateway (real platform)', () => {
  it('delivers messages with the author resolved by identity, and stops a removed member at the next event', async () => {
    const streams = [ada, bob, eve].map((who) =>
      subscribe<Added>(client(who), MESSAGE_ADDED, { id: groupId }),
    );
    const [forAda, forBob, forEve] = streams as [Stream<Added>, Stream<Added>, Stream<Added>];
    await live(streams, ada);

    await send(bob, 'hello everyone');
    for (const stream of streams)
      await expect
        .poll(() => stream.results.at(-1)?.data?.messageAdded)
        .toMatchObject({ body: 'hello everyone', author: { id: bob.user.id, displayName: 'Bob' } });

    const removed = await platform.graphql(
      'mutation($input: RemoveConversationMemberInput!) { removeConversationMember(input: $input) { conversation { id memberCount } } }',
      { input: { conversationId: groupId, userId: eve.user.id } },
      bearer(ada.accessToken),
    );
    expect(removed.errors).toBeUndefined();
    await send(ada, 'eve has left');
    await send(ada, 'and this too');
    // Events are handled in order per stream: once Ada and Bob have the second one, Eve's were dropped.
    await expect.poll(() => bodies(forBob)).toEqual(['hello everyone', 'eve has left', 'and this too']);
    await expect.poll(() => bodies(forAda)).toEqual(['hello everyone', 'eve has left', 'and this too']);
    // Eve's stream ends at the first event after her removal, with FORBIDDEN, and nothing more.
    await expect.poll(() => forEve.completed).toBe(true);
    expect(bodies(forEve)).toEqual(['hello everyone']);
    expect(forEve.results.at(-1)?.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    // A non-member cannot subscribe at all; an anonymous socket cannot either.
    const denied = subscribe<Added>(client(eve), MESSAGE_ADDED, { id: groupId });
    await expect.poll(() => denied.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = subscribe<Added>(client(null), MESSAGE_ADDED, { id: groupId });
    await expect.poll(() => anonymous.results[0]?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const stream of streams) stream.unsubscribe();
  });

  it('delivers typing with the typist resolved by identity, never to the typist', async () => {
    type Typing = { typing: { isTyping: boolean; user: { displayName: string } } };
    const query = 'subscription($id: ID!) { typing(conversationId: $id) { isTyping user { displayName } } }';
    const forBob = subscribe<Typing>(client(bob), query, { id: groupId });
    const forAda = subscribe<Typing>(client(ada), query, { id: groupId });
    await expect
      .poll(
        async () => {
          await platform.graphql(
            'mutation($input: SetTypingInput!) { setTyping(input: $input) { __typename } }',
            { input: { conversationId: groupId, isTyping: true } },
            bearer(ada.accessToken),
          );
          return forBob.results.length;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBeGreaterThan(0);
    expect(forBob.results[0]?.data?.typing).toEqual({ isTyping: true, user: { displayName: 'Ada' } });
    expect(forAda.results).toEqual([]);
    forBob.unsubscribe();
    forAda.unsubscribe();
  });

  it('catches up after a reconnect: history since the last cursor plus the live stream, no gap and no duplicate', async () => {
    const first = client(bob);
    const before = subscribe<Added>(first, MESSAGE_ADDED, { id: groupId });
    await live([before], ada);
    await send(ada, 'seen live');
    await expect.poll(() => bodies(before)).toContain('seen live');
    const lastCursor = before.results.at(-1)!.data!.messageAdded.cursor;
    await first.dispose();

    await send(ada, 'missed 1');
    await send(ada, 'missed 2');

    // Reconnect: subscribe first, then fetch what was missed; merge by id.
    const after = subscribe<Added>(client(bob), MESSAGE_ADDED, { id: groupId });
    await live([after], ada);
    const since = await platform.graphql<{
      conversation: { messagesSince: { edges: { node: { id: string; body: string } }[] } };
    }>(
      'query($id: ID!, $since: String!) { conversation(id: $id) { messagesSince(since: $since, first: 100) { edges { node { id body } } } } }',
      { id: groupId, since: lastCursor },
      bearer(bob.accessToken),
    );
    expect(since.errors).toBeUndefined();
    await send(ada, 'live again');
    await expect.poll(() => bodies(after)).toContain('live again');

    const merged = new Map<string, string>();
    for (const { node } of since.data!.conversation.messagesSince.edges) merged.set(node.id, node.body);
    for (const r of after.results) merged.set(r.data!.messageAdded.id, r.data!.messageAdded.body);
    const received = [...merged.values()].filter((b) => !b.startsWith('probe'));
    expect(received).toEqual(['missed 1', 'missed 2', 'live again']);

    const history = await platform.graphql<{
      conversation: { messages: { edges: { node: { id: string } }[] } };
    }>(
      'query($id: ID!) { conversation(id: $id) { messages(first: 100) { edges { node { id } } } } }',
      { id: groupId },
      bearer(bob.accessToken),
    );
    const ids = history.data!.conversation.messages.edges.map((e) => e.node.id);
    const newerThanCursor = ids.slice(0, ids.indexOf(before.results.at(-1)!.data!.messageAdded.id));
    expect(new Set(merged.keys())).toEqual(new Set(newerThanCursor));
    after.unsubscribe();
  });

  it('enforces the connection rules with their close codes', async () => {
    const init = { type: 'connection_init', payload: { authorization: `Bearer ${ada.accessToken}` } };
    const subscribeFrame = (id: string) => ({
      id,
      type: 'subscribe',
      payload: { query: MESSAGE_ADDED, variables: { id: groupId } },
    });
    const cases: [string, number, (s: ReturnType<typeof rawSocket>) => Promise<void> | void][] = [
      [
        'bad token',
        4403,
        (s) => s.send({ type: 'connection_init', payload: { authorization: 'Bearer nope' } }),
      ],
      ['not a message', 4400, (s) => s.send('{ not json')],
      ['subscribe before ack', 4401, (s) => s.send(subscribeFrame('1'))],
      ['no init in time', 4408, () => undefined],
      [
        'second init',
        4429,
        async (s) => {
          s.send(init);
          await expect.poll(() => s.messages.map((m) => m['type'])).toContain('connection_ack');
          s.send(init);
        },
      ],
      [
        'duplicate subscription id',
        4409,
        async (s) => {
          s.send(init);
          await expect.poll(() => s.messages.map((m) => m['type'])).toContain('connection_ack');
          s.send(subscribeFrame('same'));
          s.send(subscribeFrame('same'));
        },
      ],
    ];
    for (const [name, code, act] of cases) {
      const socket = rawSocket(platform.gatewayUrl);
      await socket.opened;
      await act(socket);
      expect({ name, code: await socket.closed }).toEqual({ name, code });
    }
  });
});
