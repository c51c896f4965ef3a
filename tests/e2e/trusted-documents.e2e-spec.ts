import { readFile } from 'node:fs/promises';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAdmin, type Actor } from '../src/harness/actors.js';
import { wsClient } from '../src/harness/subscriptions.js';
import {
  bearer,
  signUp,
  startTestPlatform,
  type SignedUp,
  type TestPlatform,
} from '../src/harness/test-platform.js';

/**
 * Trusted documents against the real platform with GATEWAY_TRUSTED_DOCUMENTS=require (the production default):
 * the web app's manifest (web-client/src/generated/persisted-documents.json) is what anonymous and signed-in
 * callers may run; ADMIN users may send free-form documents. Requests here carry no internal token.
 */

type Manifest = { operations: { id: string; name: string; body: string }[] };
type Body = {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
};

let platform: TestPlatform;
let manifest: Manifest;
let learner: SignedUp;
let admin: Actor;
const clients: Client[] = [];

const operation = (name: string) => manifest.operations.find((o) => o.name === name)!;
const persisted = (name: string) => ({ persistedQuery: { version: 1, sha256Hash: operation(name).id } });

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(platform.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Body };
}

const codes = (body: Body) => body.errors?.map((e) => e.extensions?.code);

/** The first answer of a subscription: its data or its error codes. */
function firstAnswer(
  client: Client,
  payload: Parameters<Client['subscribe']>[0],
  poke: () => Promise<unknown>,
) {
  return new Promise<unknown>((resolve) => {
    let done = false;
    const unsubscribe = client.subscribe(payload, {
      next: (value) => {
        done = true;
        unsubscribe();
        resolve(value.data);
      },
      error: (error) => {
        done = true;
        resolve(
          Array.isArray(error)
            ? error.map((e: { extensions?: { code?: string } }) => e.extensions?.code)
            : error,
        );
      },
      complete: () => undefined,
    });
    // Until the subscription is live upstream, an event is lost: poke until something arrives.
    void (async () => {
      for (let attempt = 0; attempt < 50 && !done; attempt += 1) {
        await poke();
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  });
}

beforeAll(async () => {
  manifest = JSON.parse(
    await readFile(
      new URL('../../web-client/src/generated/persisted-documents.json', import.meta.url),
      'utf8',
    ),
  ) as Manifest;
  platform = await startTestPlatform({ GATEWAY_TRUSTED_DOCUMENTS: 'require' });
  learner = await signUp(platform, 'lena.trusted@example.com', 'Lena');
  admin = await makeAdmin(platform, 'ada.trusted@example.com');
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await platform?.close();
});

describe('trusted documents required', () => {
  it("runs the web app's operations by id, for anonymous and signed-in callers", async () => {
    const config = await post({ extensions: persisted('PublicConfig') });
    expect(config.status).toBe(200);
    expect(Array.isArray(config.body.data?.['publicConfig'])).toBe(true);
    const viewer = await post({ extensions: persisted('Viewer') }, bearer(learner.accessToken));
    expect((viewer.body.data?.['viewer'] as { id: string }).id).toBe(learner.user.id);
  });

  it('refuses free-form documents from anonymous and signed-in non-admin callers, and unknown ids', async () => {
    const anonymous = await post({ query: '{ publicConfig { key } }' });
    expect(anonymous.status).toBe(400);
    expect(codes(anonymous.body)).toEqual(['OPERATION_NOT_TRUSTED']);
    const signedIn = await post({ query: '{ viewer { id email } }' }, bearer(learner.accessToken));
    expect(codes(signedIn.body)).toEqual(['OPERATION_NOT_TRUSTED']);
    const unknown = await post({
      extensions: { persistedQuery: { version: 1, sha256Hash: 'e'.repeat(64) } },
    });
    expect(unknown.status).toBe(400);
    expect(codes(unknown.body)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it("accepts the manifest's own text, and free-form documents from an ADMIN", async () => {
    const text = await post({ query: operation('PublicConfig').body });
    expect(Array.isArray(text.body.data?.['publicConfig'])).toBe(true);
    const fromAdmin = await post({ query: '{ viewer { id } }' }, bearer(admin.token));
    expect(fromAdmin.body).toEqual({ data: { viewer: { id: admin.id } } });
  });

  it('applies the same rule to graphql-ws subscribe', async () => {
    const client = wsClient(platform.gatewayUrl, learner.accessToken);
    clients.push(client);
    const freeForm = await firstAnswer(
      client,
      { query: 'subscription { unreadCountsChanged { unreadCount } }' },
      async () => undefined,
    );
    expect(freeForm).toEqual(['OPERATION_NOT_TRUSTED']);

    const other = await signUp(platform, 'otto.trusted@example.com', 'Otto');
    const started = await platform.graphql<{ startConversation: { conversation: { id: string } } }>(
      'mutation($input: StartConversationInput!) { startConversation(input: $input) { conversation { id } } }',
      { input: { userIds: [other.user.id] } },
      bearer(learner.accessToken),
    );
    expect(started.errors).toBeUndefined();
    const conversationId = started.data!.startConversation.conversation.id;
    const byId = await firstAnswer(
      client,
      {
        query: operation('ChatMessageAdded').body,
        variables: { conversationId },
        extensions: persisted('ChatMessageAdded'),
      },
      () =>
        platform.graphql(
          'mutation($input: SendMessageInput!) { sendMessage(input: $input) { message { id } } }',
          { input: { conversationId, body: 'hello' } },
          bearer(other.accessToken),
        ),
    );
    expect((byId as { messageAdded: { body: string } }).messageAdded.body).toBe('hello');
  });
});
