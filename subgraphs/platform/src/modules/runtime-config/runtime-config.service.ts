import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError } from '@edugraph/kit';
import { In, type DataSource } from 'typeorm';
import type { AuditActor } from '../../common/audit-actor.js';
import type { AuditService } from '../audit/audit.service.js';
import {
  assertConfigKey,
  validateConfigValue,
  type ConfigExposure,
  type ConfigValueType,
} from './config-value.js';
import { RuntimeConfigEntryEntity } from './runtime-config.entity.js';

/** What GraphQL may show of an entry: SECRET values are replaced by null before leaving the service. */
export type ConfigEntryView = {
  id: string;
  key: string;
  type: ConfigValueType;
  value: unknown;
  redacted: boolean;
  exposure: ConfigExposure;
  description: string;
  updatedAt: Date;
};

export type SetConfigEntryCommand = {
  key: string;
  type: ConfigValueType;
  value?: unknown;
  exposure: ConfigExposure;
  description?: string | null;
};

const MAX_ENTRIES_LISTED = 500;

export function viewOf(entry: RuntimeConfigEntryEntity): ConfigEntryView {
  const secret = entry.exposure === 'SECRET';
  return {
    id: entry.id,
    key: entry.key,
    type: entry.type,
    value: secret ? null : entry.value,
    redacted: secret,
    exposure: entry.exposure,
    description: entry.description,
    updatedAt: entry.updatedAt,
  };
}

/** Typed runtime configuration. Secrets are readable only through `getSecret` (server code). */
export class RuntimeConfigService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Entries with one of `exposures`, by key, SECRET values redacted. */
  async list(exposures: ConfigExposure[]): Promise<ConfigEntryView[]> {
    const entries = await this.dataSource
      .getRepository(RuntimeConfigEntryEntity)
      .find({ where: { exposure: In(exposures) }, order: { key: 'ASC' }, take: MAX_ENTRIES_LISTED });
    return entries.map(viewOf);
  }

  async getVisible(key: string, exposures: ConfigExposure[]): Promise<ConfigEntryView | null> {
    const entry = await this.dataSource.getRepository(RuntimeConfigEntryEntity).findOneBy({ key });
    return entry && exposures.includes(entry.exposure) ? viewOf(entry) : null;
  }

  /** Server-side read of a non-secret value (null when absent). */
  async getValue(key: string): Promise<unknown> {
    const entry = await this.dataSource.getRepository(RuntimeConfigEntryEntity).findOneBy({ key });
    if (!entry || entry.exposure === 'SECRET') return null;
    return entry.value;
  }

  /** Server code only — never wire this to a resolver. */
  async getSecret(key: string): Promise<string | null> {
    const entry = await this.dataSource.getRepository(RuntimeConfigEntryEntity).findOneBy({ key });
    if (!entry) return null;
    if (entry.exposure !== 'SECRET') throw new NotFoundError(`The secret "${key}"`);
    return typeof entry.value === 'string' ? entry.value : JSON.stringify(entry.value);
  }

  async set(command: SetConfigEntryCommand, actor: AuditActor): Promise<ConfigEntryView> {
    const key = assertConfigKey(command.key);
    const description = command.description?.trim();
    if (description !== undefined && description.length > 500) {
      throw new BadUserInputError('The description is at most 500 characters.', 'description');
    }
    const saved = await this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(RuntimeConfigEntryEntity);
      const existing = await repo
        .createQueryBuilder('c')
        .setLock('pessimistic_write')
        .where('c.key = :key', { key })
        .getOne();
      const valueGiven = command.value !== undefined && command.value !== null;
      if (!valueGiven) {
        if (!existing) throw new BadUserInputError('A new entry needs a value.', 'value');
        if (existing.type !== command.type)
          throw new BadUserInputError('Changing the type needs a new value.', 'value');
        if (existing.exposure === 'SECRET' && command.exposure !== 'SECRET') {
          throw new BadUserInputError(
            'Making a SECRET entry readable needs a new value (the secret is never exposed).',
            'value',
          );
        }
      }
      const value = valueGiven ? validateConfigValue(command.type, command.value) : existing?.value;
      const now = new Date();
      const entry: RuntimeConfigEntryEntity = {
        id: existing?.id ?? randomUUID(),
        key,
        type: command.type,
        value,
        exposure: command.exposure,
        description: description ?? existing?.description ?? '',
        updatedBy: actor.actorId,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      await repo.save(entry);
      const secretInvolved = command.exposure === 'SECRET' || existing?.exposure === 'SECRET';
      await this.audit.record(manager, actor, {
        action: existing ? 'runtime_config.updated' : 'runtime_config.created',
        targetType: 'ConfigEntry',
        targetId: entry.id,
        metadata: {
          key,
          type: entry.type,
          exposure: entry.exposure,
          previousExposure: existing?.exposure ?? null,
          valueChanged: valueGiven && JSON.stringify(value) !== JSON.stringify(existing?.value),
          // Secret values never enter the audit log.
          ...(secretInvolved ? {} : { value, previousValue: existing?.value ?? null }),
        },
      });
      return entry;
    });
    return viewOf(saved);
  }
}
