// `npm test`: typecheck (turbo, builds what types depend on), lint with zero warnings, formatting, generated
// client code up to date (codegen --check), then the whole
// Vitest suite (unit, integration against real PostgreSQL + Redis, e2e through the gateway).
// Ends with a plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1', NODE_ENV: 'test' };
const args = process.argv.slice(2);

function run(title, command, commandArgs) {
  process.stdout.write(`\n▶ ${title}\n`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  return result.status ?? 1;
}

if (!args.includes('--no-static')) {
  if (run('typecheck', 'npx', ['turbo', 'run', 'typecheck', '--output-logs=errors-only']) !== 0)
    process.exit(1);
  if (run('lint', 'npx', ['eslint', '.', '--max-warnings', '0']) !== 0) process.exit(1);
  if (run('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']) !== 0) process.exit(1);
  // Generated client code is committed: fail when it is stale or an operation does not validate (codegen.yml).
  if (run('codegen', 'node', ['web-client/scripts/codegen.mjs', '--check']) !== 0) process.exit(1);
}

const reportDir = path.join(root, '.data', 'test-report');
mkdirSync(reportDir, { recursive: true });
const reportFile = path.join(reportDir, 'vitest.json');
rmSync(reportFile, { force: true });
const vitestArgs = [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${reportFile}`,
];
const status = run('tests', 'npx', [...vitestArgs, ...args.filter((a) => a !== '--no-static')]);

try {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  process.stdout.write(
    `\ntests: ${report.numPassedTests} passed, ${report.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`,
  );
  if (report.numTotalTests === 0) {
    process.stdout.write('No tests ran.\n');
    process.exit(1);
  }
} catch {
  process.stdout.write('\nNo test report was written.\n');
  process.exit(status || 1);
}
process.exit(status);
