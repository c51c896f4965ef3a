import { createDataSource } from '@edugraph/kit';
import { platformMigrations } from '@edugraph/migrations/platform';
import type { DataSource, Logger } from 'typeorm';
import { platformEntities } from './entities.js';
import { PLATFORM_SCHEMA } from './environment.js';

/** The platform's DataSource (its schema, entities and migrations); not initialised. */
export function createPlatformDataSource(
  url: string,
  options: { poolSize: number; logger?: Logger },
): DataSource {
  return createDataSource({
    url,
    schema: PLATFORM_SCHEMA,
    entities: platformEntities,
    migrations: platformMigrations,
    poolSize: options.poolSize,
    ...(options.logger ? { logger: options.logger } : {}),
  });
}
