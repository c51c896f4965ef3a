#!/usr/bin/env node
import 'reflect-metadata';
import { processEnv, readIdentityConfig } from './environment.js';
import { recordAudit, SYSTEM_ACTOR } from './modules/audit/audit.js';
import { KeyStore } from './modules/signing-key/key-store.service.js';
import { createIdentityDataSource } from './identity.runtime.js';
import { systemClock } from './shared/clock.js';
import { SecretBox } from './shared/crypto.js';

const USAGE = 'usage: node subgraphs/identity/dist/cli.js rotate-keys';

async function rotateKeys(): Promise<void> {
  const config = readIdentityConfig(processEnv());
  const dataSource = createIdentityDataSource(config, { poolSize: 1 });
  await dataSource.initialize();
  try {
    const keys = new KeyStore(dataSource, new SecretBox(config.dataEncryptionKey), systemClock, {
      publishLeadSeconds: config.keyPublishLeadSeconds,
    });
    const report = await keys.rotate(async (manager, result) => {
      await recordAudit(manager, systemClock, SYSTEM_ACTOR, {
        action: 'identity.signing_key.rotated',
        targetType: 'SigningKey',
        targetId: result.created?.kid ?? result.pending?.kid ?? 'none',
        metadata: { ...result },
      });
    });
    if (report.created) {
      console.log(`created key ${report.created.kid}: published now, signs from ${report.created.activatesAt.toISOString()}`);
    }
    if (report.pending) {
      console.log(`key ${report.pending.kid} is already pending (signs from ${report.pending.activatesAt.toISOString()}); no new key created`);
    }
    for (const s of report.superseded) {
      console.log(`key ${s.kid}: stops signing at ${s.retiresAt.toISOString()}, leaves JWKS after ${s.removeAfter.toISOString()}`);
    }
    for (const kid of report.removed) console.log(`removed expired key ${kid} from JWKS`);
    if (report.removed.length === 0) console.log('no expired keys to remove');
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
