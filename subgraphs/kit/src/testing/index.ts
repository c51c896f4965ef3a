export * from './query-counter.js';
export * from './test-database.js';
export * from './entity-factory.js';
export * from './migrated-database.js';
