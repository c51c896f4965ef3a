import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The gateway serves `dist/` at `/` (same origin as `/graphql`). `npm run dev` proxies the API to a
 * running platform (`npm start`, port 4000) so the dev server is same-origin too.
 */
export default defineConfig({
  plugins: [react()],
  // The repository root also holds React 18 (the gateway's GraphiQL page): always bundle this package's React 19.
  resolve: { dedupe: ['react', 'react-dom'] },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: true,
    target: 'es2022',
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: their own long-cached chunks.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router)[\\/]/ },
            {
              name: 'apollo',
              test: /node_modules[\\/](@apollo|graphql|graphql-ws|rxjs|@wry|optimism|tslib)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: 'http://localhost:4000', ws: true },
      '/auth': { target: 'http://localhost:4000' },
      // media's signed upload/download URLs (start the platform with MEDIA_PUBLIC_URL=http://localhost:5173/)
      '/media/objects': { target: 'http://localhost:4000' },
    },
  },
});
