// @vitest-environment jsdom
import { createHash } from 'node:crypto';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import {
  sortTopLevelDefinitions,
  type PersistedQueryManifestForVerification,
} from '@apollo/persisted-query-lists';
import {
  Kind,
  OperationTypeNode,
  parse,
  print,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as generated from '../../generated/graphql.js';
import manifestJson from '../../generated/persisted-documents.json';
import type { SessionManager } from '../auth/session.js';
import { createEdugraphClient, persistedDocumentsLink } from './client.js';

const manifest = manifestJson as PersistedQueryManifestForVerification;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const byName = new Map(manifest.operations.map((operation) => [operation.name, operation]));

/** Every operation the app can send: the `…Document` exports of the generated file. */
const operations = Object.entries(generated as Record<string, unknown>)
  .filter(([name, value]) => name.endsWith('Document') && typeof value === 'object' && value !== null)
  .map(([, value]) => {
    const document = value as DocumentNode;
    const definition = document.definitions.find(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    )!;
    return { document, name: definition.name!.value, type: definition.operation };
  });

const session = {
  accessToken: async () => null,
  refresh: async () => null,
} as unknown as SessionManager;

type SentBody = {
  query?: string;
  operationName?: string;
  extensions?: { persistedQuery?: { version: number; sha256Hash: string } };
};

function run(client: ApolloClient, document: DocumentNode, type: OperationTypeNode): Promise<unknown> {
  if (type === OperationTypeNode.MUTATION) return client.mutate({ mutation: document }).catch(() => null);
  if (type === OperationTypeNode.QUERY)
    return client.query({ query: document, fetchPolicy: 'no-cache' }).catch(() => null);
  return new Promise<void>((resolve) => {
    client.subscribe({ query: document }).subscribe({ complete: resolve, error: () => resolve() });
  });
}

describe('trusted documents in the Apollo client', () => {
  let sent: SentBody[];
  let errors: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    sent = [];
    errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        sent.push(JSON.parse(String(init.body)) as SentBody);
        return new Response(JSON.stringify({ data: null, errors: [{ message: 'stub' }] }), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
  });

  afterEach(() => {
    vi.unstubAllGlobals();
    errors.mockRestore();
  });

  it('lists every operation of the app in the manifest, each id the sha256 of its body', () => {
    expect(operations.length).toBeGreaterThan(50);
    for (const { name, type } of operations) {
      const entry = byName.get(name);
      expect(entry, name).toBeDefined();
      expect(entry!.type).toBe(type);
      expect(entry!.id).toBe(sha256(entry!.body));
    }
    expect(manifest.operations).toHaveLength(operations.length);
  });

  it('sends queries and mutations as their manifest id, without the document text', async () => {
    const { client } = createEdugraphClient(session, 'http://app.test');
    for (const { document, name, type } of operations.filter(
      (o) => o.type !== OperationTypeNode.SUBSCRIPTION,
    )) {
      sent = [];
      await run(client, document, type);
      expect(sent, name).toHaveLength(1);
      expect(sent[0]!.query, name).toBeUndefined();
      expect(sent[0]!.operationName).toBe(name);
      expect(sent[0]!.extensions?.persistedQuery).toEqual({ version: 1, sha256Hash: byName.get(name)!.id });
    }
    // The development verification link compares what the client sends with the manifest's body: no mismatch.
    expect(errors).not.toHaveBeenCalled();
  });

  it('sends subscriptions over graphql-ws with the id and a text that is the manifest document', async () => {
    const { client, ws } = createEdugraphClient(session, 'http://app.test');
    const payloads: SentBody[] = [];
    vi.spyOn(ws, 'subscribe').mockImplementation((payload, sink) => {
      payloads.push(payload as SentBody);
      sink.complete();
      return () => undefined;
    });
    const subscriptions = operations.filter((o) => o.type === OperationTypeNode.SUBSCRIPTION);
    expect(subscriptions.length).toBeGreaterThan(0);
    for (const { document, name, type } of subscriptions) {
      payloads.length = 0;
      await run(client, document, type);
      expect(payloads, name).toHaveLength(1);
      const { id, body } = byName.get(name)!;
      expect(payloads[0]!.extensions?.persistedQuery?.sha256Hash).toBe(id);
      expect(print(sortTopLevelDefinitions(parse(payloads[0]!.query!)))).toBe(body);
    }
    expect(sent).toHaveLength(0);
    expect(errors).not.toHaveBeenCalled();
  });

  it('sends nothing for an operation missing from the manifest, and reports a document that differs from it', async () => {
    const catalogue = operations.find((o) => o.name === 'Catalogue')!;
    const clientWith = (operations: typeof manifest.operations) =>
      new ApolloClient({
        link: ApolloLink.from([
          persistedDocumentsLink(async () => ({ operations }), true),
          new HttpLink({ uri: 'http://app.test/graphql' }),
        ]),
        cache: new InMemoryCache(),
      });

    const missing = clientWith(manifest.operations.filter((o) => o.name !== 'Catalogue'));
    await expect(missing.query({ query: catalogue.document, fetchPolicy: 'no-cache' })).rejects.toThrow(
      /Catalogue not found in manifest/,
    );
    expect(sent).toHaveLength(0);

    const changed = clientWith(
      manifest.operations.map((o) => (o.name === 'Catalogue' ? { ...o, body: `${o.body}\n` } : o)),
    );
    await run(changed, catalogue.document, catalogue.type);
    expect(errors).toHaveBeenCalledWith(expect.stringMatching(/Catalogue .*OperationMismatch/));
  });
});
