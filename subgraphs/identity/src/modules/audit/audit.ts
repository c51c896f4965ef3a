import { recordEvent } from '@edugraph/kit';
import type { EntityManager } from 'typeorm';
import { IDENTITY_SCHEMA } from '../../environment.js';
import type { Clock } from '../../shared/clock.js';
import { sha256Hex } from '../../shared/crypto.js';

export const AUDIT_EVENT_TYPE = 'audit.recorded';

export type AuditAction =
  | 'identity.role.granted'
  | 'identity.role.revoked'
  | 'identity.user.disabled'
  | 'identity.user.enabled'
  | 'identity.api_key.created'
  | 'identity.api_key.revoked'
  | 'identity.signing_key.rotated'
  | 'identity.two_factor.disabled'
  | 'identity.two_factor.reset'
  | 'identity.password.reset';

/** Who did it, from where (request id and IP from the request context; system jobs pass nulls). */
export type AuditActor = { actorId: string | null; requestId: string | null; ip: string | null };

export const SYSTEM_ACTOR: AuditActor = { actorId: null, requestId: null, ip: null };

/** Records `audit.recorded` in the caller's transaction; the platform subgraph stores it. */
export async function recordAudit(
  manager: EntityManager,
  clock: Clock,
  actor: AuditActor,
  entry: { action: AuditAction; targetType: string; targetId: string; metadata?: Record<string, unknown> },
): Promise<void> {
  await recordEvent(manager, IDENTITY_SCHEMA, {
    type: AUDIT_EVENT_TYPE,
    aggregateId: entry.targetId,
    payload: {
      actorId: actor.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      requestId: actor.requestId,
      ipHash: actor.ip ? sha256Hex(actor.ip) : null,
      metadata: entry.metadata ?? {},
      occurredAt: clock.now().toISOString(),
    },
  });
}
