import { recordEvent, type DomainEvent } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import { IDENTITY_SCHEMA } from '../../environment.js';
import { DAY, type Clock } from '../../shared/clock.js';

export const RETENTION_REQUESTED = 'retention.requested';
export const RETENTION_APPLIED = 'retention.applied';

type RetentionAction = 'HARD_DELETE' | 'SOFT_DELETE' | 'ANONYMISE';
type RetentionPolicy = { entity: string; action: RetentionAction; afterDays: number };

/** Entities identity enforces retention for, and the rows each policy covers. */
const ENTITIES: Record<string, { table: string; where: string }> = {
  // Ended (revoked) or expired sessions whose end is older than the cutoff.
  'identity.sessions': {
    table: '"identity".sessions',
    where: `(revoked_at IS NOT NULL AND revoked_at < $1)
         OR (revoked_at IS NULL AND LEAST(expires_at, absolute_expires_at) < $1)`,
  },
  // Codes that expired more than afterDays ago.
  'identity.verification_codes': { table: '"identity".verification_codes', where: 'expires_at < $1' },
};

function parsePolicies(payload: Record<string, unknown>): RetentionPolicy[] {
  const raw = Array.isArray(payload['policies']) ? (payload['policies'] as unknown[]) : [];
  return raw.flatMap((p) => {
    const policy = p as Partial<RetentionPolicy>;
    if (typeof policy.entity !== 'string' || typeof policy.afterDays !== 'number' || policy.afterDays < 0)
      return [];
    if (!['HARD_DELETE', 'SOFT_DELETE', 'ANONYMISE'].includes(String(policy.action))) return [];
    return [{ entity: policy.entity, action: policy.action as RetentionAction, afterDays: policy.afterDays }];
  });
}

/**
 * `retention.requested` → for each policy on an identity entity: count (dry run) or delete the rows,
 * then record `retention.applied { runId, entity, dryRun, affected }`. Sessions and codes hold no
 * value once ended, so every action deletes them (there is nothing to keep anonymised).
 */
export function createRetentionHandler(clock: Clock) {
  return async (event: DomainEvent, manager: EntityManager): Promise<void> => {
    const runId = String(event.payload['runId'] ?? event.id);
    const dryRun = event.payload['dryRun'] !== false;
    for (const policy of parsePolicies(event.payload)) {
      const target = ENTITIES[policy.entity];
      if (!target) continue;
      const cutoff = new Date(clock.now().getTime() - policy.afterDays * DAY);
      let affected: number;
      if (dryRun) {
        const rows: { count: string }[] = await manager.query(
          `SELECT count(*)::text AS count FROM ${target.table} WHERE ${target.where}`,
          [cutoff],
        );
        affected = Number(rows[0]?.count ?? 0);
      } else {
        const result: [unknown[], number] = await manager.query(
          `DELETE FROM ${target.table} WHERE ${target.where}`,
          [cutoff],
        );
        affected = result[1];
      }
      await recordEvent(manager, IDENTITY_SCHEMA, {
        type: RETENTION_APPLIED,
        aggregateId: runId,
        payload: { runId, entity: policy.entity, dryRun, affected, action: policy.action },
      });
    }
  };
}
