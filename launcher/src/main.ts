import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readLauncherConfig } from './environment.js';
import { repoRoot } from './paths.js';
import { startPlatform } from './platform.js';
import { createProgress } from './progress.js';
import { subgraphDefinitions } from './registry.js';
import { startEmbeddedPostgres } from './services/embedded-postgres.js';
import { startLocalRedis } from './services/local-redis.js';
import { seedDemoContent } from './demo-content.js';

/** `npm start`: the whole platform in one process, with demo data. Ctrl-C stops everything. */
async function main(): Promise<void> {
  const config = readLauncherConfig();
  const progress = createProgress();
  const cleanups: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) {
      process.stdout.write('Forced exit.\n');
      process.exit(1);
    }
    stopping = true;
    process.stdout.write('\nStopping Edugraph…\n');
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => process.stderr.write(`  ${String(error)}\n`));
    }
    process.stdout.write('Stopped.\n');
    process.exit(code);
  };
  // `on`, not `once`: with no listener left, a dependency's signal-exit hook re-raises the signal and
  // kills the process mid-shutdown. A second Ctrl-C forces the exit.
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  process.stdout.write('Starting Edugraph\n');
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      progress.step(
        `embedded PostgreSQL on port ${config.embeddedPostgresPort} (data in ${path.relative(repoRoot, config.dataDir)}/postgres)`,
      );
      const postgres = await startEmbeddedPostgres({
        dataDir: path.join(config.dataDir, 'postgres'),
        port: config.embeddedPostgresPort,
        database: 'edugraph',
        log: (line) => progress.step(line),
      });
      cleanups.push(postgres.stop);
      databaseUrl = postgres.url;
    }
    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      progress.step(`local redis-server on port ${config.localRedisPort}`);
      const redis = await startLocalRedis({
        dataDir: path.join(config.dataDir, 'redis'),
        port: config.localRedisPort,
      });
      cleanups.push(redis.stop);
      redisUrl = redis.url;
    }
    const supergraphSdl = await readFile(path.join(repoRoot, 'schema', 'supergraph.graphql'), 'utf8');
    const platform = await startPlatform({
      env: config.env,
      databaseUrl,
      redisUrl,
      definitions: subgraphDefinitions,
      gatewayPort: config.gatewayPort,
      seed: config.seed,
      supergraphSdl,
      progress,
    });
    cleanups.push(platform.stop);
    if (config.seed) {
      progress.step('demo content through the gateway');
      await seedDemoContent(platform.gatewayUrl, progress, platform.internalApiToken);
    }
    progress.done('Edugraph is running');
    const gateway = new URL(platform.gatewayUrl);
    const host = `http://localhost:${gateway.port}`;
    process.stdout.write(
      [
        '',
        `  Web app            ${host}/`,
        `  GraphQL API        ${host}/graphql`,
        `  GraphiQL explorer  ${host}/graphql   (open in a browser)`,
        `  JWKS               ${host}/.well-known/jwks.json`,
        `  Health / metrics   ${host}/health  ${host}/metrics`,
        ...platform.subgraphs.map((s) => `  subgraph ${s.name.padEnd(10)}${s.url}`),
        '',
        '  Demo users (password edugraph-demo-2026): learner@edugraph.dev, instructor@edugraph.dev, admin@edugraph.dev',
        '  Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  } catch (error) {
    process.stderr.write(
      `\nEdugraph failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    await shutdown(1);
  }
}

void main();
