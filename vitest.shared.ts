import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Shared Vitest settings. graphql 16 ships both index.mjs and index.js; Node (and every library we use)
 * loads the CommonJS build, so tests must too or "another module or realm" errors follow.
 */
export const sharedConfig = defineConfig({
  resolve: {
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: ['src/**/*.spec.ts', 'src/**/*.integration-spec.ts', 'test/**/*.integration-spec.ts', 'e2e/**/*.e2e-spec.ts'],
  },
});
