import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasWebApp, WEB_APP_CSP, webAppRouter } from './web-app.js';

let dir: string;
let server: http.Server;
let base: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'edugraph-web-app-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(path.join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
  await writeFile(path.join(dir, 'favicon.svg'), '<svg/>');
  const app = express();
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(webAppRouter(dir));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml' };

describe('web app at /', () => {
  it('knows whether a directory holds a build', async () => {
    expect(hasWebApp(dir)).toBe(true);
    expect(hasWebApp(path.join(dir, 'assets'))).toBe(false);
    expect(hasWebApp(null)).toBe(false);
  });

  it('serves index.html at / without caching, with a strict CSP', async () => {
    const response = await fetch(`${base}/`, { headers: html });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>app</title>');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('content-security-policy')).toBe(WEB_APP_CSP);
    expect(WEB_APP_CSP).toContain("script-src 'self'");
    expect(WEB_APP_CSP).toContain("frame-ancestors 'none'");
  });

  it('falls back to index.html for client-side routes, but not for files, JSON or API paths', async () => {
    const route = await fetch(`${base}/courses/graphql-basics`, { headers: html });
    expect(route.status).toBe(200);
    expect(route.headers.get('cache-control')).toBe('no-cache');
    expect(await route.text()).toContain('<title>app</title>');
    expect((await fetch(`${base}/missing.png`, { headers: html })).status).toBe(404);
    expect((await fetch(`${base}/courses`, { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await fetch(`${base}/graphql/anything`, { headers: html })).status).toBe(404);
    expect((await fetch(`${base}/auth/refresh`, { headers: html })).status).toBe(404);
    expect(await (await fetch(`${base}/health`, { headers: html })).json()).toEqual({ status: 'ok' });
  });

  it('caches hashed assets for a year (immutable) and other files for an hour; a missing asset is a 404', async () => {
    const asset = await fetch(`${base}/assets/main-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
    const favicon = await fetch(`${base}/favicon.svg`);
    expect(favicon.headers.get('cache-control')).toBe('public, max-age=3600');
    expect((await fetch(`${base}/assets/gone-000.js`, { headers: html })).status).toBe(404);
  });
});
