import { recordEvent } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import { MEDIA_SCHEMA } from '../environment.js';

export const AUDIT_EVENT_TYPE = 'audit.recorded';

export type MediaAuditAction =
  'media.asset.quarantined' | 'media.asset.quarantine_purged' | 'media.asset.scan_failed';

/** Records `audit.recorded` in the caller's transaction (the platform subgraph stores it). Jobs act as the system. */
export async function recordAudit(
  manager: EntityManager,
  entry: { action: MediaAuditAction; targetId: string; occurredAt: Date; metadata?: Record<string, unknown> },
): Promise<void> {
  await recordEvent(manager, MEDIA_SCHEMA, {
    type: AUDIT_EVENT_TYPE,
    aggregateId: entry.targetId,
    payload: {
      actorId: null,
      action: entry.action,
      targetType: 'Asset',
      targetId: entry.targetId,
      requestId: null,
      ipHash: null,
      metadata: entry.metadata ?? {},
      occurredAt: entry.occurredAt.toISOString(),
    },
  });
}
