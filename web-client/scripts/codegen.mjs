// `npm run codegen`: generates the typed operations of the web app from `codegen.yml` (repo root) and writes
// them prettier-formatted. `--check` writes nothing and exits 1 when an operation does not validate against
// schema/api.graphql or the committed output differs from what would be generated (npm test's static phase).
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import * as prettier from 'prettier';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');

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
