import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Router } from 'express';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** Path prefix of the GraphiQL assets (all served from npm packages on this host; no CDN). */
export const GRAPHIQL_ASSET_PATH = '/graphiql';

/** File name → absolute path, resolved once at startup (fails fast when a package is missing). */
function assetFiles(): Record<string, string> {
  const graphiql = packageDir('graphiql');
  return {
    'react.production.min.js': path.join(packageDir('react'), 'umd', 'react.production.min.js'),
    'react-dom.production.min.js': path.join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    'graphiql.min.js': path.join(graphiql, 'graphiql.min.js'),
    'graphiql.min.css': path.join(graphiql, 'graphiql.min.css'),
  };
}

/** Renders GraphiQL against the same /graphql endpoint. No inline script, so the CSP can forbid it. */
const INIT_SCRIPT = `(function () {
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true, shouldPersistHeaders: false }));
})();
`;

export const GRAPHIQL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function page(): string {
  const asset = (name: string) => `${GRAPHIQL_ASSET_PATH}/${name}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Edugraph · GraphiQL</title>
    <link rel="stylesheet" href="${asset('graphiql.min.css')}" />
    <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="${asset('react.production.min.js')}"></script>
    <script src="${asset('react-dom.production.min.js')}"></script>
    <script src="${asset('graphiql.min.js')}"></script>
    <script src="${asset('init.js')}"></script>
  </body>
</html>
`;
}

/** The page, for GET /graphql when the client prefers HTML. */
export function graphiqlPage(): { html: string; csp: string } {
  return { html: page(), csp: GRAPHIQL_CSP };
}

/** GET /graphiql/<asset>: React, ReactDOM and GraphiQL from node_modules, plus the init script. */
export function graphiqlAssets(): Router {
  const files = assetFiles();
  const router = express.Router();
  router.get('/init.js', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=300');
    res.type('text/javascript').send(INIT_SCRIPT);
  });
  router.get('/:file', (req, res, next) => {
    const file = files[req.params['file'] ?? ''];
    if (!file) {
      next();
      return;
    }
    res.sendFile(file, { maxAge: '1d', headers: { 'x-content-type-options': 'nosniff' } });
  });
  return router;
}
