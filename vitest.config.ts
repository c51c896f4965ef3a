import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['subgraphs/*', 'gateway', 'launcher', 'tests', 'migrations', 'web-client'],
  },
});
