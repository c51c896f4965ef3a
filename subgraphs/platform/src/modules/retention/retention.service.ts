import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  paginate,
  recordEvent,
  type Connection,
  type ConnectionArgs,
  type DomainEvent,
  type Logger,
} from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { AuditActor } from '../../common/audit-actor.js';
import type { AuditService } from '../audit/audit.service.js';
import {
  RetentionPolicyEntity,
  RetentionRunEntity,
  RetentionRunItemEntity,
  type RetentionAction,
  type RetentionRule,
  type RetentionTrigger,
} from './retention.entity.js';

export const RETENTION_REQUESTED_EVENT = 'retention.requested';
export const RETENTION_APPLIED_EVENT = 'retention.applied';

export type RetentionRequestedPayload = {
  runId: string;
  dryRun: boolean;
  policies: RetentionRule[];
};

function ruleOf(policy: RetentionPolicyEntity): RetentionRule {
  return { entity: policy.entity, action: policy.action, afterDays: policy.afterDays };
}

const ENTITY_PATTERN = /^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;
const ACTIONS: readonly RetentionAction[] = ['HARD_DELETE', 'SOFT_DELETE', 'ANONYMISE'];
const MAX_POLICIES = 200;

/**
 * Retention policies and runs. A run records one PENDING item per enabled policy and publishes
 * `retention.requested` through the outbox in the same transaction; owning subgraphs apply their
 * entities and answer with `retention.applied`, which fills the report.
 */
export class RetentionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly logger: Logger,
  ) {}

  async listPolicies(): Promise<RetentionPolicyEntity[]> {
    return this.dataSource
      .getRepository(RetentionPolicyEntity)
      .find({ order: { entity: 'ASC' }, take: MAX_POLICIES });
  }

  async setPolicy(
    input: RetentionRule & { enabled?: boolean | null },
    actor: AuditActor,
  ): Promise<RetentionPolicyEntity> {
    if (input.entity.length > 100 || !ENTITY_PATTERN.test(input.entity)) {
      throw new BadUserInputError(
        'The entity is "<subgraph>.<table>" in snake_case, e.g. "identity.sessions".',
        'entity',
      );
    }
    if (!ACTIONS.includes(input.action)) throw new BadUserInputError('Unknown retention action.', 'action');
    if (!Number.isInteger(input.afterDays) || input.afterDays < 1 || input.afterDays > 3650) {
      throw new BadUserInputError('"afterDays" must be 1–3650.', 'afterDays');
    }
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(RetentionPolicyEntity);
      const existing = await repo
        .createQueryBuilder('p')
        .setLock('pessimistic_write')
        .where('p.entity = :entity', { entity: input.entity })
        .getOne();
      if (!existing) {
        const count = await repo.count();
        if (count >= MAX_POLICIES)
          throw new BadUserInputError(`At most ${MAX_POLICIES} retention policies.`, 'entity');
      }
      const now = new Date();
      const policy: RetentionPolicyEntity = {
        id: existing?.id ?? randomUUID(),
        entity: input.entity,
        action: input.action,
        afterDays: input.afterDays,
        enabled: input.enabled ?? true,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await repo.save(policy);
      await this.audit.record(manager, actor, {
        action: existing ? 'retention_policy.updated' : 'retention_policy.created',
        targetType: 'RetentionPolicy',
        targetId: policy.id,
        metadata: {
          entity: policy.entity,
          action: policy.action,
          afterDays: policy.afterDays,
          enabled: policy.enabled,
          previous: existing
            ? { action: existing.action, afterDays: existing.afterDays, enabled: existing.enabled }
            : null,
        },
      });
      return policy;
    });
  }

  /** Starts a run over every enabled policy (a run without policies is COMPLETED at once). */
  async startRun(options: {
    dryRun: boolean;
    trigger: RetentionTrigger;
    actor: AuditActor;
  }): Promise<RetentionRunEntity> {
    return this.dataSource.transaction(async (manager) => {
      const policies = await manager
        .getRepository(RetentionPolicyEntity)
        .find({ where: { enabled: true }, order: { entity: 'ASC' } });
      const now = new Date();
      const run: RetentionRunEntity = {
        id: randomUUID(),
        dryRun: options.dryRun,
        status: policies.length === 0 ? 'COMPLETED' : 'RUNNING',
        trigger: options.trigger,
        requestedBy: options.actor.actorId,
        startedAt: now,
        finishedAt: policies.length === 0 ? now : null,
      };
      await manager.getRepository(RetentionRunEntity).insert(run);
      if (policies.length > 0) {
        await manager.getRepository(RetentionRunItemEntity).insert(
          policies.map((p) => ({
            id: randomUUID(),
            runId: run.id,
            ...ruleOf(p),
            status: 'PENDING' as const,
            affected: null,
            appliedAt: null,
          })),
        );
        const payload: RetentionRequestedPayload = {
          runId: run.id,
          dryRun: run.dryRun,
          policies: policies.map(ruleOf),
        };
        await recordEvent(manager, 'platform', {
          type: RETENTION_REQUESTED_EVENT,
          aggregateId: run.id,
          payload,
        });
      }
      await this.audit.record(manager, options.actor, {
        action: 'retention.run_requested',
        targetType: 'RetentionRun',
        targetId: run.id,
        metadata: { dryRun: run.dryRun, trigger: run.trigger, entities: policies.map((p) => p.entity) },
      });
      return run;
    });
  }

  /** Handler of `retention.applied` `{ runId, entity, dryRun, affected }`: fills the item, completes the run. */
  async applyResult(manager: EntityManager, event: DomainEvent): Promise<void> {
    const { runId, entity, affected } = event.payload as {
      runId?: unknown;
      entity?: unknown;
      affected?: unknown;
    };
    if (
      typeof runId !== 'string' ||
      typeof entity !== 'string' ||
      typeof affected !== 'number' ||
      !Number.isInteger(affected) ||
      affected < 0
    ) {
      this.logger.warn(
        { eventId: event.id, source: event.source },
        'retention.applied with an invalid payload, ignored',
      );
      return;
    }
    const updated: unknown[] = await manager.query(
      `UPDATE "platform".retention_run_items SET status = 'APPLIED', affected = $3, applied_at = now()
       WHERE run_id::text = $1 AND entity = $2 AND status = 'PENDING' RETURNING id`,
      [runId, entity, affected],
    );
    if (updated.length === 0) {
      this.logger.warn(
        { eventId: event.id, runId, entity },
        'retention.applied for an unknown or already applied item',
      );
      return;
    }
    await manager.query(
      `UPDATE "platform".retention_runs r SET status = 'COMPLETED', finished_at = now()
       WHERE r.id::text = $1 AND r.status = 'RUNNING'
         AND NOT EXISTS (SELECT 1 FROM "platform".retention_run_items i WHERE i.run_id = r.id AND i.status = 'PENDING')`,
      [runId],
    );
  }

  async getRun(id: string): Promise<RetentionRunEntity | null> {
    return this.dataSource.getRepository(RetentionRunEntity).findOneBy({ id });
  }

  async listRuns(args: ConnectionArgs): Promise<Connection<RetentionRunEntity>> {
    const qb = this.dataSource.getRepository(RetentionRunEntity).createQueryBuilder('r');
    return paginate(qb, args, { alias: 'r', sortBy: 'startedAt', direction: 'DESC' });
  }

  async itemsOf(runIds: readonly string[]): Promise<RetentionRunItemEntity[]> {
    if (runIds.length === 0) return [];
    return this.dataSource
      .getRepository(RetentionRunItemEntity)
      .find({ where: { runId: In([...runIds]) }, order: { entity: 'ASC' } });
  }
}
