import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testing/harness.js';

const INTROSPECTION = '{ __schema { queryType { name } } }';
const TYPE_INTROSPECTION = 'query Q { ...F } fragment F on Query { __type(name: "Course") { name } }';
const SCOPED_KEY = 'egk_test_introspect_key_00001';
const PLAIN_KEY = 'egk_test_plain_key_0000000001';

let h: Harness;

beforeAll(async () => {
  // Production behaviour without trusted documents (require, the production default, has its own spec:
  // trusted-documents/trusted-documents.integration-spec.ts): these documents are not in any manifest.
  h = await startHarness({ NODE_ENV: 'production', GATEWAY_TRUSTED_DOCUMENTS: 'off' });
  h.identity.apiKeys.set(SCOPED_KEY, {
    apiKeyId: 'key-scoped',
    ownerId: 'owner-1',
    scopes: ['read', 'introspection'],
  });
  h.identity.apiKeys.set(PLAIN_KEY, { apiKeyId: 'key-plain', ownerId: 'owner-2', scopes: ['read'] });
});

afterAll(async () => {
  await h?.stop();
});

const bearer = async (roles: string[]) => ({ authorization: `Bearer ${await h.identity.sign({ roles })}` });

function expectForbidden(result: Awaited<ReturnType<Harness['graphql']>>) {
  expect(result.status).toBe(403);
  expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  expect(result.body.data).toBeUndefined();
}

describe('introspection in production', () => {
  it('is denied to anonymous callers, also through fragments and __type', async () => {
    expectForbidden(await h.graphql(INTROSPECTION));
    expectForbidden(await h.graphql(TYPE_INTROSPECTION));
  });

  it('is denied to signed-in non-admins and to API keys without the introspection scope', async () => {
    expectForbidden(await h.graphql(INTROSPECTION, { headers: await bearer(['LEARNER', 'INSTRUCTOR']) }));
    expectForbidden(await h.graphql(INTROSPECTION, { headers: { 'x-api-key': PLAIN_KEY } }));
  });

  it('is allowed to ADMIN users and to API keys with the introspection scope', async () => {
    const admin = await h.graphql(INTROSPECTION, { headers: await bearer(['ADMIN']) });
    expect(admin.status).toBe(200);
    expect(admin.body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    const key = await h.graphql(TYPE_INTROSPECTION, { headers: { 'x-api-key': SCOPED_KEY } });
    expect(key.status).toBe(200);
    expect(key.body.data).toEqual({ __type: { name: 'Course' } });
  });

  it('still lets anyone ask for __typename', async () => {
    const result = await h.graphql('{ __typename reviewCount }');
    expect(result.body).toEqual({ data: { __typename: 'Query', reviewCount: 7 } });
  });
});

describe('errors in production', () => {
  it('carry no stack traces and no field suggestions', async () => {
    const result = await h.graphql('{ reviewCont }');
    expect(result.status).toBe(400);
    const error = result.body.errors?.[0];
    expect(error?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error?.extensions?.['stacktrace']).toBeUndefined();
    expect(error?.message).not.toMatch(/Did you mean/);
    expect(error?.message).not.toContain('reviewCount');
  });

  it('pass subgraph error codes through (default deny in the subgraph)', async () => {
    const anonymous = await h.graphql('{ adminStats }');
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const learner = await h.graphql('{ adminStats }', { headers: await bearer(['LEARNER']) });
    expect(learner.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = await h.graphql('{ adminStats }', { headers: await bearer(['ADMIN']) });
    expect(admin.body).toEqual({ data: { adminStats: 42 } });
  });

  it('do not reveal internal addresses when a subgraph is unreachable', async () => {
    await h.reviews.stop();
    const result = await h.graphql('{ reviewCount }');
    const error = result.body.errors?.[0];
    expect(error).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(error?.message).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|http:/);
    expect(JSON.stringify(result.body)).not.toMatch(/127\.0\.0\.1/);
  });
});
