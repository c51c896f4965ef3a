import { auditServer } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ CORS_ORIGINS: 'http://localhost:5173' });
});

afterAll(async () => {
  await h?.stop();
});

async function post(body: string, headers: Record<string, string> = {}) {
  const response = await fetch(h.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () =>
      JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[]; data?: unknown },
  };
}

describe('HTTP hardening', () => {
  it('refuses a body over 100 kB with 413 in GraphQL error shape', async () => {
    const query = `{ reviewCount } # ${'x'.repeat(110 * 1024)}`;
    const result = await post(JSON.stringify({ query }));
    expect(result.status).toBe(413);
    expect(result.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(result.json().errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('answers malformed JSON with 400 BAD_REQUEST', async () => {
    const result = await post('{"query": "{ reviewCount }"');
    expect(result.status).toBe(400);
    expect(result.json().errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('blocks GETs and simple POSTs without a preflight header (CSRF prevention)', async () => {
    const get = await fetch(`${h.url}?query=${encodeURIComponent('{ reviewCount }')}`, {
      headers: { accept: 'application/json' },
    });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery/);

    for (const contentType of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const simple = await post(JSON.stringify({ query: '{ reviewCount }' }), {
        'content-type': contentType,
      });
      expect(simple.status, contentType).toBe(400);
      expect(simple.text).toMatch(/Cross-Site Request Forgery/);
    }
    const missing = await fetch(h.url, {
      method: 'POST',
      body: new Uint8Array(Buffer.from('{"query":"{ reviewCount }"}')),
    });
    expect(missing.status).toBe(400);

    const preflighted = await fetch(`${h.url}?query=${encodeURIComponent('{ reviewCount }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { reviewCount: 7 } });
  });

  it('refuses batched operations', async () => {
    const result = await post(JSON.stringify([{ query: '{ reviewCount }' }, { query: '{ reviewCount }' }]));
    expect(result.status).toBe(400);
    expect(result.text).toMatch(/batching/i);
  });

  it('answers unknown persisted query ids with PERSISTED_QUERY_NOT_FOUND and a wrong hash with 400 (trusted documents)', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } };
    const hashOnly = await post(JSON.stringify({ extensions }));
    expect(hashOnly.status).toBe(400);
    expect(hashOnly.json().errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const withQuery = await post(JSON.stringify({ query: '{ reviewCount }', extensions }));
    expect(withQuery.status).toBe(400);
    expect(withQuery.json().errors?.[0]?.message).toMatch(/provided sha does not match query/);
  });

  it('includes stack traces outside production', async () => {
    const result = await h.graphql('{ nope }');
    expect(result.body.errors?.[0]?.extensions?.['stacktrace']).toBeDefined();
  });
});

describe('CORS', () => {
  it('answers preflights and sets CORS headers only for configured origins', async () => {
    const preflight = await fetch(h.url, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

    const allowed = await h.graphql('{ reviewCount }', { headers: { origin: 'http://localhost:5173' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const other = await h.graphql('{ reviewCount }', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('GraphiQL', () => {
  it('serves the page and every asset from this host, with no external URL', async () => {
    const page = await fetch(h.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toEqual([
      '/graphiql/graphiql.min.css',
      '/graphiql/react.production.min.js',
      '/graphiql/react-dom.production.min.js',
      '/graphiql/graphiql.min.js',
      '/graphiql/init.js',
    ]);
    for (const asset of assets) {
      const response = await fetch(new URL(asset, h.url));
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toMatch(
        asset.endsWith('.css') ? /^text\/css/ : /javascript/,
      );
      const body = await response.text();
      expect(body.length, asset).toBeGreaterThan(100);
      // no script or stylesheet pulled from elsewhere at runtime
      expect(body, asset).not.toMatch(/(?:import\(|@import\s+|src=)["']?https?:\/\//);
    }
    expect(await (await fetch(new URL('/graphiql/init.js', h.url))).text()).toContain(
      'GraphiQL.createFetcher',
    );
  });

  it('still answers JSON clients on GET /graphql', async () => {
    const response = await fetch(`${h.url}?query=${encodeURIComponent('{ reviewCount }')}`, {
      headers: { accept: 'application/graphql-response+json', 'apollo-require-preflight': 'true' },
    });
    expect(response.headers.get('content-type')).toBe('application/graphql-response+json; charset=utf-8');
    expect(await response.json()).toEqual({ data: { reviewCount: 7 } });
  });
});

describe('GraphQL over HTTP (graphql-http audit)', () => {
  it('passes every MUST and SHOULD', async () => {
    const results = await auditServer({ url: h.url });
    const failures = results
      .filter((r) => !r.name.startsWith('MAY') && r.status !== 'ok')
      .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    // CSRF prevention refuses GETs without a preflight header, so the optional GET forms stay notices.
    const notOk = results.filter((r) => r.status !== 'ok');
    expect(notOk.every((r) => r.name.startsWith('MAY') && r.name.includes('GET'))).toBe(true);
    expect(failures).toEqual([]);
  });
});

describe('health, readiness and metrics', () => {
  it('exposes Prometheus metrics including the edge counters', async () => {
    await h.graphql('{ courses(first: 101) { edges { cursor } } }');
    const response = await fetch(new URL('/metrics', h.url));
    const text = await response.text();
    expect(text).toContain('graphql_operations_total');
    expect(text).toMatch(/gateway_request_errors_total\{code="BAD_USER_INPUT",service="gateway"\} \d+/);
    expect(text).toContain('gateway_operation_cost_bucket');
  });

  it('is healthy, ready while every subgraph and Redis answer, and not ready when a subgraph is down', async () => {
    expect((await fetch(new URL('/health', h.url))).status).toBe(200);
    const ready = await fetch(new URL('/ready', h.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      redis: 'ok',
      subgraphs: { catalog: 'ok', reviews: 'ok' },
    });

    await h.reviews.stop();
    const notReady = await fetch(new URL('/ready', h.url));
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'not ready',
      subgraphs: { catalog: 'ok', reviews: 'down' },
    });
  });
});
