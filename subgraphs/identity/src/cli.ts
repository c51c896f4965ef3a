#!/usr/bin/env node
import 'reflect-metadata';
import { processEnv, readIdentityConfig } from './environment.js';
import { rotateKeysCommand } from './modules/signing-key/rotate-keys.command.js';
import { createIdentityDataSource } from './identity.runtime.js';
import { systemClock } from './shared/clock.js';
import { SecretBox } from './shared/crypto.js';

const USAGE = 'usage: node subgraphs/identity/dist/cli.js rotate-keys';

async function rotateKeys(): Promise<void> {
  const config = readIdentityConfig(processEnv());
  const dataSource = createIdentityDataSource(config, { poolSize: 1 });
  await dataSource.initialize();
  try {
    await rotateKeysCommand({
      dataSource,
      box: new SecretBox(config.dataEncryptionKey),
      clock: systemClock,
      publishLeadSeconds: config.keyPublishLeadSeconds,
      print: (line) => console.log(line),
    });
  } finally {
    await dataSource.destroy();
  }
}

const command = process.argv[2];
if (command === 'rotate-keys') {
  await rotateKeys();
} else {
  console.error(USAGE);
  process.exitCode = 2;
}
