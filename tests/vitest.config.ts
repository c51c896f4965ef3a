import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../vitest.shared.js';

export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { include: ['e2e/**/*.e2e-spec.ts', 'src/**/*.spec.ts'] } }),
);
