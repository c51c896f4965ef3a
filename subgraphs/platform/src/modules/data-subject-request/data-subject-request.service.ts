import { randomUUID } from 'node:crypto';
import {
  BadUserInputError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  paginate,
  recordEvent,
  type Connection,
  type ConnectionArgs,
  type Viewer,
} from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { AuditActor } from '../../common/audit-actor.js';
import { assertUuid } from '../../common/validation.js';
import type { AuditService } from '../audit/audit.service.js';
import {
  DataSubjectRequestEntity,
  type DataSubjectRequestKind,
  type DataSubjectRequestStatus,
} from './data-subject-request.entity.js';

export const DSR_DUE_DAYS = 30;
export const DATA_SUBJECT_REQUESTED_EVENT = 'data_subject.requested';

const TRANSITIONS: Record<DataSubjectRequestStatus, DataSubjectRequestStatus[]> = {
  RECEIVED: ['IN_PROGRESS', 'COMPLETED', 'REJECTED'],
  IN_PROGRESS: ['COMPLETED', 'REJECTED'],
  COMPLETED: [],
  REJECTED: [],
};

/**
 * Data subject requests (export / delete). This records the request, its 30-day due date and its
 * status, and publishes `data_subject.requested`; the fan-out to each subgraph is a later step.
 */
export class DataSubjectRequestService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async request(
    viewer: Viewer,
    input: { kind: DataSubjectRequestKind; userId?: string | null },
    actor: AuditActor,
  ): Promise<DataSubjectRequestEntity> {
    const userId = input.userId ? assertUuid(input.userId, 'userId') : viewer.userId;
    const staff = viewer.roles.includes('ADMIN') || viewer.roles.includes('SUPPORT');
    if (userId !== viewer.userId && !staff)
      throw new ForbiddenError('Only ADMIN or SUPPORT can file a request for another user.');
    return this.dataSource.transaction(async (manager) => {
      // One open request per user and kind (serialised per user by an advisory lock).
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dsr:${userId}:${input.kind}`]);
      const open = await manager
        .getRepository(DataSubjectRequestEntity)
        .createQueryBuilder('d')
        .where('d.userId = :userId AND d.kind = :kind', { userId, kind: input.kind })
        .andWhere(`d.status IN ('RECEIVED', 'IN_PROGRESS')`)
        .getOne();
      if (open)
        throw new DomainError('CONFLICT', `There is already an open ${input.kind} request for this user.`, {
          requestId: open.id,
        });
      const requestedAt = new Date();
      const entity: DataSubjectRequestEntity = {
        id: randomUUID(),
        userId,
        kind: input.kind,
        status: 'RECEIVED',
        requestedBy: viewer.userId,
        requestedAt,
        dueAt: new Date(requestedAt.getTime() + DSR_DUE_DAYS * 86_400_000),
        completedAt: null,
        note: null,
      };
      await manager.getRepository(DataSubjectRequestEntity).insert(entity);
      await recordEvent(manager, 'platform', {
        type: DATA_SUBJECT_REQUESTED_EVENT,
        aggregateId: entity.id,
        payload: { requestId: entity.id, userId, kind: entity.kind, dueAt: entity.dueAt.toISOString() },
      });
      await this.audit.record(manager, actor, {
        action: 'data_subject_request.created',
        targetType: 'DataSubjectRequest',
        targetId: entity.id,
        metadata: { userId, kind: entity.kind, dueAt: entity.dueAt.toISOString() },
      });
      return entity;
    });
  }

  async setStatus(
    input: { id: string; status: DataSubjectRequestStatus; note?: string | null },
    actor: AuditActor,
  ): Promise<DataSubjectRequestEntity> {
    const id = assertUuid(input.id, 'id');
    const note = input.note?.trim() || null;
    if (input.status === 'REJECTED' && (!note || note.length < 5 || note.length > 2000)) {
      throw new BadUserInputError('Rejecting needs a note of 5–2,000 characters.', 'note');
    }
    if (note && note.length > 2000)
      throw new BadUserInputError('The note is at most 2,000 characters.', 'note');
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(DataSubjectRequestEntity);
      const current = await repo
        .createQueryBuilder('d')
        .setLock('pessimistic_write')
        .where('d.id = :id', { id })
        .getOne();
      if (!current) throw new NotFoundError('The data subject request');
      if (!TRANSITIONS[current.status].includes(input.status)) {
        throw new BadUserInputError(`A ${current.status} request cannot become ${input.status}.`, 'status');
      }
      const next: DataSubjectRequestEntity = {
        ...current,
        status: input.status,
        note: note ?? current.note,
        completedAt: input.status === 'COMPLETED' || input.status === 'REJECTED' ? new Date() : null,
      };
      await repo.save(next);
      await this.audit.record(manager, actor, {
        action: 'data_subject_request.status_set',
        targetType: 'DataSubjectRequest',
        targetId: id,
        metadata: { from: current.status, to: input.status, userId: current.userId },
      });
      return next;
    });
  }

  async list(
    filter: { status?: DataSubjectRequestStatus | null; userId?: string | null },
    args: ConnectionArgs,
  ): Promise<Connection<DataSubjectRequestEntity>> {
    const qb = this.dataSource.getRepository(DataSubjectRequestEntity).createQueryBuilder('d');
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.userId) qb.andWhere('d.userId = :userId', { userId: assertUuid(filter.userId, 'userId') });
    return paginate(qb, args, { alias: 'd', sortBy: 'requestedAt', direction: 'DESC' });
  }
}
