import { spawnSync } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const committed = path.join(here, '..', 'src', 'generated', 'persisted-documents.json');

/** `npm run codegen -- --check` with the manifest compared at `manifest` (a copy: the committed file is not touched). */
function check(manifest: string) {
  const result = spawnSync(process.execPath, [path.join(here, 'codegen.mjs'), '--check'], {
    env: { ...process.env, CODEGEN_MANIFEST_PATH: manifest },
    encoding: 'utf8',
  });
  return { status: result.status, stderr: result.stderr };
}

describe('the trusted-documents manifest drift check', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'edugraph-codegen-check-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds the committed manifest up to date and fails on a stale one', async () => {
    const fresh = path.join(dir, 'fresh.json');
    await copyFile(committed, fresh);
    expect(check(fresh).stderr).not.toContain(path.relative(path.join(here, '..', '..'), fresh));

    const stale = path.join(dir, 'stale.json');
    const manifest = JSON.parse(await readFile(committed, 'utf8')) as { operations: { body: string }[] };
    manifest.operations[0]!.body = manifest.operations[0]!.body.replace('__typename', 'id');
    await writeFile(stale, `${JSON.stringify(manifest, null, 2)}\n`);
    const result = check(stale);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Generated code is stale: .*stale\.json/);
  }, 120_000); // two codegen runs
});
