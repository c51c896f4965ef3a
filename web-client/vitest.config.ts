import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * Unit and component tests. React 19 lives in this package's node_modules while the repository root holds
 * React 18 (the gateway's GraphiQL page): dedupe to this package's copy, and let Vite process the libraries that
 * import React so they get the same one.
 */
export default defineConfig({
  plugins: [react()],
  resolve: { dedupe: ['react', 'react-dom'] },
  test: {
    name: '@edugraph/web-client',
    environment: 'node',
    include: ['src/**/*.spec.ts', 'src/**/*.spec.tsx', 'scripts/**/*.spec.ts'],
    server: { deps: { inline: [/@apollo\/client/, /react-router/, /@wry\//, /optimism/] } },
    testTimeout: 30_000,
  },
});
