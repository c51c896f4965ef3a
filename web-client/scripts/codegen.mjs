// `npm run codegen`: generates the typed operations of the web app from `codegen.yml` (repo root) and the
// trusted-documents manifest (`src/generated/persisted-documents.json`), and writes them prettier-formatted.
// `--check` writes nothing and exits 1 when an operation does not validate against schema/api.graphql or the
// committed output differs from what would be generated (npm test's static phase).
import { readFile, readdir, writeFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fromGraphQLCodegenPersistedDocuments,
  generatePersistedQueryManifest,
} from '@apollo/generate-persisted-query-manifest';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import { Kind, parse, print, visit } from 'graphql';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');
const sourceDir = path.join(root, 'web-client', 'src');
// CODEGEN_MANIFEST_PATH: where the manifest is written or compared (scripts/codegen.spec.ts checks a copy).
const MANIFEST_PATH = process.env.CODEGEN_MANIFEST_PATH
  ? path.resolve(process.env.CODEGEN_MANIFEST_PATH)
  : path.join(sourceDir, 'generated', 'persisted-documents.json');

/**
 * One document per operation (the operation and the fragments it uses, as typed-document-node emits it) from the
 * web app's `.graphql` files, keyed by operation name.
 */
async function operationDocuments() {
  const files = (await readdir(sourceDir, { recursive: true }))
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  const operations = [];
  const fragments = new Map();
  for (const file of files) {
    const document = parse(await readFile(path.join(sourceDir, file), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      else if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
    }
  }
  const spreads = (node) => {
    const names = [];
    visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
    return names;
  };
  const documents = {};
  for (const operation of operations) {
    const used = new Map();
    const pending = spreads(operation);
    while (pending.length > 0) {
      const name = pending.shift();
      const fragment = fragments.get(name);
      if (used.has(name) || !fragment) continue;
      used.set(name, fragment);
      pending.push(...spreads(fragment));
    }
    documents[operation.name.value] = print({
      kind: Kind.DOCUMENT,
      definitions: [operation, ...used.values()],
    });
  }
  return documents;
}

/**
 * The trusted-documents manifest (Apollo's persisted query manifest format): every operation run through a real
 * Apollo Client (so `__typename` and Apollo's other document transforms are applied as in the app), printed with
 * its definitions sorted; `id` is the sha256 of that body. The web app sends the id (src/lib/apollo/client.ts), the
 * gateway runs only documents from this list in `require` mode (gateway/README.md, "Trusted documents").
 */
async function persistedDocumentsManifest() {
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'edugraph-codegen-'));
  try {
    const input = path.join(scratch, 'operations.json');
    await writeFile(input, JSON.stringify(await operationDocuments()));
    const manifest = await generatePersistedQueryManifest(
      { documents: fromGraphQLCodegenPersistedDocuments(input) },
      undefined,
    );
    manifest.operations.sort((a, b) => a.name.localeCompare(b.name));
    return { filename: MANIFEST_PATH, content: `${JSON.stringify(manifest, null, 2)}\n` };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function main() {
  const { config } = await loadCodegenConfig({ configFilePath: path.join(root, 'codegen.yml') });
  let outputs;
  try {
    outputs = await generate({ ...config, cwd: root, silent: true, errorsOnly: true }, false);
  } catch (error) {
    const details = error?.errors ?? error?.details ?? [];
    process.stderr.write(`codegen failed: ${error instanceof Error ? error.message : String(error)}\n`);
    for (const detail of Array.isArray(details) ? details : [details])
      process.stderr.write(`  ${detail?.message ?? String(detail)}\n`);
    return 1;
  }
  outputs = [...outputs, await persistedDocumentsManifest()];
  const stale = [];
  for (const output of outputs) {
    const file = path.resolve(root, output.filename);
    const options = (await prettier.resolveConfig(file)) ?? {};
    const content = await prettier.format(output.content, { ...options, filepath: file });
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current === content) continue;
    if (check) stale.push(path.relative(root, file));
    else {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      process.stdout.write(`wrote ${path.relative(root, file)}\n`);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(
      `Generated code is stale: ${stale.join(', ')}. Run \`npm run codegen\` and commit it.\n`,
    );
    return 1;
  }
  if (check) process.stdout.write(`codegen: ${outputs.length} file(s) up to date\n`);
  return 0;
}

process.exitCode = await main();
