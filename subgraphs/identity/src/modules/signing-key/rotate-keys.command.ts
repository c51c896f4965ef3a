import type { DataSource } from 'typeorm';
import type { Clock } from '../../shared/clock.js';
import type { SecretBox } from '../../shared/crypto.js';
import { recordAudit, SYSTEM_ACTOR } from '../audit/audit.js';
import { KeyStore, type RotationReport } from './key-store.service.js';

/** `rotate-keys`: rotates, audits in the same transaction, and describes what it did line by line. */
export async function rotateKeysCommand(input: {
  dataSource: DataSource;
  box: SecretBox;
  clock: Clock;
  publishLeadSeconds: number;
  print: (line: string) => void;
}): Promise<RotationReport> {
  const keys = new KeyStore(input.dataSource, input.box, input.clock, {
    publishLeadSeconds: input.publishLeadSeconds,
  });
  const report = await keys.rotate(async (manager, result) => {
    await recordAudit(manager, input.clock, SYSTEM_ACTOR, {
      action: 'identity.signing_key.rotated',
      targetType: 'SigningKey',
      targetId: result.created?.kid ?? result.pending?.kid ?? 'none',
      metadata: {
        created: result.created?.kid ?? null,
        pending: result.pending?.kid ?? null,
        superseded: result.superseded.map((s) => s.kid),
        removed: result.removed,
      },
    });
  });
  const { print } = input;
  if (report.created) {
    print(
      `created key ${report.created.kid}: published now, signs from ${report.created.activatesAt.toISOString()}`,
    );
  }
  if (report.pending) {
    print(
      `key ${report.pending.kid} is already pending (signs from ${report.pending.activatesAt.toISOString()}); no new key created`,
    );
  }
  for (const s of report.superseded) {
    print(
      `key ${s.kid}: stops signing at ${s.retiresAt.toISOString()}, leaves JWKS after ${s.removeAfter.toISOString()}`,
    );
  }
  for (const kid of report.removed) print(`removed expired key ${kid} from JWKS`);
  if (report.removed.length === 0) print('no expired keys to remove');
  return report;
}
