import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Shared Vitest settings.
 * - graphql 16 ships both index.mjs and index.js; Node (and every library we use) loads the CommonJS
 *   build, so tests must too or "another module or realm" errors follow.
 * - Workspace packages resolve to their TypeScript sources, so tests never run against a stale build
 *   and type-graphql's global metadata sees each class once.
 */
export const sharedConfig = defineConfig({
  resolve: {
    alias: [
      { find: /^graphql$/, replacement: require.resolve('graphql') },
      { find: /^@edugraph\/kit\/testing$/, replacement: `${root}subgraphs/kit/src/testing/index.ts` },
      { find: /^@edugraph\/kit$/, replacement: `${root}subgraphs/kit/src/index.ts` },
      { find: /^@edugraph\/migrations\/([a-z-]+)$/, replacement: `${root}migrations/$1/index.ts` },
      { find: /^@edugraph\/gateway$/, replacement: `${root}gateway/src/app.ts` },
      { find: /^@edugraph\/launcher$/, replacement: `${root}launcher/src/index.ts` },
      { find: /^@edugraph\/([a-z-]+)$/, replacement: `${root}subgraphs/$1/src/app.ts` },
    ],
  },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    include: [
      'src/**/*.spec.ts',
      'src/**/*.integration-spec.ts',
      'test/**/*.integration-spec.ts',
      'e2e/**/*.e2e-spec.ts',
    ],
  },
});
