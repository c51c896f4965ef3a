import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readGatewayConfig, startGateway } from './app.js';
import { REDIS_URL, startHarness, type Harness } from './testing/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

describe('gateway over a static supergraph', () => {
  it('plans a query across both subgraphs, using the overridden subgraph URLs', async () => {
    const result = await h.graphql(
      '{ course(id: "c1") { id title reviews(first: 2) { edges { node { id body } } } } reviewCount }',
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({
      course: {
        id: 'c1',
        title: 'Course c1',
        reviews: {
          edges: [{ node: { id: 'c1-r0', body: 'Great' } }, { node: { id: 'c1-r1', body: 'Great' } }],
        },
      },
      reviewCount: 7,
    });
  });

  it('fails the query, not the gateway, when the supergraph URL is used without an override', async () => {
    const config = readGatewayConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      REDIS_URL,
      RATE_LIMIT_PREFIX: `test:gateway:${randomUUID()}`,
      METRICS_PROCESS: 'false',
    });
    const gateway = await startGateway(config, { supergraphSdl: h.supergraphSdl });
    try {
      expect(gateway.url).toBe(`http://127.0.0.1:${gateway.port}/graphql`);
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ reviewCount }' }),
      });
      const body = (await response.json()) as { data: unknown; errors?: { extensions: { code: string } }[] };
      expect(body.data).toBeNull(); // the harness supergraph points at port 9 (Int! → null data)
      expect(body.errors?.[0]?.extensions.code).toBe('INTERNAL_SERVER_ERROR');

      await expect(
        startGateway({ ...config, port: gateway.port }, { supergraphSdl: h.supergraphSdl }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await gateway.stop();
    }
  });

  it('refuses to start without a readable supergraph', async () => {
    const config = readGatewayConfig({ SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql', REDIS_URL });
    await expect(startGateway(config)).rejects.toThrow(/npm run compose/);
  });
});
