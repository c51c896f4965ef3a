import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  signUp as signUpOn,
  startTestPlatform,
  type TestPlatform,
} from '../src/harness/test-platform.js';

let platform: TestPlatform;
const signUp = (email: string, displayName: string) => signUpOn(platform, email, displayName);

beforeAll(async () => {
  platform = await startTestPlatform();
});

afterAll(async () => {
  await platform?.close();
});

describe('messaging through the gateway', () => {
  it('starts a 1:1 conversation, sends messages and reads history with authors resolved by identity', async () => {
    const ada = await signUp('ada@example.com', 'Ada');
    const bob = await signUp('bob@example.com', 'Bob');
    const eve = await signUp('eve@example.com', 'Eve');

    const started = await platform.graphql<{
      startConversation: { conversation: { id: string }; created: boolean };
    }>(
      'mutation($input: StartConversationInput!) { startConversation(input: $input) { created conversation { id kind } } }',
      { input: { userIds: [bob.user.id] } },
      bearer(ada.accessToken),
    );
    expect(started.errors).toBeUndefined();
    const conversationId = started.data!.startConversation.conversation.id;
    const again = await platform.graphql<{
      startConversation: { conversation: { id: string }; created: boolean };
    }>(
      'mutation($input: StartConversationInput!) { startConversation(input: $input) { created conversation { id } } }',
      { input: { userIds: [ada.user.id] } },
      bearer(bob.accessToken),
    );
    expect(again.data?.startConversation).toEqual({ created: false, conversation: { id: conversationId } });

    const send = 'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }';
    for (const [who, body] of [
      [ada, 'Hello Bob'],
      [bob, 'Hi Ada'],
    ] as const) {
      const sent = await platform.graphql(send, { input: { conversationId, body } }, bearer(who.accessToken));
      expect(sent.errors).toBeUndefined();
    }
    const outsider = await platform.graphql(
      send,
      { input: { conversationId, body: 'let me in' } },
      bearer(eve.accessToken),
    );
    expect(outsider.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    const empty = await platform.graphql(
      send,
      { input: { conversationId, body: '   ' } },
      bearer(ada.accessToken),
    );
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const history = await platform.graphql<{
      conversation: { messages: { edges: { node: { body: string; author: { displayName: string } } }[] } };
    }>(
      'query($id: ID!) { conversation(id: $id) { messages(first: 10) { edges { node { body author { id displayName } } } } } }',
      { id: conversationId },
      bearer(bob.accessToken),
    );
    expect(history.errors).toBeUndefined();
    expect(
      history.data!.conversation.messages.edges.map((e) => [e.node.author.displayName, e.node.body]),
    ).toEqual([
      ['Bob', 'Hi Ada'],
      ['Ada', 'Hello Bob'],
    ]);

    const unread = await platform.graphql<{ unreadCounts: { total: number } }>(
      '{ unreadCounts { total } }',
      {},
      bearer(bob.accessToken),
    );
    expect(unread.data?.unreadCounts.total).toBe(1);
  });
});
