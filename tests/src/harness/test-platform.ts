import { createTestDatabase } from '@edugraph/kit/testing';
import { startPlatform, subgraphDefinitions, type RunningPlatform } from '@edugraph/launcher';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { leaseRedisDatabase } from './redis-lease.js';

export type TestPlatform = RunningPlatform & {
  databaseUrl: string;
  mailOutboxDir: string;
  graphql: <T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ) => Promise<GraphqlResult<T>>;
  close: () => Promise<void>;
};

export type GraphqlResult<T> = {
  status: number;
  data: T | null;
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[];
};

/** A port free right now on 127.0.0.1 (the gateway's, chosen before the subgraphs start). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The whole platform for one e2e test file: a fresh PostgreSQL database, an exclusive, empty Redis
 * logical database (leased, see `leaseRedisDatabase`), every subgraph on a free port, and the gateway in front.
 */
export async function startTestPlatform(
  env: Record<string, string> = {},
  options: { seed?: boolean } = {},
): Promise<TestPlatform> {
  const database = await createTestDatabase('edugraph_e2e');
  const redis = await leaseRedisDatabase();
  const redisUrl = redis.url;
  const mailOutboxDir = await mkdtemp(path.join(os.tmpdir(), 'edugraph-mail-'));
  // Media's signed URLs point at the gateway, which proxies them (same origin as the web app it serves).
  const gatewayPort = env['MEDIA_PUBLIC_URL'] ? 0 : await freePort();
  const platform = await startPlatform({
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      MAIL_OUTBOX_DIR: mailOutboxDir,
      PASSWORD_HASH_MEMORY_KIB: '1024',
      PASSWORD_HASH_TIME_COST: '1',
      ...(gatewayPort ? { MEDIA_PUBLIC_URL: `http://127.0.0.1:${gatewayPort}/` } : {}),
      ...env,
    },
    databaseUrl: database.url,
    redisUrl,
    definitions: subgraphDefinitions,
    gatewayPort,
    randomPorts: true,
    seed: options.seed ?? false,
  }).catch(async (error: unknown) => {
    await redis.release();
    await database.drop();
    throw error;
  });
  const graphql: TestPlatform['graphql'] = async (query, variables, headers) => {
    const response = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json',
        // Test set-up is first-party tooling: its free-form documents run under trusted documents too.
        'x-internal-token': platform.internalApiToken,
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: unknown; errors?: GraphqlResult<never>['errors'] };
    return {
      status: response.status,
      data: (body.data ?? null) as never,
      ...(body.errors ? { errors: body.errors } : {}),
    };
  };
  return {
    ...platform,
    databaseUrl: database.url,
    mailOutboxDir,
    graphql,
    close: async () => {
      await platform.stop();
      await redis.release();
      await database.drop();
      await rm(mailOutboxDir, { recursive: true, force: true });
    },
  };
}

export type SignedUp = { accessToken: string; user: { id: string } };

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** A new account through the gateway's `signUp` (throws on errors). */
export async function signUp(
  platform: Pick<TestPlatform, 'graphql'>,
  email: string,
  displayName: string,
): Promise<SignedUp> {
  const result = await platform.graphql<{ signUp: SignedUp }>(
    'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken user { id } } }',
    { input: { email, password: 'a perfectly fine passphrase', displayName } },
  );
  if (!result.data) throw new Error(`signUp failed: ${JSON.stringify(result.errors)}`);
  return result.data.signUp;
}
