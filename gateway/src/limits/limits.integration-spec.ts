import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness.js';

const API_KEY = 'egk_test_limits_key_000000001';
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  h.identity.apiKeys.set(API_KEY, { apiKeyId: 'key-limits', ownerId: 'owner-limits', scopes: ['read'] });
});

afterAll(async () => {
  await h?.stop();
});

type Result = Awaited<ReturnType<Harness['graphql']>>;

function expectRejected(result: Result, code: string, status = 400) {
  expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  expect(result.status).toBe(status);
  expect(result.body.data).toBeUndefined();
}

/** course → reviews → node → course … `levels` times; depth grows by 4 per level. */
function deepQuery(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i += 1) inner = `reviews(first: 1) { edges { node { course { ${inner} } } } }`;
  return `{ course(id: "c1") { ${inner} } }`;
}

describe('graphql-armor limits', () => {
  it('accepts depth 12 and rejects deeper operations with MAX_DEPTH_EXCEEDED', async () => {
    const ok = await h.graphql(deepQuery(2)); // course(1) + 2×4 + id = depth 10
    expect(ok.body.errors).toBeUndefined();
    const before = h.reviews.received.length;
    const deep = await h.graphql(deepQuery(3)); // depth 14
    expectRejected(deep, 'MAX_DEPTH_EXCEEDED');
    expect(deep.body.errors?.[0]?.message).toMatch(/depth limit of 12/i);
    expect(h.reviews.received.length).toBe(before);
  });

  it('counts __typename aliases: 15 pass, 16 are rejected with MAX_ALIASES_EXCEEDED', async () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const ok = await h.graphql(aliases(15));
    expect(ok.body.errors).toBeUndefined();
    expectRejected(await h.graphql(aliases(16)), 'MAX_ALIASES_EXCEEDED');
  });

  it('rejects more than 2,000 tokens with MAX_TOKENS_EXCEEDED before parsing the rest', async () => {
    const query = `{ course(id: "c1") { ${'id '.repeat(2000)} } }`;
    expectRejected(await h.graphql(query), 'MAX_TOKENS_EXCEEDED');
  });

  it('rejects more than 20 directives with MAX_DIRECTIVES_EXCEEDED', async () => {
    const directives = (n: number) => `{ ${'reviewCount @include(if: true) '.repeat(n)} }`;
    const ok = await h.graphql(directives(20));
    expect(ok.body.errors).toBeUndefined();
    expectRejected(await h.graphql(directives(21)), 'MAX_DIRECTIVES_EXCEEDED');
  });

  it('shows field suggestions outside production', async () => {
    const result = await h.graphql('{ reviewCont }');
    expect(result.body.errors?.[0]?.message).toMatch(/Did you mean "reviewCount"/);
  });
});

const NESTED = `query Nested($courses: Int, $reviews: Int) {
  courses(first: $courses) { edges { node { reviews(first: $reviews) { edges { node { id body } } } } } }
}`;
/** 1 + c × (edges 1 + node 1 + reviews(1 + r × (edges 1 + node(1 + id 1 + body 1)))) */
const nestedCost = (c: number, r: number) => 1 + c * (3 + 4 * r);

describe('cost with variables', () => {
  it('computes the cost from the variables and runs affordable operations', async () => {
    expect(nestedCost(10, 10)).toBe(431);
    const result = await h.graphql(NESTED, { variables: { courses: 10, reviews: 10 } });
    expect(result.body.errors).toBeUndefined();
    expect((result.body.data?.['courses'] as { edges: unknown[] }).edges).toHaveLength(10);
  });

  it('rejects an operation over the user budget (5,000) with COST_LIMIT_EXCEEDED before calling subgraphs', async () => {
    const before = h.catalog.received.length;
    const result = await h.graphql(NESTED, { variables: { courses: 50, reviews: 50 } });
    expectRejected(result, 'COST_LIMIT_EXCEEDED');
    expect(result.body.errors?.[0]?.extensions).toMatchObject({ cost: nestedCost(50, 50), budget: 5000 });
    expect(h.catalog.received.length).toBe(before);
  });

  it('assumes first = 20 when a connection does not pass one', async () => {
    // 1 + 20 × (3 + 4 × 20) = 1,661: fine for a user, over the API-key budget.
    const user = await h.graphql(NESTED, { headers: { authorization: `Bearer ${await h.identity.sign()}` } });
    expect(user.body.errors).toBeUndefined();
    const apiKey = await h.graphql(NESTED, { headers: { 'x-api-key': API_KEY } });
    expectRejected(apiKey, 'COST_LIMIT_EXCEEDED');
    expect(apiKey.body.errors?.[0]?.extensions).toMatchObject({ cost: nestedCost(20, 20), budget: 1000 });
  });

  it('rejects first above 100 as BAD_USER_INPUT before execution, literal or variable', async () => {
    const before = h.catalog.received.length;
    const literal = await h.graphql('{ courses(first: 101) { edges { cursor } } }');
    expectRejected(literal, 'BAD_USER_INPUT');
    expect(literal.body.errors?.[0]?.message).toMatch(/between 0 and 100, got 101 at courses/);
    const variable = await h.graphql(NESTED, { variables: { courses: 1, reviews: 500 } });
    expectRejected(variable, 'BAD_USER_INPUT');
    expect(h.catalog.received.length).toBe(before);
  });

  it('answers request errors with 200 to application/json clients (GraphQL over HTTP legacy rule)', async () => {
    const result = await h.graphql('{ courses(first: 101) { edges { cursor } } }', {
      headers: { accept: 'application/json' },
    });
    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('rate limits (Redis)', () => {
  it('limits per user, per API key and per IP with 429 RATE_LIMITED and Retry-After', async () => {
    const limited = await startHarness({
      RATE_LIMIT_IP_POINTS: '8',
      RATE_LIMIT_USER_POINTS: '3',
      RATE_LIMIT_API_KEY_POINTS: '2',
    });
    try {
      limited.identity.apiKeys.set(API_KEY, { apiKeyId: 'key-limited', ownerId: 'owner', scopes: [] });
      const headers = { authorization: `Bearer ${await limited.identity.sign({ sub: 'busy-user' })}` };
      for (let i = 0; i < 3; i += 1)
        expect((await limited.graphql('{ reviewCount }', { headers })).status).toBe(200);
      const user = await limited.graphql('{ reviewCount }', { headers });
      expectRejected(user, 'RATE_LIMITED', 429);
      expect(Number(user.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(user.body.errors?.[0]?.extensions?.['retryAfterSeconds']).toBe(
        Number(user.headers.get('retry-after')),
      );

      const keyHeaders = { 'x-api-key': API_KEY };
      for (let i = 0; i < 2; i += 1)
        expect((await limited.graphql('{ reviewCount }', { headers: keyHeaders })).status).toBe(200);
      expectRejected(await limited.graphql('{ reviewCount }', { headers: keyHeaders }), 'RATE_LIMITED', 429);

      // 7 requests so far from 127.0.0.1: the 8th passes, the 9th hits the IP limit before anything is parsed.
      expect((await limited.graphql('{ reviewCount }')).status).toBe(200);
      const ip = await limited.graphql('{ reviewCount }');
      expectRejected(ip, 'RATE_LIMITED', 429);
      expect(ip.headers.get('retry-after')).toMatch(/^\d+$/);
    } finally {
      await limited.stop();
    }
  });
});
