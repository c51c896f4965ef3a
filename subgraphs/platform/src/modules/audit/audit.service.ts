import { createHmac, randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  paginate,
  type Connection,
  type ConnectionArgs,
  type DomainEvent,
  type Logger,
} from '@edugraph/kit';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditActor } from '../../common/audit-actor.js';
import { assertLength, assertUuid, isUuid } from '../../common/validation.js';
import { AuditEventEntity } from './audit-event.entity.js';

export type AuditEntry = {
  action: string;
  targetType: string;
  targetId: string | null;
  metadata?: Record<string, unknown>;
};

export type AuditFilter = {
  actorId?: string | null;
  action?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  from?: Date | null;
  to?: Date | null;
};

/** Payload of the `audit.recorded` domain event other subgraphs publish. */
export type AuditRecordedPayload = {
  actorId?: unknown;
  action?: unknown;
  targetType?: unknown;
  targetId?: unknown;
  requestId?: unknown;
  ipHash?: unknown;
  metadata?: unknown;
  occurredAt?: unknown;
};

export const AUDIT_RECORDED_EVENT = 'audit.recorded';
const MAX_METADATA_BYTES = 16 * 1024;
const SHORT_TEXT = 200;

function boundedMetadata(metadata: unknown): Record<string, unknown> {
  if (metadata === null || metadata === undefined) return {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) return { value: metadata };
  const size = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  return size > MAX_METADATA_BYTES ? { truncated: true, bytes: size } : (metadata as Record<string, unknown>);
}

function shortText(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= SHORT_TEXT ? value : null;
}

/** Writes and searches the audit log. Platform's own changes call `record` inside their transaction. */
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { ipHashSecret: string; source: string; logger: Logger },
  ) {}

  /** HMAC-SHA256 of the IP with a server secret: equal IPs correlate, the IP cannot be recovered. */
  hashIp(ip: string | null): string | null {
    if (!ip) return null;
    return createHmac('sha256', this.options.ipHashSecret).update(ip).digest('hex');
  }

  /** Appends one audit row using the caller's transaction. Returns its id. */
  async record(manager: EntityManager, actor: AuditActor, entry: AuditEntry): Promise<string> {
    const id = randomUUID();
    await this.insert(manager, {
      id,
      actorId: actor.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      requestId: actor.requestId,
      ipHash: this.hashIp(actor.ip),
      metadata: boundedMetadata(entry.metadata),
      source: this.options.source,
      occurredAt: new Date(),
    });
    return id;
  }

  /**
   * Handler of `audit.recorded`: the event id becomes the row id, so a duplicate delivery can never
   * add a second row (besides the consumer inbox). An event without action/targetType is recorded as
   * `audit.rejected_event` rather than retried forever.
   */
  async recordFromEvent(manager: EntityManager, event: DomainEvent): Promise<void> {
    const payload = event.payload as AuditRecordedPayload;
    const action = shortText(payload.action);
    const targetType = shortText(payload.targetType);
    const occurred =
      typeof payload.occurredAt === 'string' ? new Date(payload.occurredAt) : new Date(event.occurredAt);
    const occurredAt = Number.isNaN(occurred.getTime()) ? new Date() : occurred;
    const rawActor = typeof payload.actorId === 'string' ? payload.actorId : null;
    const actorId = rawActor && isUuid(rawActor) ? rawActor.toLowerCase() : null;
    const metadata = boundedMetadata(payload.metadata);
    if (rawActor && !actorId) metadata['actorRef'] = rawActor.slice(0, SHORT_TEXT);
    if (!action || !targetType) {
      this.options.logger.warn(
        { eventId: event.id, source: event.source },
        'audit.recorded without action/targetType',
      );
      await this.insert(manager, {
        id: event.id,
        actorId,
        action: 'audit.rejected_event',
        targetType: 'DomainEvent',
        targetId: event.id,
        requestId: shortText(payload.requestId),
        ipHash: shortText(payload.ipHash),
        metadata: { reason: 'action and targetType are required', source: event.source },
        source: event.source,
        occurredAt,
      });
      return;
    }
    await this.insert(manager, {
      id: event.id,
      actorId,
      action,
      targetType,
      targetId: typeof payload.targetId === 'string' ? payload.targetId.slice(0, SHORT_TEXT) : null,
      requestId: shortText(payload.requestId),
      ipHash: shortText(payload.ipHash),
      metadata,
      source: event.source,
      occurredAt,
    });
  }

  private async insert(manager: EntityManager, row: Omit<AuditEventEntity, 'recordedAt'>): Promise<void> {
    await manager.query(
      `INSERT INTO "platform".audit_events
         (id, actor_id, action, target_type, target_id, request_id, ip_hash, metadata, source, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10)
       ON CONFLICT (id) DO NOTHING`,
      [
        row.id,
        row.actorId,
        row.action,
        row.targetType,
        row.targetId,
        row.requestId,
        row.ipHash,
        JSON.stringify(row.metadata),
        row.source,
        row.occurredAt,
      ],
    );
  }

  /** Newest first, keyset paginated: one SQL query per page. */
  async list(filter: AuditFilter, args: ConnectionArgs): Promise<Connection<AuditEventEntity>> {
    const qb = this.dataSource.getRepository(AuditEventEntity).createQueryBuilder('a');
    if (filter.actorId)
      qb.andWhere('a.actorId = :actorId', { actorId: assertUuid(filter.actorId, 'actorId') });
    // Stored texts are at most SHORT_TEXT characters: a longer filter is a mistake, not a search.
    if (filter.action)
      qb.andWhere('a.action = :action', { action: assertLength(filter.action, 'action', 1, SHORT_TEXT) });
    if (filter.targetType) {
      const targetType = assertLength(filter.targetType, 'targetType', 1, SHORT_TEXT);
      qb.andWhere('a.targetType = :targetType', { targetType });
    }
    if (filter.targetId)
      qb.andWhere('a.targetId = :targetId', {
        targetId: assertLength(filter.targetId, 'targetId', 1, SHORT_TEXT),
      });
    if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) {
      throw new BadUserInputError('"from" must be before "to".', 'from');
    }
    if (filter.from) qb.andWhere('a.occurredAt >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('a.occurredAt < :to', { to: filter.to });
    return paginate(qb, args, { alias: 'a', sortBy: 'occurredAt', direction: 'DESC' });
  }
}
