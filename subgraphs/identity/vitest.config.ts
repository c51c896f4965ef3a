import { defineConfig, mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared.js';

// type-graphql needs the Reflect metadata polyfill before any decorated class loads.
export default mergeConfig(sharedConfig, defineConfig({ test: { setupFiles: ['reflect-metadata'] } }));
