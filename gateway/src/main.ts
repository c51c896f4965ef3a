import 'reflect-metadata';
import { createLogger, stopOnSignals } from '@edugraph/kit';
import { startGateway } from './app.js';
import { processEnv, readGatewayConfig } from './environment.js';

const config = readGatewayConfig(processEnv());
const logger = createLogger({
  name: 'gateway',
  level: config.logLevel ?? 'info',
  production: config.production,
});
const gateway = await startGateway(config, { logger });
logger.info({ url: gateway.url }, 'gateway listening');
stopOnSignals(gateway.stop, logger);
