import { sharedConfig } from '../vitest.shared.js';
import { defineConfig, mergeConfig } from 'vitest/config';

export default mergeConfig(
  sharedConfig,
  defineConfig({ test: { include: ['**/*.integration-spec.ts'], exclude: ['node_modules/**', 'dist/**'] } }),
);
