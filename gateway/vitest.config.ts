import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../vitest.shared.js';

// @edugraph/kit declares type-graphql classes at import time, which needs the metadata polyfill first
// (app.ts and main.ts import it themselves; unit tests may import kit-using modules directly).
export default mergeConfig(sharedConfig, { test: { setupFiles: ['reflect-metadata'] } });
