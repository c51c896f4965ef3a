import { randomBytes } from 'node:crypto';
import type { EnvRecord, RunningSubgraph, SubgraphDefinition } from '@edugraph/kit';
import { readGatewayConfig, startGateway } from '@edugraph/gateway';
import { MEDIA_VIEW_RULE_PATH } from '@edugraph/learning';
import { composeSupergraph } from './compose.js';
import type { Progress } from './progress.js';
import { assertSellerRulesBeforeCommerce, sellerRuleEntries } from './seller-rules.js';

export type PlatformOptions = {
  /** Base environment handed to every subgraph and the gateway (NODE_ENV, LOG_LEVEL, secrets…). */
  env: EnvRecord;
  databaseUrl: string;
  redisUrl: string;
  definitions: readonly SubgraphDefinition[];
  /** Gateway port; 0 picks a free one. Subgraphs use their default ports unless `randomPorts`. */
  gatewayPort: number;
  randomPorts?: boolean;
  seed: boolean;
  /** Static supergraph; composed from the definitions when absent. */
  supergraphSdl?: string;
  progress?: Progress;
};

export type RunningPlatform = {
  gatewayUrl: string;
  gatewayPort: number;
  subgraphs: RunningSubgraph[];
  internalApiToken: string;
  /** What another instance needs to join this platform (multi-instance tests and benchmarks). */
  subgraphEnv: EnvRecord;
  gatewayEnv: EnvRecord;
  supergraphSdl: string;
  stop: () => Promise<void>;
};

const silent: Progress = { step: () => undefined, count: () => undefined, done: () => undefined };

/**
 * Migrates, optionally seeds, and starts every subgraph and the gateway in this process.
 * Used by `npm start` (embedded) and by the end-to-end tests.
 */
export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const progress = options.progress ?? silent;
  const internalApiToken = options.env['INTERNAL_API_TOKEN'] ?? randomBytes(32).toString('base64url');
  const baseEnv: EnvRecord = {
    ...options.env,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    INTERNAL_API_TOKEN: internalApiToken,
  };

  assertSellerRulesBeforeCommerce(options.definitions.map((d) => d.name));
  for (const definition of options.definitions) {
    progress.step(`migrating ${definition.name}`);
    const applied = await definition.migrate(options.databaseUrl);
    if (applied.length > 0) progress.step(`  applied ${applied.length} migration(s): ${applied.join(', ')}`);
  }
  if (options.seed) {
    for (const definition of options.definitions) {
      if (!definition.seed) continue;
      progress.step(`seeding ${definition.name}`);
      await definition.seed(baseEnv, (message, done, total) =>
        done !== undefined && total !== undefined
          ? progress.count(message, done, total)
          : progress.step(`  ${message}`),
      );
    }
  }

  const running: RunningSubgraph[] = [];
  const stopAll = async () => {
    for (const subgraph of [...running].reverse()) await subgraph.stop();
  };
  try {
    let jwksUrl = baseEnv['JWKS_URL'];
    // Media asks learning whether a viewer may see a RESTRICTED lesson asset (learning starts before media).
    let mediaViewRules = baseEnv['MEDIA_VIEW_RULES'];
    // Commerce asks the owning subgraphs who may sell a course, an ebook, … (they start before commerce).
    const sellerRules: string[] = [];
    for (const definition of options.definitions) {
      progress.step(`starting ${definition.name}`);
      const subgraph = await definition.start({
        ...baseEnv,
        PORT: String(options.randomPorts ? 0 : definition.defaultPort),
        ...(jwksUrl ? { JWKS_URL: jwksUrl } : {}),
        ...(mediaViewRules ? { MEDIA_VIEW_RULES: mediaViewRules } : {}),
        ...(baseEnv['COMMERCE_SELLER_RULES'] === undefined && sellerRules.length > 0
          ? { COMMERCE_SELLER_RULES: sellerRules.join(',') }
          : {}),
      });
      running.push(subgraph);
      if (definition.name === 'identity')
        jwksUrl = new URL('/.well-known/jwks.json', subgraph.url).toString();
      if (definition.name === 'learning' && mediaViewRules === undefined)
        mediaViewRules = `learning=${new URL(MEDIA_VIEW_RULE_PATH, subgraph.url).toString()}`;
      sellerRules.push(...sellerRuleEntries(definition.name, subgraph.url));
    }
    const identity = running.find((s) => s.name === 'identity');
    const supergraphSdl =
      options.supergraphSdl ?? (await composeSupergraph(options.definitions)).supergraphSdl;
    const subgraphUrls = Object.fromEntries(
      running.map((s) => [`SUBGRAPH_URL_${s.name.toUpperCase()}`, s.url]),
    );
    progress.step('starting gateway');
    const subgraphEnv: EnvRecord = { ...baseEnv, ...(jwksUrl ? { JWKS_URL: jwksUrl } : {}) };
    const gatewayEnv: EnvRecord = {
      ...subgraphEnv,
      ...subgraphUrls,
      PORT: String(options.gatewayPort),
      ...(identity ? { IDENTITY_URL: new URL('/', identity.url).toString() } : {}),
    };
    const gateway = await startGateway(readGatewayConfig(gatewayEnv), { supergraphSdl });
    return {
      gatewayUrl: gateway.url,
      gatewayPort: gateway.port,
      subgraphs: running,
      internalApiToken,
      subgraphEnv,
      gatewayEnv,
      supergraphSdl,
      stop: async () => {
        await gateway.stop();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
