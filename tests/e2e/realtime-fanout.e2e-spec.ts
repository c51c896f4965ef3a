import { readGatewayConfig, startGateway, type RunningGateway } from '@edugraph/gateway';
import type { RunningSubgraph } from '@edugraph/kit';
import { subgraph as messagingDefinition } from '@edugraph/messaging';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subscribe, wsClient, type Stream } from '../src/harness/subscriptions.js';
import {
  bearer,
  signUp,
  startTestPlatform,
  type SignedUp,
  type TestPlatform,
} from '../src/harness/test-platform.js';

/**
 * Two gateways, each in front of its own messaging instance (same database and Redis), as behind a load
 * balancer. Messages are posted through both at once; every subscriber on either gateway must receive
 * every message exactly once.
 */

type Added = { messageAdded: { id: string; body: string; author: { displayName: string } } };
const MESSAGE_ADDED =
  'subscription($id: ID!) { messageAdded(conversationId: $id) { id body author { displayName } } }';
const SEND = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }';

let platform: TestPlatform;
let secondMessaging: RunningSubgraph;
let secondGateway: RunningGateway;
const clients: Client[] = [];

beforeAll(async () => {
  platform = await startTestPlatform();
  secondMessaging = await messagingDefinition.start({ ...platform.subgraphEnv, PORT: '0' });
  secondGateway = await startGateway(
    readGatewayConfig({ ...platform.gatewayEnv, PORT: '0', SUBGRAPH_URL_MESSAGING: secondMessaging.url }),
    { supergraphSdl: platform.supergraphSdl },
  );
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await secondGateway?.stop();
  await secondMessaging?.stop();
  await platform?.close();
});

async function post(
  gatewayUrl: string,
  who: SignedUp,
  conversationId: string,
  body: string,
): Promise<string> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(who.accessToken) },
    body: JSON.stringify({ query: SEND, variables: { input: { conversationId, body } } }),
  });
  const result = (await response.json()) as {
    data?: { sendMessage: { message: { id: string } } };
    errors?: unknown;
  };
  expect(result.errors).toBeUndefined();
  return result.data!.sendMessage.message.id;
}

describe('fan-out across two gateways and two messaging instances', () => {
  it('delivers every message exactly once to every subscriber, whichever instance it was posted on', async () => {
    const members: SignedUp[] = [];
    for (const name of ['Ana', 'Ben', 'Cy', 'Dee'])
      members.push(await signUp(platform, `${name.toLowerCase()}@example.com`, name));
    const [owner, ...others] = members as [SignedUp, ...SignedUp[]];
    const started = await platform.graphql<{ startConversation: { conversation: { id: string } } }>(
      'mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } } }',
      { input: { userIds: others.map((m) => m.user.id), name: 'fan-out' } },
      bearer(owner.accessToken),
    );
    const conversationId = started.data!.startConversation.conversation.id;
    const gateways = [platform.gatewayUrl, secondGateway.url];

    // Every member subscribes on both gateways: 8 streams, 4 through each messaging instance.
    const streams: Stream<Added>[] = [];
    for (const member of members)
      for (const url of gateways) {
        const created = wsClient(url, member.accessToken);
        clients.push(created);
        streams.push(subscribe<Added>(created, MESSAGE_ADDED, { id: conversationId }));
      }
    const isProbe = (r: Stream<Added>['results'][number]) => r.data?.messageAdded.body.startsWith('probe');
    for (let attempt = 0; !streams.every((s) => s.results.some(isProbe)); attempt += 1) {
      if (attempt === 50) throw new Error('subscriptions never became live');
      await post(gateways[attempt % 2]!, owner, conversationId, `probe ${attempt}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    // 40 messages from all members, posted concurrently through both gateways.
    const sent = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        post(gateways[i % 2]!, members[i % members.length]!, conversationId, `message ${i}`),
      ),
    );
    const expected = new Set(sent);
    for (const stream of streams) {
      await expect
        .poll(() => stream.results.filter((r) => !isProbe(r)).length, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(40);
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // would-be duplicates have time to arrive
    for (const stream of streams) {
      const received = stream.results.filter((r) => !isProbe(r)).map((r) => r.data!.messageAdded);
      expect(stream.errors).toEqual([]);
      expect(received).toHaveLength(40);
      expect(new Set(received.map((m) => m.id))).toEqual(expected);
      for (const message of received) {
        const index = Number(message.body.split(' ')[1]);
        expect(message.author.displayName).toBe(['Ana', 'Ben', 'Cy', 'Dee'][index % 4]);
      }
    }
  });
});
