import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchGateway, type GatewayBenchRow } from './gateway.bench.js';
import { benchRealtime, type RealtimeBenchRow } from './realtime.bench.js';

/**
 * `npm run bench [-- gateway] [--duration 10] [--connections 20]`
 *   requests/s and p50/p99 per target, ratios against the direct-subgraph baseline of the same run.
 * `npm run bench -- realtime [--subscribers 100,1000,5000] [--messages 20] [--interval 250]`
 *   subscription delivery latency, deliveries/s and gateway memory per idle connection.
 * Both print the previous run's numbers side by side (kept in .data/bench/).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const suite = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? 'gateway';
const resultsDir = path.join(root, '.data', 'bench');
const log = (line: string) => process.stdout.write(`${line}\n`);

function fmt(n: number, digits = 0): string {
  return n.toFixed(digits).padStart(9);
}

async function previousRun<T>(): Promise<T[]> {
  return JSON.parse(await readFile(path.join(resultsDir, `${suite}.json`), 'utf8').catch(() => '[]')) as T[];
}

async function saveRun(rows: unknown[]): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, `${suite}.json`), JSON.stringify(rows, null, 2));
}

async function realtime(): Promise<void> {
  const index = args.indexOf('--subscribers');
  const subscriberCounts = (index >= 0 ? args[index + 1]! : '100,1000,5000').split(',').map(Number);
  const messages = option('messages', 20);
  const intervalMs = option('interval', 250);
  log(
    `Edugraph benchmark: realtime (N = ${subscriberCounts.join(', ')} subscribers on one channel, ${messages} messages ${intervalMs} ms apart)`,
  );
  const rows = await benchRealtime({ subscriberCounts, messages, intervalMs, log });
  const previous = await previousRun<RealtimeBenchRow>();
  log(
    `\n${'subscribers'.padStart(11)}${'delivered'.padStart(11)}${'missing'.padStart(9)}${'dupes'.padStart(7)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'max ms'.padStart(9)}${'deliv/s'.padStart(10)}${'KiB/conn'.padStart(10)}${'heap KiB'.padStart(10)}${'gw cpu'.padStart(8)}${'sg cpu'.padStart(8)}${'prev p99'.padStart(10)}${'prev KiB'.padStart(10)}${'prev sg'.padStart(9)}`,
  );
  for (const row of rows) {
    const prev = previous.find((p) => p.subscribers === row.subscribers);
    log(
      `${String(row.subscribers).padStart(11)}${String(row.deliveries).padStart(11)}${String(row.missing).padStart(9)}${String(row.duplicates).padStart(7)}${fmt(row.p50Ms, 1)}${fmt(row.p99Ms, 1)}${fmt(row.maxMs, 1)}${fmt(row.deliveredPerSecond).padStart(10)}${fmt(row.rssKiBPerConnection, 1).padStart(10)}${fmt(row.heapKiBPerConnection, 1).padStart(10)}${row.gatewayCpuMsPer1k.toFixed(0).padStart(8)}${row.subgraphsCpuMsPer1k.toFixed(0).padStart(8)}${(prev ? prev.p99Ms.toFixed(1) : '–').padStart(10)}${(prev ? prev.rssKiBPerConnection.toFixed(1) : '–').padStart(10)}${(prev?.subgraphsCpuMsPer1k?.toFixed(0) ?? '–').padStart(9)}`,
    );
  }
  log('gw cpu / sg cpu: CPU ms per 1,000 deliveries of the gateway process / the subgraphs process');
  const largest = rows.at(-1);
  if (largest)
    log(
      `goal at N = ${largest.subscribers}: p99 < 250 ms → ${largest.p99Ms.toFixed(1)} ms (${(largest.p99Ms / 250).toFixed(2)} × goal); < 40 KiB per idle connection → ${largest.rssKiBPerConnection.toFixed(1)} KiB (${(largest.rssKiBPerConnection / 40).toFixed(2)} × goal)`,
    );
  await saveRun(rows);
}

async function main(): Promise<void> {
  if (suite === 'realtime') return realtime();
  if (suite !== 'gateway') throw new Error(`Unknown bench suite "${suite}" (available: gateway, realtime)`);
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

  const previous = await previousRun<GatewayBenchRow>();
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
  await saveRun(rows);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
