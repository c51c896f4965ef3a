import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from '../environment.js';
import {
  canonicalText,
  DEFAULT_MANIFEST_PATH,
  hasInternalToken,
  loadManifest,
  loadTrustedDocuments,
  readTrustedDocumentsSettings,
  sha256,
} from './trusted-documents.js';

describe('trusted documents settings', () => {
  it('default to require in production and allow otherwise, with the web app manifest', () => {
    expect(readTrustedDocumentsSettings({}, true)).toEqual({
      mode: 'require',
      manifestPath: DEFAULT_MANIFEST_PATH,
    });
    expect(readTrustedDocumentsSettings({ NODE_ENV: 'test' }, false).mode).toBe('allow');
    expect(DEFAULT_MANIFEST_PATH).toMatch(/web-client[/\\]src[/\\]generated[/\\]persisted-documents\.json$/);
    expect(readGatewayConfig({ NODE_ENV: 'production', INTERNAL_API_TOKEN: 'x' }).trustedDocuments.mode).toBe(
      'require',
    );
  });

  it('read GATEWAY_TRUSTED_DOCUMENTS and its manifest path, and refuse unknown modes', () => {
    expect(
      readTrustedDocumentsSettings(
        { GATEWAY_TRUSTED_DOCUMENTS: 'OFF', GATEWAY_TRUSTED_DOCUMENTS_MANIFEST: '/m.json' },
        true,
      ),
    ).toEqual({ mode: 'off', manifestPath: '/m.json' });
    expect(() => readTrustedDocumentsSettings({ GATEWAY_TRUSTED_DOCUMENTS: 'strict' }, false)).toThrow(
      /must be one of off, allow, require/,
    );
  });
});

describe('the manifest', () => {
  it('is canonical: operations before fragments, each by name, as the web app prints them', () => {
    const text = 'fragment B on Q { b } query Z { ...B } fragment A on Q { a }';
    expect(canonicalText(parse(text))).toBe(
      'query Z {\n  ...B\n}\n\nfragment A on Q {\n  a\n}\n\nfragment B on Q {\n  b\n}',
    );
  });

  it('the committed web app manifest loads, every id the sha256 of its body', async () => {
    const manifest = await loadManifest(DEFAULT_MANIFEST_PATH);
    expect(manifest.operations.length).toBeGreaterThan(0);
  });

  it('refuses a hand-edited entry and, in require mode, a missing file; allow mode starts with an empty list', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'edugraph-manifest-'));
    try {
      const file = path.join(dir, 'm.json');
      const body = 'query A { a }';
      const operation = { id: sha256('query A { b }'), name: 'A', type: 'query', body };
      await writeFile(
        file,
        JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [operation] }),
      );
      await expect(loadManifest(file)).rejects.toThrow(/id of A is not the sha256 of its body/);

      const missing = path.join(dir, 'missing.json');
      await expect(
        loadTrustedDocuments({ mode: 'require', manifestPath: missing }, 100, () => undefined),
      ).rejects.toThrow(/needs a manifest/);
      const warnings: string[] = [];
      const allow = await loadTrustedDocuments({ mode: 'allow', manifestPath: missing }, 100, (m) =>
        warnings.push(m),
      );
      expect(allow?.size).toBe(0);
      expect(warnings).toHaveLength(1);
      expect(
        await loadTrustedDocuments({ mode: 'off', manifestPath: missing }, 100, () => undefined),
      ).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the internal token', () => {
  it('matches only the configured token', () => {
    expect(hasInternalToken('secret-token', 'secret-token')).toBe(true);
    expect(hasInternalToken('secret-tokeN', 'secret-token')).toBe(false);
    expect(hasInternalToken('secret', 'secret-token')).toBe(false);
    expect(hasInternalToken(undefined, 'secret-token')).toBe(false);
    expect(hasInternalToken('', undefined)).toBe(false);
  });
});
