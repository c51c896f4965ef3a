import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createGatewayApp, readGatewayConfig, type RunningGateway } from '../app.js';
import {
  startFakeIdentity,
  TEST_AUDIENCE,
  TEST_INTERNAL_TOKEN,
  TEST_ISSUER,
  type FakeIdentity,
} from '../testing/fake-identity.js';
import { composeSupergraph, REDIS_URL, startHarness, type Harness } from '../testing/harness.js';
import { startChatSubgraph, startPeopleSubgraph, type ChatSubgraph } from '../testing/realtime-subgraphs.js';
import type { TestSubgraph } from '../testing/test-subgraphs.js';
import { canonicalText, sha256, type PersistedDocumentManifest } from './trusted-documents.js';

const REVIEW_COUNT = 'query ReviewCount { reviewCount }';
const COURSE = 'query Course($id: ID!) { course(id: $id) { id } }';
const COURSES = 'query Courses($first: Int) { courses(first: $first) { edges { node { id } } } }';
const ON_MESSAGE =
  'subscription OnMessage($c: ID!) { messageAdded(conversationId: $c) { id body author { name } } }';
const API_KEY = 'egk_test_trusted_docs_key_0001';

/** A manifest as `npm run codegen` writes it: canonical bodies, id = sha256(body). */
function manifestOf(...documents: string[]): PersistedDocumentManifest {
  return {
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: documents.map((text) => {
      const document = parse(text);
      const definition = document.definitions[0] as { name: { value: string }; operation: 'query' };
      const body = canonicalText(document);
      return { id: sha256(body), name: definition.name.value, type: definition.operation, body };
    }),
  };
}

const manifest = manifestOf(REVIEW_COUNT, COURSE, COURSES, ON_MESSAGE);
const idOf = (name: string) => manifest.operations.find((o) => o.name === name)!.id;
const bodyOf = (name: string) => manifest.operations.find((o) => o.name === name)!.body;
const persisted = (sha256Hash: string) => ({ persistedQuery: { version: 1, sha256Hash } });

let scratch: string;
let manifestPath: string;

type Result = {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
};

async function post(h: Harness, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(h.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Result['body'] };
}

async function get(h: Harness, params: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.url}?${new URLSearchParams(params).toString()}`, {
    headers: { accept: 'application/graphql-response+json', 'apollo-require-preflight': 'true', ...headers },
  });
  return { status: response.status, body: (await response.json()) as Result['body'] };
}

function expectRefused(result: Result, code: string, status = 400) {
  expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  expect(result.status).toBe(status);
  expect(result.body.data).toBeUndefined();
}

const bearer = async (h: Harness, roles: string[]) => ({
  authorization: `Bearer ${await h.identity.sign({ roles })}`,
});

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'edugraph-trusted-'));
  manifestPath = path.join(scratch, 'persisted-documents.json');
  await writeFile(manifestPath, JSON.stringify(manifest));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('GATEWAY_TRUSTED_DOCUMENTS=require (HTTP)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      GATEWAY_TRUSTED_DOCUMENTS: 'require',
      GATEWAY_TRUSTED_DOCUMENTS_MANIFEST: manifestPath,
    });
    h.identity.apiKeys.set(API_KEY, { apiKeyId: 'key-trusted', ownerId: 'owner-trusted', scopes: ['read'] });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('runs a known id over POST and GET without any document text', async () => {
    const byPost = await post(h, { extensions: persisted(idOf('ReviewCount')) });
    expect(byPost).toEqual({ status: 200, body: { data: { reviewCount: 7 } } });
    const withVariables = await post(h, { extensions: persisted(idOf('Course')), variables: { id: 'c1' } });
    expect(withVariables.body).toEqual({ data: { course: { id: 'c1' } } });
    const byGet = await get(h, {
      extensions: JSON.stringify(persisted(idOf('ReviewCount'))),
    });
    expect(byGet).toEqual({ status: 200, body: { data: { reviewCount: 7 } } });
  });

  it('answers an unknown id with PERSISTED_QUERY_NOT_FOUND and runs nothing', async () => {
    const before = h.reviews.received.length;
    expectRefused(await post(h, { extensions: persisted('0'.repeat(64)) }), 'PERSISTED_QUERY_NOT_FOUND');
    expectRefused(
      await get(h, { extensions: JSON.stringify(persisted('f'.repeat(64))) }),
      'PERSISTED_QUERY_NOT_FOUND',
    );
    expect(h.reviews.received.length).toBe(before);
  });

  it('refuses free-form documents from anonymous callers and signed-in non-admins, before running them', async () => {
    const before = h.reviews.received.length;
    const anonymous = await post(h, { query: '{ reviewCount }' });
    expectRefused(anonymous, 'OPERATION_NOT_TRUSTED');
    expect(anonymous.body.errors?.[0]?.message).toMatch(/trusted documents/);
    expectRefused(
      await post(h, { query: '{ reviewCount }' }, await bearer(h, ['LEARNER', 'INSTRUCTOR'])),
      'OPERATION_NOT_TRUSTED',
    );
    expectRefused(await get(h, { query: '{ reviewCount }' }), 'OPERATION_NOT_TRUSTED');
    // An unknown internal token is no exemption.
    expectRefused(
      await post(h, { query: '{ reviewCount }' }, { 'x-internal-token': 'not-the-token' }),
      'OPERATION_NOT_TRUSTED',
    );
    expect(h.reviews.received.length).toBe(before);
  });

  it('accepts text equal to a manifest document, up to formatting and definition order', async () => {
    expect((await post(h, { query: bodyOf('ReviewCount') })).body).toEqual({ data: { reviewCount: 7 } });
    const reformatted = await post(h, { query: `# a comment\n${COURSE}`, variables: { id: 'c2' } });
    expect(reformatted.body).toEqual({ data: { course: { id: 'c2' } } });
    // Same name, other selection: not the trusted document.
    expectRefused(
      await post(h, { query: 'query ReviewCount { reviewCount adminStats }' }),
      'OPERATION_NOT_TRUSTED',
    );
  });

  it('lets ADMIN users (GraphiQL), API keys and first-party tooling with the internal token send free-form documents', async () => {
    const admin = await post(h, { query: '{ reviewCount }' }, await bearer(h, ['ADMIN']));
    expect(admin.body).toEqual({ data: { reviewCount: 7 } });
    const apiKey = await post(h, { query: '{ reviewCount }' }, { 'x-api-key': API_KEY });
    expect(apiKey.body).toEqual({ data: { reviewCount: 7 } });
    const internal = await post(h, { query: '{ reviewCount }' }, { 'x-internal-token': TEST_INTERNAL_TOKEN });
    expect(internal.body).toEqual({ data: { reviewCount: 7 } });
  });

  it('does not let automatic persisted query registration smuggle a document in', async () => {
    const smuggled = '{ reviewCount course(id: "x") { id } }';
    const hash = sha256(smuggled);
    // Registration is a free-form document: refused for this caller.
    expectRefused(await post(h, { query: smuggled, extensions: persisted(hash) }), 'OPERATION_NOT_TRUSTED');
    // An admin's registration runs (admins may) but stores nothing: the hash stays unknown to everyone.
    const admin = await post(h, { query: smuggled, extensions: persisted(hash) }, await bearer(h, ['ADMIN']));
    expect(admin.body.data).toEqual({ reviewCount: 7, course: { id: 'x' } });
    expectRefused(await post(h, { extensions: persisted(hash) }), 'PERSISTED_QUERY_NOT_FOUND');
    // A known id with other text: refused for this caller, and Apollo's hash check refuses it for an admin.
    expectRefused(
      await post(h, { query: smuggled, extensions: persisted(idOf('ReviewCount')) }),
      'OPERATION_NOT_TRUSTED',
    );
    const mismatch = await post(
      h,
      { query: smuggled, extensions: persisted(idOf('ReviewCount')) },
      await bearer(h, ['ADMIN']),
    );
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors?.[0]?.message).toMatch(/provided sha does not match query/);
  });

  it('still applies the limits to persisted documents', async () => {
    const tooMany = await post(h, { extensions: persisted(idOf('Courses')), variables: { first: 1000 } });
    expectRefused(tooMany, 'BAD_USER_INPUT');
    const fine = await post(h, { extensions: persisted(idOf('Courses')), variables: { first: 2 } });
    expect((fine.body.data?.['courses'] as { edges: unknown[] }).edges).toHaveLength(2);
  });

  it('counts refusals in gateway_rejections_total', async () => {
    const text = await h.gateway.metrics.registry.getSingleMetricAsString('gateway_rejections_total');
    expect(text).toMatch(/gateway_rejections_total\{reason="untrusted_document"[^}]*\} [1-9]/);
  });
});

describe('GATEWAY_TRUSTED_DOCUMENTS=allow (the default outside production)', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ GATEWAY_TRUSTED_DOCUMENTS_MANIFEST: manifestPath });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('runs known ids and free-form documents, and answers unknown ids with PERSISTED_QUERY_NOT_FOUND', async () => {
    expect((await post(h, { extensions: persisted(idOf('ReviewCount')) })).body).toEqual({
      data: { reviewCount: 7 },
    });
    expect((await post(h, { query: '{ reviewCount }' })).body).toEqual({ data: { reviewCount: 7 } });
    expectRefused(await post(h, { extensions: persisted('1'.repeat(64)) }), 'PERSISTED_QUERY_NOT_FOUND');
  });

  it('keeps nothing from an APQ registration', async () => {
    const query = '{ reviewCount __typename }';
    const registered = await post(h, { query, extensions: persisted(sha256(query)) });
    expect(registered.body.data).toEqual({ reviewCount: 7, __typename: 'Query' });
    expectRefused(await post(h, { extensions: persisted(sha256(query)) }), 'PERSISTED_QUERY_NOT_FOUND');
  });
});

describe('GATEWAY_TRUSTED_DOCUMENTS=off', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ GATEWAY_TRUSTED_DOCUMENTS: 'off' });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('refuses operation ids with PERSISTED_QUERY_NOT_SUPPORTED and runs free-form documents', async () => {
    expectRefused(
      await post(h, { extensions: persisted(idOf('ReviewCount')) }),
      'PERSISTED_QUERY_NOT_SUPPORTED',
    );
    expect((await post(h, { query: '{ reviewCount }' })).body).toEqual({ data: { reviewCount: 7 } });
  });
});

describe('in production, without GATEWAY_TRUSTED_DOCUMENTS', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ NODE_ENV: 'production', GATEWAY_TRUSTED_DOCUMENTS_MANIFEST: manifestPath });
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('requires trusted documents, with the typed error and no stack trace', async () => {
    const refused = await post(h, { query: '{ reviewCount }' });
    expectRefused(refused, 'OPERATION_NOT_TRUSTED');
    expect(JSON.stringify(refused.body)).not.toContain('stacktrace');
    expect((await post(h, { extensions: persisted(idOf('ReviewCount')) })).body).toEqual({
      data: { reviewCount: 7 },
    });
  });
});

describe('a gateway in require mode without its manifest', () => {
  it('does not start', async () => {
    await expect(
      startHarness({
        GATEWAY_TRUSTED_DOCUMENTS: 'require',
        GATEWAY_TRUSTED_DOCUMENTS_MANIFEST: path.join(os.tmpdir(), `missing-${randomUUID()}.json`),
      }),
    ).rejects.toThrow(/GATEWAY_TRUSTED_DOCUMENTS=require needs a manifest/);
  });
});

describe('GATEWAY_TRUSTED_DOCUMENTS=require (graphql-ws subscribe)', () => {
  const PREFIX = `test:gateway-trusted:${randomUUID()}:`;
  let identity: FakeIdentity;
  let chat: ChatSubgraph;
  let people: TestSubgraph;
  let running: RunningGateway;
  const clients: Client[] = [];

  beforeAll(async () => {
    identity = await startFakeIdentity();
    chat = await startChatSubgraph({ jwksUrl: identity.jwksUrl, redisUrl: REDIS_URL, prefix: PREFIX });
    people = await startPeopleSubgraph(identity.jwksUrl);
    const supergraphSdl = composeSupergraph([
      { name: chat.name, url: chat.url, sdl: chat.sdl, received: [], stop: async () => undefined },
      people,
    ]);
    const config = readGatewayConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
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
      GATEWAY_TRUSTED_DOCUMENTS: 'require',
    });
    const gateway = await createGatewayApp(config, { supergraphSdl, trustedDocumentsManifest: manifest });
    running = await gateway.listen();
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await running?.stop();
    await chat?.stop();
    await people?.stop();
    await identity?.stop();
  });

  async function client(roles: string[] = ['LEARNER']): Promise<Client> {
    const token = await identity.sign({ sub: randomUUID(), roles });
    const created = createClient({
      url: running.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      lazy: true,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${token}` },
    });
    clients.push(created);
    return created;
  }

  /** The first thing the subscription yields: an event's data, or its error codes. */
  function first(
    c: Client,
    payload: { query: string; variables: Record<string, unknown>; extensions?: Record<string, unknown> },
    conversationId: string,
  ): Promise<unknown> {
    return new Promise((resolve) => {
      let unsubscribe = () => undefined as void;
      // Publish until the subscription is live upstream (an event published before that is lost).
      const tick = setInterval(
        () => chat.publish({ id: 'm1', body: 'hello', conversationId, authorId: 'a1' }),
        50,
      );
      const finish = (value: unknown) => {
        clearInterval(tick);
        unsubscribe();
        resolve(value);
      };
      unsubscribe = c.subscribe(payload, {
        next: (value) => finish(value.data),
        error: (error) =>
          finish(
            Array.isArray(error)
              ? error.map((e: { extensions?: { code?: string } }) => e.extensions?.code)
              : error,
          ),
        complete: () => undefined,
      });
    });
  }

  const event = { messageAdded: { id: 'm1', body: 'hello', author: { name: 'Name a1' } } };

  it('runs a known id (the text the client sends alongside is not what runs)', async () => {
    const c = await client();
    const unsorted = `subscription OnMessage($c: ID!) {\n  messageAdded(conversationId: $c) { id body author { name } }\n}`;
    expect(
      await first(
        c,
        { query: unsorted, variables: { c: 'ws-1' }, extensions: persisted(idOf('OnMessage')) },
        'ws-1',
      ),
    ).toEqual(event);
  });

  it('accepts text equal to the manifest document', async () => {
    const c = await client();
    expect(await first(c, { query: bodyOf('OnMessage'), variables: { c: 'ws-2' } }, 'ws-2')).toEqual(event);
  });

  it('refuses free-form text from a non-admin and an unknown id', async () => {
    const c = await client();
    const freeForm = 'subscription { messageAdded(conversationId: "ws-3") { id } }';
    expect(await first(c, { query: freeForm, variables: {} }, 'ws-3')).toEqual(['OPERATION_NOT_TRUSTED']);
    expect(
      await first(c, { query: freeForm, variables: {}, extensions: persisted('2'.repeat(64)) }, 'ws-3'),
    ).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });

  it('lets an ADMIN subscribe with free-form text', async () => {
    const c = await client(['ADMIN']);
    const freeForm = 'subscription { messageAdded(conversationId: "ws-4") { id } }';
    expect(await first(c, { query: freeForm, variables: {} }, 'ws-4')).toEqual({
      messageAdded: { id: 'm1' },
    });
  });
});
