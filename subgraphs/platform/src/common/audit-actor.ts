import type { RequestContext } from '@edugraph/kit';

/** Who did a privileged change, for the audit row written in the same transaction. */
export type AuditActor = { actorId: string | null; requestId: string | null; ip: string | null };

export const SYSTEM_ACTOR: AuditActor = { actorId: null, requestId: null, ip: null };

export function auditActorOf(ctx: RequestContext): AuditActor {
  return { actorId: ctx.viewer?.userId ?? null, requestId: ctx.requestId, ip: ctx.ip };
}
