import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export type LoadResult = {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
};

export type LoadSpec = {
  url: string;
  body: string;
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
};

/**
 * Runs autocannon in a child process (so the load generator does not share the servers' event loop)
 * and returns its summary.
 */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const bin = require.resolve('autocannon/autocannon.js');
  const headerArgs = Object.entries({ 'content-type': 'application/json', ...spec.headers }).flatMap(
    ([k, v]) => ['-H', `${k}=${v}`],
  );
  const args = [
    bin,
    '--json',
    '-c',
    String(spec.connections),
    '-d',
    String(spec.durationSeconds),
    '-m',
    'POST',
    '-b',
    spec.body,
    ...headerArgs,
    spec.url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      const json = JSON.parse(out) as {
        requests: { average: number; total: number };
        latency: { p50: number; p99: number };
        errors: number;
        non2xx: number;
      };
      resolve({
        requestsPerSecond: json.requests.average,
        p50Ms: json.latency.p50,
        p99Ms: json.latency.p99,
        requests: json.requests.total,
        errors: json.errors,
        non2xx: json.non2xx,
      });
    });
  });
}
