import { randomUUID } from 'node:crypto';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { Redis } from 'ioredis';
import { createGatewayApp, readGatewayConfig, type GatewayApp, type RunningGateway } from '../app.js';
import {
  startFakeIdentity,
  TEST_AUDIENCE,
  TEST_INTERNAL_TOKEN,
  TEST_ISSUER,
  type FakeIdentity,
} from './fake-identity.js';
import {
  buildCatalogSchema,
  buildReviewsSchema,
  startTestSubgraph,
  type TestSubgraph,
} from './test-subgraphs.js';

export const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export type GraphqlResponse = {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
  };
};

export type Harness = {
  url: string;
  identity: FakeIdentity;
  catalog: TestSubgraph;
  reviews: TestSubgraph;
  gateway: GatewayApp;
  running: RunningGateway;
  supergraphSdl: string;
  /** POST /graphql with JSON; `accept` defaults to application/graphql-response+json. */
  graphql: (
    query: string,
    options?: {
      variables?: Record<string, unknown>;
      headers?: Record<string, string>;
      operationName?: string;
    },
  ) => Promise<GraphqlResponse>;
  stop: () => Promise<void>;
};

/** Composes the two test subgraphs into a supergraph (like `npm run compose`). */
export function composeSupergraph(subgraphs: TestSubgraph[]): string {
  const result = composeServices(
    subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })),
  );
  if (result.errors?.length || !result.supergraphSdl) {
    throw new Error(`composition failed: ${(result.errors ?? []).map((e) => e.message).join('; ')}`);
  }
  return result.supergraphSdl;
}

/**
 * Fake identity + two type-graphql subgraphs + the gateway on free ports, with its own Redis key
 * prefix. The supergraph records wrong subgraph URLs on purpose: the gateway must use the overrides.
 */
export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const identity = await startFakeIdentity();
  const catalog = await startTestSubgraph('catalog', await buildCatalogSchema(), identity.jwksUrl);
  const reviews = await startTestSubgraph('reviews', await buildReviewsSchema(), identity.jwksUrl);
  const supergraphSdl = composeSupergraph([
    { ...catalog, url: 'http://127.0.0.1:9/graphql' },
    { ...reviews, url: 'http://127.0.0.1:9/graphql' },
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
    SUBGRAPH_URL_CATALOG: catalog.url,
    SUBGRAPH_URL_REVIEWS: reviews.url,
    ...env,
  });
  const gateway = await createGatewayApp(config, { supergraphSdl });
  const running = await gateway.listen();

  const graphql: Harness['graphql'] = async (query, options = {}) => {
    const response = await fetch(running.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        ...options.headers,
      },
      body: JSON.stringify({ query, variables: options.variables, operationName: options.operationName }),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as GraphqlResponse['body'],
    };
  };

  return {
    url: running.url,
    identity,
    catalog,
    reviews,
    gateway,
    running,
    supergraphSdl,
    graphql,
    stop: async () => {
      await running.stop();
      await catalog.stop();
      await reviews.stop();
      await identity.stop();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${config.rateLimits.keyPrefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
