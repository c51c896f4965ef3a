import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchGateway, type GatewayBenchRow } from './gateway.bench.js';

/**
 * `npm run bench [-- gateway] [--duration 10] [--connections 20]`
 * Prints requests/s and p50/p99 per target, ratios against the direct-subgraph baseline of the same run,
 * and the previous run's numbers side by side (kept in .data/bench/).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const suite = args.find((a) => !a.startsWith('--') && Number.isNaN(Number(a))) ?? 'gateway';

function fmt(n: number, digits = 0): string {
  return n.toFixed(digits).padStart(9);
}

async function main(): Promise<void> {
  if (suite !== 'gateway') throw new Error(`Unknown bench suite "${suite}" (available: gateway)`);
  const durationSeconds = option('duration', 10);
  const connections = option('connections', 20);
  process.stdout.write(
    `Edugraph benchmark: ${suite} (${durationSeconds}s per target, ${connections} connections)\n`,
  );
  const rows = await benchGateway({
    durationSeconds,
    connections,
    log: (l) => process.stdout.write(`${l}\n`),
  });

  const resultsDir = path.join(root, '.data', 'bench');
  const lastFile = path.join(resultsDir, `${suite}.json`);
  const previous = JSON.parse(await readFile(lastFile, 'utf8').catch(() => '[]')) as GatewayBenchRow[];
  const prevOf = (row: GatewayBenchRow) =>
    previous.find((p) => p.target === row.target && p.query === row.query);

  process.stdout.write(
    `\n${'operation'.padEnd(36)}${'target'.padEnd(26)}${'req/s'.padStart(9)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'× direct'.padStart(10)}${'prev req/s'.padStart(12)}${'errors'.padStart(8)}\n`,
  );
  for (const row of rows) {
    const direct = rows.find((r) => r.query === row.query && r.target.startsWith('direct'));
    const ratio = direct ? row.result.requestsPerSecond / direct.result.requestsPerSecond : 1;
    const prev = prevOf(row);
    process.stdout.write(
      `${row.query.padEnd(36)}${row.target.padEnd(26)}${fmt(row.result.requestsPerSecond)}${fmt(row.result.p50Ms, 1)}${fmt(row.result.p99Ms, 1)}${ratio.toFixed(2).padStart(10)}${(prev ? prev.result.requestsPerSecond.toFixed(0) : '–').padStart(12)}${String(row.result.errors + row.result.non2xx).padStart(8)}\n`,
    );
  }
  for (const query of new Set(rows.map((r) => r.query))) {
    const ours = rows.find((r) => r.query === query && r.target === 'edugraph gateway');
    const plain = rows.find((r) => r.query === query && r.target === 'plain ApolloGateway');
    if (ours && plain) {
      process.stdout.write(
        `${query}: edugraph gateway / plain ApolloGateway throughput = ${(ours.result.requestsPerSecond / plain.result.requestsPerSecond).toFixed(2)}\n`,
      );
    }
  }
  await mkdir(resultsDir, { recursive: true });
  await writeFile(lastFile, JSON.stringify(rows, null, 2));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
