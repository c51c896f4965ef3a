import 'reflect-metadata';
import { stopOnSignals } from '@edugraph/kit';
import { processEnv, readIdentityConfig } from './environment.js';
import { createIdentityLogger, startIdentity } from './identity.runtime.js';
import { subgraph } from './app.js';

const config = readIdentityConfig(processEnv());
const logger = createIdentityLogger(config);
await subgraph.migrate(config.databaseUrl);
const running = await startIdentity({ config, logger, defaultMetrics: true });
stopOnSignals(running.stop, logger);
