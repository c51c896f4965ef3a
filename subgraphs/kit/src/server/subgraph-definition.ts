import type { BuiltSubgraphSchema } from '../schema/build-subgraph-schema.js';
import type { EnvRecord } from '../env/env.js';
import type { RunningSubgraph } from './subgraph-server.js';

export type ProgressReporter = (message: string, done?: number, total?: number) => void;

/**
 * What each subgraph package exports as `subgraph` from its `app.ts`, so the embedded platform,
 * composition and tests can drive every subgraph the same way.
 */
export type SubgraphDefinition = {
  name: string;
  /** Its own Postgres schema. */
  schemaName: string;
  defaultPort: number;
  buildSchema: () => Promise<BuiltSubgraphSchema>;
  /** Applies pending migrations; returns the names applied. */
  migrate: (databaseUrl: string) => Promise<string[]>;
  /** Idempotent demo data for `npm start`. */
  seed?: (env: EnvRecord, progress: ProgressReporter) => Promise<void>;
  start: (env: EnvRecord) => Promise<RunningSubgraph>;
};
