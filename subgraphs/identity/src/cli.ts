#!/usr/bin/env node
import 'reflect-metadata';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EnvRecord } from '@edugraph/kit';
import { processEnv, readIdentityConfig } from './environment.js';
import { rotateKeysCommand } from './modules/signing-key/rotate-keys.command.js';
import { createIdentityDataSource } from './identity.runtime.js';
import { systemClock, type Clock } from './shared/clock.js';
import { SecretBox } from './shared/crypto.js';

export const USAGE = 'usage: node subgraphs/identity/dist/cli.js rotate-keys';

export type CliIo = {
  env: EnvRecord;
  print: (line: string) => void;
  printError: (line: string) => void;
  clock?: Clock;
};

async function rotateKeys(io: CliIo): Promise<void> {
  const config = readIdentityConfig(io.env);
  const dataSource = createIdentityDataSource(config, { poolSize: 1 });
  await dataSource.initialize();
  try {
    await rotateKeysCommand({
      dataSource,
      box: new SecretBox(config.dataEncryptionKey),
      clock: io.clock ?? systemClock,
      publishLeadSeconds: config.keyPublishLeadSeconds,
      print: io.print,
    });
  } finally {
    await dataSource.destroy();
  }
}

/** The CLI: runs `args[0]` and returns the exit code (2 for an unknown command, with the usage). */
export async function main(
  args: readonly string[],
  io: CliIo = {
    env: processEnv(),
    print: (line) => console.log(line),
    printError: (line) => console.error(line),
  },
): Promise<number> {
  const command = args[0];
  if (command === 'rotate-keys') {
    await rotateKeys(io);
    return 0;
  }
  io.printError(USAGE);
  return 2;
}

/** True when this file is the process entry (also through the npm bin symlink). */
function isEntry(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) {
  process.exitCode = await main(process.argv.slice(2));
}
