import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError, paginate, type Connection, type Viewer } from '@edugraph/kit';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { AuditActor } from '../../common/audit-actor.js';
import { assertUuid, isUuid } from '../../common/validation.js';
import type { AuditService } from '../audit/audit.service.js';
import { featureFlagArchived, featureFlagExists } from './feature-flag.errors.js';
import { FeatureFlagEntity, FeatureFlagOverrideEntity } from './feature-flag.entity.js';
import type {
  CreateFeatureFlagInput,
  FeatureFlagsArgs,
  RemoveFeatureFlagOverrideInput,
  SetFeatureFlagOverrideInput,
  UpdateFeatureFlagInput,
} from './feature-flag.input.js';
import type { FlagCache, FlagCacheInvalidation, FlagSnapshot, TenantOverrides } from './flag-cache.js';
import {
  assertFlagKey,
  normaliseSegment,
  validateFlagSpec,
  type FlagSpec,
} from './flag-definition.validation.js';
import {
  evaluateFlag,
  type EvaluationSubject,
  type FlagDefinition,
  type FlagEvaluationResult,
  type FlagOverrideDefinition,
  type FlagTenantType,
} from './flag-evaluator.js';

export const MAX_EVALUATED_KEYS = 100;
const MAX_ATTRIBUTES = 50;

export type EvaluationRequest = {
  appVersion?: string | null;
  attributes?: { name: string; value: string }[] | null;
  tenantId?: string | null;
};

type FlagAuditEntry = { action: string; metadata: Record<string, unknown> };

function specOf(flag: FeatureFlagEntity): FlagSpec {
  return {
    description: flag.description,
    environments: flag.environments,
    strategy: flag.strategy,
    booleanValue: flag.booleanValue,
    percentage: flag.percentage,
    segment: flag.segment,
    startsAt: flag.startsAt,
    endsAt: flag.endsAt,
    variants: flag.variants,
  };
}

/** What evaluation needs: the spec without the description, plus key and state. */
function definitionOf(flag: FeatureFlagEntity): FlagDefinition {
  const { description: _description, ...rule } = specOf(flag);
  return { key: flag.key, archived: flag.archivedAt !== null, killed: flag.killed, ...rule };
}

function tenantKey(type: FlagTenantType, id: string): string {
  return `${type}:${id}`;
}

function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (error as { code: unknown }).code === '23505'
  );
}

/** Feature flags: admin changes (audited, cache invalidated) and evaluation for viewers. */
export class FeatureFlagService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cache: FlagCache,
    private readonly invalidation: FlagCacheInvalidation,
    private readonly options: { environment: string; now?: () => Date },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async getByKey(key: string): Promise<FeatureFlagEntity | null> {
    return this.dataSource.getRepository(FeatureFlagEntity).findOneBy({ key });
  }

  async list(args: FeatureFlagsArgs): Promise<Connection<FeatureFlagEntity>> {
    const qb = this.dataSource.getRepository(FeatureFlagEntity).createQueryBuilder('f');
    if (!args.includeArchived) qb.where('f.archivedAt IS NULL');
    return paginate(qb, args, { alias: 'f', sortBy: 'key', direction: 'ASC' });
  }

  /** Latest overrides of several flags, at most `first` per flag, in one query (DataLoader batch). */
  async overridesOf(flagIds: readonly string[], first: number): Promise<FeatureFlagOverrideEntity[]> {
    if (flagIds.length === 0) return [];
    const rows: FeatureFlagOverrideEntity[] = await this.dataSource.query(
      `SELECT id, flag_id AS "flagId", tenant_type AS "tenantType", tenant_id AS "tenantId", enabled, variant,
              created_at AS "createdAt", updated_at AS "updatedAt"
       FROM (SELECT o.*, row_number() OVER (PARTITION BY o.flag_id ORDER BY o.updated_at DESC, o.id DESC) AS rn
             FROM "platform".feature_flag_overrides o WHERE o.flag_id = ANY($1::uuid[])) ranked
       WHERE rn <= $2
       ORDER BY updated_at DESC, id DESC`,
      [flagIds, first],
    );
    return rows;
  }

  private async changed(): Promise<void> {
    await this.invalidation.publish();
  }

  private async lockByKey(manager: EntityManager, key: string): Promise<FeatureFlagEntity> {
    const flag = await manager
      .getRepository(FeatureFlagEntity)
      .createQueryBuilder('f')
      .setLock('pessimistic_write')
      .where('f.key = :key', { key })
      .getOne();
    if (!flag) throw new NotFoundError(`The feature flag "${key}"`);
    return flag;
  }

  async create(input: CreateFeatureFlagInput, actor: AuditActor): Promise<FeatureFlagEntity> {
    const key = assertFlagKey(input.key);
    const spec = validateFlagSpec({
      description: input.description?.trim() ?? '',
      environments: input.environments,
      strategy: input.strategy,
      booleanValue: input.booleanValue ?? true,
      percentage: input.percentage ?? null,
      segment: normaliseSegment(input.segment),
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
      variants: input.variants ?? [],
    });
    const now = this.now();
    const flag: FeatureFlagEntity = {
      id: randomUUID(),
      key,
      ...spec,
      killed: input.killed ?? false,
      archivedAt: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(FeatureFlagEntity).insert(flag);
        await this.auditFlag(manager, actor, flag, {
          action: 'feature_flag.created',
          metadata: { key, ...spec, killed: flag.killed },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw featureFlagExists(key);
      throw error;
    }
    await this.changed();
    return flag;
  }

  /**
   * One change to an existing flag: validates the key, locks the flag row, refuses an archived flag
   * (unless `allowArchived`), runs `change` in the same transaction, then invalidates the caches when
   * `invalidates(result)` (default: always).
   */
  private async changeFlag<T>(
    key: string,
    change: (manager: EntityManager, flag: FeatureFlagEntity) => Promise<T>,
    options: { allowArchived?: boolean; invalidates?: (result: T) => boolean } = {},
  ): Promise<T> {
    assertFlagKey(key);
    const result = await this.dataSource.transaction(async (manager) => {
      const flag = await this.lockByKey(manager, key);
      if (flag.archivedAt && !options.allowArchived) throw featureFlagArchived(key);
      return change(manager, flag);
    });
    if (options.invalidates?.(result) ?? true) await this.changed();
    return result;
  }

  /** Saves a changed flag and audits the change, in the caller's transaction. */
  private async saveFlag(
    manager: EntityManager,
    actor: AuditActor,
    next: FeatureFlagEntity,
    entry: FlagAuditEntry,
  ): Promise<FeatureFlagEntity> {
    await manager.getRepository(FeatureFlagEntity).save(next);
    await this.auditFlag(manager, actor, next, entry);
    return next;
  }

  private async auditFlag(
    manager: EntityManager,
    actor: AuditActor,
    flag: FeatureFlagEntity,
    entry: FlagAuditEntry,
  ): Promise<void> {
    await this.audit.record(manager, actor, { ...entry, targetType: 'FeatureFlag', targetId: flag.id });
  }

  async update(input: UpdateFeatureFlagInput, actor: AuditActor): Promise<FeatureFlagEntity> {
    const key = input.key;
    return this.changeFlag(key, async (manager, flag) => {
      const before = specOf(flag);
      const pick = <T>(value: T | null | undefined, current: T, nullable: boolean): T => {
        if (value === undefined) return current;
        if (value === null) return nullable ? (null as T) : current;
        return value;
      };
      const spec = validateFlagSpec({
        description:
          input.description === undefined || input.description === null
            ? before.description
            : input.description.trim(),
        environments: pick(input.environments, before.environments, false),
        strategy: pick(input.strategy, before.strategy, false),
        booleanValue: pick(input.booleanValue, before.booleanValue, false),
        percentage: pick(input.percentage, before.percentage, true),
        segment: input.segment === undefined ? before.segment : normaliseSegment(input.segment),
        startsAt: pick(input.startsAt, before.startsAt, true),
        endsAt: pick(input.endsAt, before.endsAt, true),
        variants: pick(input.variants, before.variants, false),
      });
      const changes = Object.fromEntries(
        Object.entries(spec).filter(
          ([field, value]) => JSON.stringify(value) !== JSON.stringify(before[field as keyof FlagSpec]),
        ),
      );
      const next: FeatureFlagEntity = { ...flag, ...spec, updatedAt: this.now() };
      return this.saveFlag(manager, actor, next, {
        action: 'feature_flag.updated',
        metadata: { key, changes },
      });
    });
  }

  async archive(key: string, actor: AuditActor): Promise<FeatureFlagEntity> {
    return this.changeFlag(
      key,
      async (manager, flag) => {
        if (flag.archivedAt) return flag;
        const next: FeatureFlagEntity = { ...flag, archivedAt: this.now(), updatedAt: this.now() };
        return this.saveFlag(manager, actor, next, { action: 'feature_flag.archived', metadata: { key } });
      },
      { allowArchived: true },
    );
  }

  async setKillSwitch(key: string, killed: boolean, actor: AuditActor): Promise<FeatureFlagEntity> {
    return this.changeFlag(key, async (manager, flag) => {
      const next: FeatureFlagEntity = { ...flag, killed, updatedAt: this.now() };
      return this.saveFlag(manager, actor, next, {
        action: 'feature_flag.kill_switch_set',
        metadata: { key, killed, previous: flag.killed },
      });
    });
  }

  async setOverride(
    input: SetFeatureFlagOverrideInput,
    actor: AuditActor,
  ): Promise<{ flag: FeatureFlagEntity; override: FeatureFlagOverrideEntity }> {
    assertFlagKey(input.key);
    const tenantId = assertUuid(input.tenantId, 'tenantId');
    return this.changeFlag(input.key, async (manager, flag) => {
      const variant = input.variant ?? null;
      if (variant !== null && !flag.variants.some((v) => v.key === variant)) {
        throw new BadUserInputError(`"${variant}" is not a variant of "${flag.key}".`, 'variant');
      }
      if (variant !== null && !input.enabled) {
        throw new BadUserInputError(
          'A variant can only be set on an override that turns the flag on.',
          'variant',
        );
      }
      const repo = manager.getRepository(FeatureFlagOverrideEntity);
      const existing = await repo.findOneBy({ flagId: flag.id, tenantType: input.tenantType, tenantId });
      const now = this.now();
      const override: FeatureFlagOverrideEntity = existing
        ? { ...existing, enabled: input.enabled, variant, updatedAt: now }
        : {
            id: randomUUID(),
            flagId: flag.id,
            tenantType: input.tenantType,
            tenantId,
            enabled: input.enabled,
            variant,
            createdAt: now,
            updatedAt: now,
          };
      await repo.save(override);
      await this.auditFlag(manager, actor, flag, {
        action: 'feature_flag.override_set',
        metadata: {
          key: flag.key,
          tenantType: input.tenantType,
          tenantId,
          enabled: input.enabled,
          variant,
          previous: existing ? { enabled: existing.enabled, variant: existing.variant } : null,
        },
      });
      return { flag, override };
    });
  }

  async removeOverride(
    input: RemoveFeatureFlagOverrideInput,
    actor: AuditActor,
  ): Promise<{ flag: FeatureFlagEntity; removed: boolean }> {
    assertFlagKey(input.key);
    const tenantId = assertUuid(input.tenantId, 'tenantId');
    return this.changeFlag(
      input.key,
      async (manager, flag) => {
        const deleted = await manager
          .getRepository(FeatureFlagOverrideEntity)
          .delete({ flagId: flag.id, tenantType: input.tenantType, tenantId });
        const removed = (deleted.affected ?? 0) > 0;
        if (removed) {
          await this.auditFlag(manager, actor, flag, {
            action: 'feature_flag.override_removed',
            metadata: { key: flag.key, tenantType: input.tenantType, tenantId },
          });
        }
        return { flag, removed };
      },
      { allowArchived: true, invalidates: ({ removed }) => removed },
    );
  }

  // ---- evaluation -------------------------------------------------------------------------------

  private async snapshot(): Promise<FlagSnapshot> {
    return this.cache.flags(async () => {
      const flags = await this.dataSource
        .getRepository(FeatureFlagEntity)
        .find({ order: { key: 'ASC' }, take: 10_000 });
      return new Map(flags.map((f) => [f.key, { id: f.id, definition: definitionOf(f) }]));
    });
  }

  private async tenantOverrides(keys: string[]): Promise<Map<string, TenantOverrides>> {
    return this.cache.overrides(keys, async (missing) => {
      const byType: Record<FlagTenantType, string[]> = { USER: [], COMMUNITY: [] };
      for (const key of missing) {
        const [type, id] = key.split(':') as [FlagTenantType, string];
        byType[type].push(id);
      }
      const repo = this.dataSource.getRepository(FeatureFlagOverrideEntity);
      const where = (Object.keys(byType) as FlagTenantType[])
        .filter((type) => byType[type].length > 0)
        .map((type) => ({ tenantType: type, tenantId: In(byType[type]) }));
      const rows = where.length > 0 ? await repo.find({ where }) : [];
      const result = new Map<string, TenantOverrides>();
      for (const row of rows) {
        const key = tenantKey(row.tenantType, row.tenantId);
        let map = result.get(key);
        if (!map) {
          map = new Map();
          result.set(key, map);
        }
        map.set(row.flagId, {
          tenantType: row.tenantType,
          tenantId: row.tenantId,
          enabled: row.enabled,
          variant: row.variant,
        });
      }
      return result;
    });
  }

  /**
   * Every non-archived flag for several subjects at once: overrides of all their tenants are loaded
   * in one query (then cached), so a page of users costs a bounded number of queries.
   */
  async evaluateMany(subjects: readonly EvaluationSubject[]): Promise<FlagEvaluationResult[][]> {
    const tenantKeys = new Set<string>();
    for (const subject of subjects) {
      if (subject.userId) tenantKeys.add(tenantKey('USER', subject.userId));
      if (subject.tenantId) tenantKeys.add(tenantKey('COMMUNITY', subject.tenantId));
    }
    await this.snapshot();
    if (tenantKeys.size > 0) await this.tenantOverrides([...tenantKeys]);
    return Promise.all(subjects.map((subject) => this.evaluate(null, subject)));
  }

  /** Builds the evaluation subject from a (possibly absent) viewer and client input. */
  subjectFor(
    viewer: Pick<Viewer, 'userId' | 'roles'> | null,
    request: EvaluationRequest,
    anonymousId?: string | null,
  ): EvaluationSubject {
    if (request.appVersion && request.appVersion.length > 64)
      throw new BadUserInputError('"appVersion" is at most 64 characters.', 'appVersion');
    const attributes: Record<string, string> = Object.create(null) as Record<string, string>;
    const list = request.attributes ?? [];
    if (list.length > MAX_ATTRIBUTES)
      throw new BadUserInputError(`At most ${MAX_ATTRIBUTES} attributes.`, 'attributes');
    for (const { name, value } of list) {
      if (name.length === 0 || name.length > 64 || value.length > 200) {
        throw new BadUserInputError(
          'Attribute names are 1–64 and values at most 200 characters.',
          'attributes',
        );
      }
      attributes[name] = value;
    }
    let tenantId: string | null = null;
    if (request.tenantId) {
      if (!isUuid(request.tenantId)) throw new BadUserInputError('"tenantId" must be a UUID.', 'tenantId');
      tenantId = request.tenantId.toLowerCase();
    }
    if (
      anonymousId !== undefined &&
      anonymousId !== null &&
      (anonymousId.length === 0 || anonymousId.length > 128)
    ) {
      throw new BadUserInputError('"anonymousId" is 1–128 characters.', 'anonymousId');
    }
    const userId = viewer?.userId ?? null;
    return {
      userId,
      bucketingId: userId ?? anonymousId ?? null,
      roles: viewer?.roles ?? [],
      appVersion: request.appVersion ?? null,
      attributes,
      tenantId,
    };
  }

  /**
   * Evaluates `keys` (or every non-archived flag when null) for a subject. Definitions and overrides
   * come from the cache (≤ 30 s old, invalidated on every change): no SQL on a warm cache.
   */
  async evaluate(keys: string[] | null, subject: EvaluationSubject): Promise<FlagEvaluationResult[]> {
    if (keys !== null) {
      if (keys.length === 0 || keys.length > MAX_EVALUATED_KEYS) {
        throw new BadUserInputError(`Ask for 1–${MAX_EVALUATED_KEYS} flag keys.`, 'keys');
      }
      if (keys.some((k) => k.length > 100))
        throw new BadUserInputError('Flag keys are at most 100 characters.', 'keys');
    }
    const flags = await this.snapshot();
    const wanted = keys
      ? [...new Set(keys)]
      : [...flags.values()].filter((f) => !f.definition.archived).map((f) => f.definition.key);
    const tenantKeys: string[] = [];
    if (subject.userId) tenantKeys.push(tenantKey('USER', subject.userId));
    if (subject.tenantId) tenantKeys.push(tenantKey('COMMUNITY', subject.tenantId));
    const overridesByTenant =
      tenantKeys.length > 0 ? await this.tenantOverrides(tenantKeys) : new Map<string, TenantOverrides>();
    const now = this.now();
    return wanted.map((key) => {
      const cached = flags.get(key) ?? null;
      const overrides: FlagOverrideDefinition[] = [];
      if (cached) {
        for (const tenant of overridesByTenant.values()) {
          const override = tenant.get(cached.id);
          if (override) overrides.push(override);
        }
      }
      return evaluateFlag({
        key,
        flag: cached?.definition ?? null,
        environment: this.options.environment,
        now,
        subject,
        overrides,
      });
    });
  }
}
