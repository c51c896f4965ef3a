export * from './compose.js';
export * from './platform.js';
export * from './progress.js';
export * from './registry.js';
export * from './services/embedded-postgres.js';
export * from './services/local-redis.js';
export * from './demo-content.js';
