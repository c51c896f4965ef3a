import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { composeSupergraph, subgraphDefinitions } from '@edugraph/launcher';
import { startBenchPlatform } from './bench-platform.js';
import { runLoad, type LoadResult } from './load.js';

export type GatewayBenchOptions = {
  durationSeconds: number;
  connections: number;
  log: (line: string) => void;
};

export type GatewayBenchRow = { target: string; query: string; result: LoadResult };

const VIEWER_QUERY = 'query Viewer { viewer { id displayName roles } }';
const PUBLIC_CONFIG_QUERY = 'query PublicConfig { publicConfig { key value } }';

/**
 * Same operations, same data, one run: our gateway vs. a plain ApolloGateway with default settings
 * vs. straight to the owning subgraph.
 */
export async function benchGateway(options: GatewayBenchOptions): Promise<GatewayBenchRow[]> {
  const bench = await startBenchPlatform({});
  const { platform } = bench;
  const { supergraphSdl } = await composeSupergraph(subgraphDefinitions);
  const urls = new Map(platform.subgraphs.map((s) => [s.name, s.url]));
  const plain = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl,
      buildService: ({ name }) =>
        new RemoteGraphQLDataSource({
          url: urls.get(name) ?? '',
          willSendRequest({ request, context }) {
            const auth = (context as { auth?: string }).auth;
            if (auth) request.http?.headers.set('authorization', auth);
          },
        }),
    }),
  });
  const { url: plainUrl } = await startStandaloneServer(plain, {
    listen: { port: 0 },
    context: async ({ req }) => ({ auth: req.headers.authorization }),
  });

  try {
    const signUp = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: SignUpInput!) { signUp(input: $input) { accessToken } }',
        variables: {
          input: { email: 'bench@edugraph.dev', password: 'bench-password-2026', displayName: 'Bench' },
        },
      }),
    });
    const signUpBody = (await signUp.json()) as {
      data?: { signUp: { accessToken: string } };
      errors?: unknown;
    };
    const token = signUpBody.data?.signUp.accessToken;
    if (!token) throw new Error(`bench sign-up failed: ${JSON.stringify(signUpBody.errors)}`);
    const auth = { authorization: `Bearer ${token}` };

    const cases: { query: string; body: string; headers: Record<string, string>; owner: string }[] = [
      {
        query: 'viewer (identity, authenticated)',
        body: JSON.stringify({ query: VIEWER_QUERY }),
        headers: auth,
        owner: 'identity',
      },
      {
        query: 'publicConfig (platform, anonymous)',
        body: JSON.stringify({ query: PUBLIC_CONFIG_QUERY }),
        headers: {},
        owner: 'platform',
      },
    ];
    const rows: GatewayBenchRow[] = [];
    for (const c of cases) {
      const targets: [string, string][] = [
        ['edugraph gateway', platform.gatewayUrl],
        ['plain ApolloGateway', plainUrl],
        [`direct ${c.owner} subgraph`, urls.get(c.owner) ?? ''],
      ];
      for (const [target, url] of targets) {
        options.log(
          `  ${c.query} → ${target} (${options.durationSeconds}s, ${options.connections} connections)`,
        );
        // warm-up, then measure
        await runLoad({
          url,
          body: c.body,
          headers: c.headers,
          connections: options.connections,
          durationSeconds: 1,
        });
        const result = await runLoad({
          url,
          body: c.body,
          headers: c.headers,
          connections: options.connections,
          durationSeconds: options.durationSeconds,
        });
        rows.push({ target, query: c.query, result });
      }
    }
    return rows;
  } finally {
    await plain.stop();
    await bench.stop();
  }
}
