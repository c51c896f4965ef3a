export * from './query-counter.js';
export * from './test-database.js';
export * from './entity-factory.js';
