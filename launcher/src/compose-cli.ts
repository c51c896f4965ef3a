import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { composeSupergraph } from './compose.js';
import { subgraphDefinitions } from './registry.js';
import { repoRoot } from './paths.js';

/**
 * `npm run compose`: writes schema/subgraphs/<name>.graphql, schema/supergraph.graphql and
 * schema/api.graphql. With `--check`, writes nothing and exits 1 when a committed file is stale.
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const composed = await composeSupergraph(subgraphDefinitions);
  const schemaDir = path.join(repoRoot, 'schema');
  const files = new Map<string, string>([
    ...composed.subgraphs.map(
      (s) => [path.join(schemaDir, 'subgraphs', `${s.name}.graphql`), s.sdl] as const,
    ),
    [path.join(schemaDir, 'supergraph.graphql'), composed.supergraphSdl],
    [path.join(schemaDir, 'api.graphql'), composed.apiSdl],
  ]);
  const stale: string[] = [];
  for (const [file, content] of files) {
    const current = await readFile(file, 'utf8').catch(() => null);
    if (current === content) continue;
    stale.push(path.relative(repoRoot, file));
    if (!check) {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
  }
  for (const hint of composed.hints) process.stdout.write(`hint: ${hint}\n`);
  if (check && stale.length > 0) {
    process.stderr.write(`Stale schema files (run \`npm run compose\`): ${stale.join(', ')}\n`);
    process.exit(1);
  }
  process.stdout.write(
    stale.length > 0 ? `Wrote ${stale.join(', ')}\n` : `Schema files are up to date (${files.size} files).\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
