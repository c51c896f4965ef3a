import { createDataSource, migrate, type DataSourceOptions } from '../data/data-source.factory.js';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export type MigratedTestDatabase = {
  db: TestDatabase;
  /** Initialised, without entities: tests speak SQL to the tables the migrations made. */
  dataSource: DataSource;
  /** The schema's table names, sorted (the `migrations` table included). */
  tables: () => Promise<string[]>;
  /** Reverts every migration, newest first, each in its own transaction. */
  revertAll: () => Promise<void>;
  /** Applies every pending migration again. */
  reapply: () => Promise<void>;
  close: () => Promise<void>;
};

/**
 * A fresh database with a subgraph's migrations applied, for the `migrations/<domain>` round-trip
 * specs (up, constraints, down to an empty schema, up again).
 */
export async function createMigratedTestDatabase(options: {
  schema: string;
  migrations: DataSourceOptions['migrations'];
  /** Database name prefix (default `<schema>_migrations`). */
  prefix?: string;
}): Promise<MigratedTestDatabase> {
  const { schema } = options;
  const db = await createTestDatabase(options.prefix ?? `${schema}_migrations`);
  const dataSource = createDataSource({ url: db.url, schema, entities: [], migrations: options.migrations });
  try {
    await migrate(dataSource, schema);
    await dataSource.initialize();
  } catch (error) {
    await db.drop();
    throw error;
  }
  return {
    db,
    dataSource,
    tables: async () => {
      const rows: { tablename: string }[] = await dataSource.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename`,
        [schema],
      );
      return rows.map((r) => r.tablename);
    },
    revertAll: async () => {
      for (let i = 0; i < dataSource.migrations.length; i += 1)
        await dataSource.undoLastMigration({ transaction: 'each' });
    },
    reapply: async () => {
      await dataSource.runMigrations({ transaction: 'each' });
    },
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}
