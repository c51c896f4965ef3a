import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const own = (name: string) => fileURLToPath(new URL(`./node_modules/${name}`, import.meta.url));
const require = createRequire(import.meta.url);
// React Router's Node entry is CommonJS (its `require('react')` would find the root's React 18): use its ESM build.
const reactRouterEsm = path.join(
  path.dirname(require.resolve('react-router/package.json')),
  'dist/development/index.mjs',
);

/**
 * Unit and component tests. React 19 lives in this package's node_modules while the repository root holds
 * React 18 (the gateway's GraphiQL page): dedupe to this package's copy, and let Vite process the libraries that
 * import React so they get the same one.
 */
export default defineConfig({
  plugins: [react()],
  resolve: {
    dedupe: ['react', 'react-dom'],
    alias: [
      { find: /^react$/, replacement: own('react') },
      { find: /^react\/(.*)$/, replacement: `${own('react')}/$1` },
      { find: /^react-dom$/, replacement: own('react-dom') },
      { find: /^react-dom\/(.*)$/, replacement: `${own('react-dom')}/$1` },
      { find: /^react-router$/, replacement: reactRouterEsm },
    ],
  },
  test: {
    name: '@edugraph/web-client',
    environment: 'node',
    include: ['src/**/*.spec.ts', 'src/**/*.spec.tsx', 'scripts/**/*.spec.ts'],
    server: { deps: { inline: [/@apollo\/client/, /react-router/, /@wry\//, /optimism/] } },
    testTimeout: 30_000,
  },
});
