import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../harness/test-platform.js';

const require = createRequire(import.meta.url);

/** The repository root (this file lives in tests/src/web or tests/dist/src/web). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const root = repoRoot.endsWith(`${path.sep}tests`) ? path.dirname(repoRoot) : repoRoot;

/** Screenshots and other browser artifacts of the web e2e tests (gitignored under .data/). */
export const WEB_ARTIFACTS_DIR = path.join(root, '.data', 'test-artifacts', 'web');

/**
 * Debian's `chromium` (never a downloaded browser build): `.ci/run` installs it. Throws with the install
 * command when it is missing, so the suite fails loudly instead of skipping.
 */
export function chromiumPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error('chromium is not installed: apt-get update && apt-get install -y chromium');
  return found;
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Builds the web app (production mode) into `outDir`, from the current sources. */
export function buildWebClient(outDir: string): void {
  const result = spawnSync(
    process.execPath,
    [
      path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js'),
      'build',
      '--outDir',
      outDir,
      '--emptyOutDir',
      '--logLevel',
      'warn',
    ],
    { cwd: path.join(root, 'web-client'), encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`web-client build failed:\n${result.stdout}\n${result.stderr}`);
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

let axeSource: string | null = null;

/**
 * Runs axe-core in the page (its source evaluated through the DevTools protocol, which the page's CSP does
 * not govern) and returns the serious and critical violations, as readable strings.
 */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  axeSource ??= await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  // A string, evaluated in the page (this package is typed for Node, not the DOM).
  const violations = await page.evaluate<AxeViolation[]>(`(async () => {
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target.map(String) })),
    }));
  })()`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(WEB_ARTIFACTS_DIR, { recursive: true });
  const file = path.join(WEB_ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The whole platform with the gateway serving a fresh production build of the web app at its origin. */
export type WebPlatform = { platform: TestPlatform; origin: string; close: () => Promise<void> };

/**
 * Builds the web app and starts the platform that serves it, with trusted documents required as in production
 * (the real app proves every operation it sends is in the manifest). `close` stops it and removes the build.
 */
export async function startWebPlatform(name: string, env: Record<string, string> = {}): Promise<WebPlatform> {
  const webDir = await mkdtemp(path.join(os.tmpdir(), `edugraph-web-${name}-`));
  try {
    buildWebClient(webDir);
    const platform = await startTestPlatform({
      WEB_CLIENT_DIR: webDir,
      GATEWAY_TRUSTED_DOCUMENTS: 'require',
      ...env,
    });
    return {
      platform,
      origin: new URL(platform.gatewayUrl).origin,
      close: async () => {
        await platform.close();
        await rm(webDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(webDir, { recursive: true, force: true });
    throw error;
  }
}

/** Fails with the serious and critical axe violations of the page, named after `what`. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await seriousA11yViolations(page), what).toEqual([]);
}

/** Resolves once the page has sent a graphql-ws `subscribe` naming `field` (so the server will deliver its events). */
export function subscribed(page: Page, field: string): Promise<void> {
  return new Promise((resolve) => {
    page.on('websocket', (ws) => {
      ws.on('framesent', (frame) => {
        const text = typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8');
        if (text.includes('"subscribe"') && text.includes(field)) resolve();
      });
    });
  });
}
