import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

export type DataSourceOptions = {
  url: string;
  /** The subgraph's own Postgres schema (e.g. `identity`). */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
  logger?: TypeOrmLogger;
};

/**
 * One DataSource per subgraph: its own schema, its own `<schema>.migrations` table, synchronize off,
 * snake_case names, a small pool (the embedded platform runs every subgraph against one server).
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    applicationName: options.applicationName ?? `edugraph-${options.schema}`,
    extra: { max: options.poolSize ?? 5, idleTimeoutMillis: 30_000 },
    ...(options.logger
      ? { logger: options.logger, logging: ['query', 'error'] as const }
      : { logging: ['error'] as const }),
  });
}

/** Creates the subgraph's schema if needed and applies pending migrations. Returns the names applied. */
export async function migrate(dataSource: DataSource, schema: string): Promise<string[]> {
  const initialized = dataSource.isInitialized;
  if (!initialized) await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    if (!initialized) await dataSource.destroy();
  }
}
