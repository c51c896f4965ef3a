import 'reflect-metadata';
import { createLogger, stopOnSignals } from '@edugraph/kit';
import { subgraph } from './app.js';
import { processEnvironment, readCommunityConfig } from './environment.js';

/** Standalone: `node subgraphs/community/dist/main.js` — migrates, then serves until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const env = processEnvironment();
  const config = readCommunityConfig(env);
  const logger = createLogger({ name: 'community', production: config.nodeEnv === 'production' });
  await subgraph.migrate(config.databaseUrl);
  const running = await subgraph.start(env);
  stopOnSignals(running.stop, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `community failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
