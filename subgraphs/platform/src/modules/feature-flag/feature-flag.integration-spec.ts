import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditRows, codes, usePlatformHarness, viewer } from '../../testing/platform-harness.js';

const FLAG_FIELDS =
  'id key description killed environments strategy booleanValue percentage startsAt endsAt archivedAt variants { key weight } segment { roles userIds appVersionRange attributes { name values } }';
const CREATE = `mutation($input: CreateFeatureFlagInput!) { createFeatureFlag(input: $input) { featureFlag { ${FLAG_FIELDS} } } }`;
const UPDATE = `mutation($input: UpdateFeatureFlagInput!) { updateFeatureFlag(input: $input) { featureFlag { ${FLAG_FIELDS} } } }`;
const ARCHIVE = `mutation($input: ArchiveFeatureFlagInput!) { archiveFeatureFlag(input: $input) { featureFlag { key archivedAt } } }`;
const KILL = `mutation($input: SetFeatureFlagKillSwitchInput!) { setFeatureFlagKillSwitch(input: $input) { featureFlag { key killed } } }`;
const SET_OVERRIDE = `mutation($input: SetFeatureFlagOverrideInput!) { setFeatureFlagOverride(input: $input) { featureFlag { key } override { tenantType tenantId enabled variant } } }`;
const REMOVE_OVERRIDE = `mutation($input: RemoveFeatureFlagOverrideInput!) { removeFeatureFlagOverride(input: $input) { featureFlag { key } removed } }`;
const EVALUATE = `query($input: EvaluateFeatureFlagsInput!) { evaluateFeatureFlags(input: $input) { key enabled variant reason } }`;
const PUBLIC = `query($input: PublicFeatureFlagsInput!) { publicFeatureFlags(input: $input) { key enabled variant reason } }`;
const FLAG = `query($key: String!) { featureFlag(key: $key) { ${FLAG_FIELDS} overrides { tenantType tenantId enabled variant } } }`;
const FLAGS = `query($first: Int, $after: String, $includeArchived: Boolean) { featureFlags(first: $first, after: $after, includeArchived: $includeArchived) { edges { cursor node { key overrides { tenantId enabled } } } pageInfo { hasNextPage endCursor } } }`;
const USER_FLAGS = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id featureFlags { key enabled variant reason } } } }`;

type Evaluation = { key: string; enabled: boolean; variant: string | null; reason: string };

describe('feature flags through GraphQL', () => {
  const h = usePlatformHarness('flags');
  const admin = viewer(['ADMIN']);
  const learner = viewer(['LEARNER']);
  const instructor = viewer(['INSTRUCTOR']);

  async function create(input: Record<string, unknown>) {
    const result = await h.exec<{ createFeatureFlag: { featureFlag: Record<string, unknown> } }>(
      CREATE,
      { input },
      admin,
    );
    expect(result.errors).toBeUndefined();
    return result.data!.createFeatureFlag.featureFlag;
  }

  async function evaluate(
    as: ReturnType<typeof viewer>,
    input: Record<string, unknown>,
  ): Promise<Evaluation[]> {
    const result = await h.exec<{ evaluateFeatureFlags: Evaluation[] }>(EVALUATE, { input }, as);
    expect(result.errors).toBeUndefined();
    return result.data!.evaluateFeatureFlags;
  }

  describe('createFeatureFlag', () => {
    it('creates a flag and audits it in the same transaction', async () => {
      const flag = await create({
        key: 'community-map',
        description: 'Map view',
        environments: ['test', 'production'],
        strategy: 'BOOLEAN',
      });
      expect(flag).toMatchObject({
        key: 'community-map',
        strategy: 'BOOLEAN',
        booleanValue: true,
        killed: false,
        environments: ['test', 'production'],
      });
      const [row] = await auditRows(h.dataSource, 'feature_flag.created');
      expect(row).toMatchObject({
        actor_id: admin.userId,
        target_type: 'FeatureFlag',
        target_id: flag['id'],
        source: 'platform',
      });
      expect(row?.request_id).toMatch(/^req-/);
      expect(row?.ip_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row?.ip_hash).not.toContain('203.0.113.7');
      expect(row?.metadata).toMatchObject({ key: 'community-map', strategy: 'BOOLEAN' });
    });

    it('refuses anonymous and non-admin callers, changing nothing', async () => {
      const input = { key: 'sneaky', environments: ['test'], strategy: 'BOOLEAN' };
      expect(codes(await h.exec(CREATE, { input }, null))).toEqual(['UNAUTHENTICATED']);
      expect(codes(await h.exec(CREATE, { input }, learner))).toEqual(['FORBIDDEN']);
      expect(codes(await h.exec(CREATE, { input }, viewer(['SUPPORT'])))).toEqual(['FORBIDDEN']);
      expect(await h.services.flags.getByKey('sneaky')).toBeNull();
    });

    it.each([
      [{ key: 'Bad Key', environments: ['test'], strategy: 'BOOLEAN' }, 'key'],
      [{ key: 'pct', environments: ['test'], strategy: 'PERCENTAGE' }, 'percentage'],
      [{ key: 'pct', environments: ['test'], strategy: 'PERCENTAGE', percentage: 101 }, 'percentage'],
      [{ key: 'seg', environments: ['test'], strategy: 'SEGMENT', segment: {} }, 'segment'],
      [
        {
          key: 'seg',
          environments: ['test'],
          strategy: 'SEGMENT',
          segment: { appVersionRange: 'not a range' },
        },
        'segment.appVersionRange',
      ],
      [
        { key: 'seg', environments: ['test'], strategy: 'SEGMENT', segment: { roles: ['WIZARD'] } },
        'segment.roles',
      ],
      [{ key: 'sch', environments: ['test'], strategy: 'SCHEDULE' }, 'startsAt'],
      [
        {
          key: 'sch',
          environments: ['test'],
          strategy: 'SCHEDULE',
          startsAt: '2026-02-01T00:00:00Z',
          endsAt: '2026-01-01T00:00:00Z',
        },
        'startsAt',
      ],
      [
        {
          key: 'var',
          environments: ['test'],
          strategy: 'BOOLEAN',
          variants: [
            { key: 'a', weight: 1 },
            { key: 'a', weight: 1 },
          ],
        },
        'variants',
      ],
      [
        { key: 'var', environments: ['test'], strategy: 'BOOLEAN', variants: [{ key: 'a', weight: 0 }] },
        'variants',
      ],
      [{ key: 'env', environments: ['Prod'], strategy: 'BOOLEAN' }, 'environments'],
    ])('rejects invalid input %j with BAD_USER_INPUT on %s', async (input, field) => {
      const before = await h.dataSource.query(`SELECT count(*)::int AS n FROM "platform".feature_flags`);
      const result = await h.exec(CREATE, { input }, admin);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.['field']).toBe(field);
      expect(await h.dataSource.query(`SELECT count(*)::int AS n FROM "platform".feature_flags`)).toEqual(
        before,
      );
    });

    it('refuses a duplicate key with FEATURE_FLAG_EXISTS', async () => {
      const result = await h.exec(
        CREATE,
        { input: { key: 'community-map', environments: ['test'], strategy: 'BOOLEAN' } },
        admin,
      );
      expect(codes(result)).toEqual(['FEATURE_FLAG_EXISTS']);
    });
  });

  describe('update, kill switch, overrides, archive', () => {
    it('updates only the given fields and audits the changes', async () => {
      await create({
        key: 'new-course-player',
        environments: ['test'],
        strategy: 'PERCENTAGE',
        percentage: 10,
      });
      const result = await h.exec<{ updateFeatureFlag: { featureFlag: Record<string, unknown> } }>(
        UPDATE,
        {
          input: {
            key: 'new-course-player',
            percentage: 50,
            variants: [
              { key: 'classic', weight: 1 },
              { key: 'compact', weight: 1 },
            ],
          },
        },
        admin,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data!.updateFeatureFlag.featureFlag).toMatchObject({
        percentage: 50,
        strategy: 'PERCENTAGE',
        environments: ['test'],
      });
      const [row] = await auditRows(h.dataSource, 'feature_flag.updated');
      expect(row?.metadata).toEqual({
        key: 'new-course-player',
        changes: {
          percentage: 50,
          variants: [
            { key: 'classic', weight: 1 },
            { key: 'compact', weight: 1 },
          ],
        },
      });
    });

    it('refuses an update that leaves the flag invalid, and unknown flags', async () => {
      expect(
        codes(await h.exec(UPDATE, { input: { key: 'new-course-player', percentage: null } }, admin)),
      ).toEqual(['BAD_USER_INPUT']);
      expect(codes(await h.exec(UPDATE, { input: { key: 'nope', description: 'x' } }, admin))).toEqual([
        'NOT_FOUND',
      ]);
      expect(
        codes(await h.exec(UPDATE, { input: { key: 'new-course-player', description: 'x' } }, learner)),
      ).toEqual(['FORBIDDEN']);
      expect((await h.services.flags.getByKey('new-course-player'))?.percentage).toBe(50);
    });

    it('kill switch turns the flag off for everyone, overrides included, and is audited', async () => {
      await h.exec(
        SET_OVERRIDE,
        { input: { key: 'community-map', tenantType: 'USER', tenantId: learner.userId, enabled: true } },
        admin,
      );
      const killed = await h.exec(KILL, { input: { key: 'community-map', killed: true } }, admin);
      expect(killed.errors).toBeUndefined();
      expect(await evaluate(learner, { keys: ['community-map'] })).toEqual([
        { key: 'community-map', enabled: false, variant: null, reason: 'KILLED' },
      ]);
      await h.exec(KILL, { input: { key: 'community-map', killed: false } }, admin);
      expect((await evaluate(learner, { keys: ['community-map'] }))[0]).toMatchObject({
        enabled: true,
        reason: 'OVERRIDE',
      });
      expect(
        (await auditRows(h.dataSource, 'feature_flag.kill_switch_set')).map((r) => r.metadata['killed']),
      ).toEqual([true, false]);
      expect(codes(await h.exec(KILL, { input: { key: 'community-map', killed: true } }, null))).toEqual([
        'UNAUTHENTICATED',
      ]);
      expect(codes(await h.exec(KILL, { input: { key: 'community-map', killed: true } }, learner))).toEqual([
        'FORBIDDEN',
      ]);
    });

    it('overrides set on/off and the variant per user or community; removing restores the strategy', async () => {
      const community = randomUUID();
      const set = await h.exec(
        SET_OVERRIDE,
        {
          input: {
            key: 'new-course-player',
            tenantType: 'COMMUNITY',
            tenantId: community,
            enabled: true,
            variant: 'compact',
          },
        },
        admin,
      );
      expect(set.errors).toBeUndefined();
      expect(await evaluate(learner, { keys: ['new-course-player'], tenantId: community })).toEqual([
        { key: 'new-course-player', enabled: true, variant: 'compact', reason: 'OVERRIDE' },
      ]);
      // the user's own override wins over the community's
      await h.exec(
        SET_OVERRIDE,
        { input: { key: 'new-course-player', tenantType: 'USER', tenantId: learner.userId, enabled: false } },
        admin,
      );
      expect(
        (await evaluate(learner, { keys: ['new-course-player'], tenantId: community }))[0],
      ).toMatchObject({
        enabled: false,
        reason: 'OVERRIDE',
      });
      const removed = await h.exec<{ removeFeatureFlagOverride: { removed: boolean } }>(
        REMOVE_OVERRIDE,
        { input: { key: 'new-course-player', tenantType: 'USER', tenantId: learner.userId } },
        admin,
      );
      expect(removed.data?.removeFeatureFlagOverride.removed).toBe(true);
      expect(
        (await evaluate(learner, { keys: ['new-course-player'], tenantId: community }))[0]?.variant,
      ).toBe('compact');
      const again = await h.exec<{ removeFeatureFlagOverride: { removed: boolean } }>(
        REMOVE_OVERRIDE,
        { input: { key: 'new-course-player', tenantType: 'USER', tenantId: learner.userId } },
        admin,
      );
      expect(again.data?.removeFeatureFlagOverride.removed).toBe(false);
      expect(await auditRows(h.dataSource, 'feature_flag.override_removed')).toHaveLength(1);
      expect((await auditRows(h.dataSource, 'feature_flag.override_set')).length).toBeGreaterThanOrEqual(3);
    });

    it('refuses an unknown variant, a non-uuid tenant and non-admins', async () => {
      const base = { key: 'new-course-player', tenantType: 'USER', tenantId: learner.userId, enabled: true };
      const bad = await h.exec(SET_OVERRIDE, { input: { ...base, variant: 'nope' } }, admin);
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
      expect(codes(await h.exec(SET_OVERRIDE, { input: { ...base, tenantId: 'abc' } }, admin))).toEqual([
        'BAD_USER_INPUT',
      ]);
      expect(codes(await h.exec(SET_OVERRIDE, { input: base }, learner))).toEqual(['FORBIDDEN']);
      expect(
        codes(
          await h.exec(
            REMOVE_OVERRIDE,
            { input: { key: 'new-course-player', tenantType: 'USER', tenantId: learner.userId } },
            null,
          ),
        ),
      ).toEqual(['UNAUTHENTICATED']);
    });

    it('archives a flag: it evaluates ARCHIVED, is hidden from the list, and refuses changes', async () => {
      await create({ key: 'old-thing', environments: ['test'], strategy: 'BOOLEAN' });
      const archived = await h.exec<{ archiveFeatureFlag: { featureFlag: { archivedAt: string | null } } }>(
        ARCHIVE,
        { input: { key: 'old-thing' } },
        admin,
      );
      expect(archived.data?.archiveFeatureFlag.featureFlag.archivedAt).not.toBeNull();
      expect((await evaluate(learner, { keys: ['old-thing'] }))[0]?.reason).toBe('ARCHIVED');
      expect(codes(await h.exec(UPDATE, { input: { key: 'old-thing', description: 'x' } }, admin))).toEqual([
        'FEATURE_FLAG_ARCHIVED',
      ]);
      expect(codes(await h.exec(ARCHIVE, { input: { key: 'old-thing' } }, learner))).toEqual(['FORBIDDEN']);
      const list = await h.exec<{ featureFlags: { edges: { node: { key: string } }[] } }>(FLAGS, {}, admin);
      expect(list.data?.featureFlags.edges.map((e) => e.node.key)).not.toContain('old-thing');
      const all = await h.exec<{ featureFlags: { edges: { node: { key: string } }[] } }>(
        FLAGS,
        { includeArchived: true },
        admin,
      );
      expect(all.data?.featureFlags.edges.map((e) => e.node.key)).toContain('old-thing');
      expect(await auditRows(h.dataSource, 'feature_flag.archived')).toHaveLength(1);
    });
  });

  describe('queries', () => {
    it('featureFlag and featureFlags are ADMIN only', async () => {
      for (const as of [null, learner, viewer(['SUPPORT'])]) {
        expect(codes(await h.exec(FLAG, { key: 'community-map' }, as))).toEqual([
          as ? 'FORBIDDEN' : 'UNAUTHENTICATED',
        ]);
        expect(codes(await h.exec(FLAGS, {}, as))).toEqual([as ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
      }
      const one = await h.exec<{ featureFlag: { key: string; overrides: unknown[] } }>(
        FLAG,
        { key: 'community-map' },
        admin,
      );
      expect(one.data?.featureFlag).toMatchObject({
        key: 'community-map',
        overrides: [{ tenantType: 'USER', tenantId: learner.userId, enabled: true, variant: null }],
      });
      expect(
        (await h.exec<{ featureFlag: null }>(FLAG, { key: 'missing' }, admin)).data?.featureFlag,
      ).toBeNull();
    });

    it('pages flags by key with a bounded number of SQL queries whatever the page size', async () => {
      for (let i = 0; i < 12; i += 1) {
        const key = `bulk-${String(i).padStart(2, '0')}`;
        await h.services.flags.create({ key, environments: ['test'], strategy: 'BOOLEAN' } as never, {
          actorId: admin.userId,
          requestId: null,
          ip: null,
        });
        await h.services.flags.setOverride(
          { key, tenantType: 'USER', tenantId: randomUUID(), enabled: true } as never,
          { actorId: admin.userId, requestId: null, ip: null },
        );
      }
      const small = await h.counter.measure(() => h.exec(FLAGS, { first: 2 }, admin));
      const large = await h.counter.measure(() => h.exec(FLAGS, { first: 12 }, admin));
      expect(small.result.errors).toBeUndefined();
      expect(large.result.errors).toBeUndefined();
      expect(large.queries).toBe(small.queries);
      expect(large.queries).toBeLessThanOrEqual(2);

      const keys: string[] = [];
      let after: string | null = null;
      do {
        const page: Awaited<
          ReturnType<
            typeof h.exec<{
              featureFlags: {
                edges: { node: { key: string } }[];
                pageInfo: { hasNextPage: boolean; endCursor: string | null };
              };
            }>
          >
        > = await h.exec(FLAGS, { first: 5, after }, admin);
        keys.push(...page.data!.featureFlags.edges.map((e) => e.node.key));
        after = page.data!.featureFlags.pageInfo.hasNextPage
          ? page.data!.featureFlags.pageInfo.endCursor
          : null;
      } while (after);
      expect(keys).toEqual([...keys].sort());
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys.filter((k) => k.startsWith('bulk-'))).toHaveLength(12);
      expect(codes(await h.exec(FLAGS, { first: 101 }, admin))).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('evaluation', () => {
    it('evaluates segment, percentage, environment and missing flags for the viewer', async () => {
      await create({
        key: 'instructor-beta',
        environments: ['test'],
        strategy: 'SEGMENT',
        segment: {
          roles: ['INSTRUCTOR'],
          appVersionRange: '>=2.0.0',
          attributes: [{ name: 'country', values: ['DE'] }],
        },
      });
      await create({ key: 'prod-only', environments: ['production'], strategy: 'BOOLEAN' });
      const input = {
        keys: ['instructor-beta', 'prod-only', 'does-not-exist'],
        appVersion: '2.1.0',
        attributes: [{ name: 'country', value: 'DE' }],
      };
      expect(await evaluate(instructor, input)).toEqual([
        { key: 'instructor-beta', enabled: true, variant: null, reason: 'STRATEGY' },
        { key: 'prod-only', enabled: false, variant: null, reason: 'ENVIRONMENT' },
        { key: 'does-not-exist', enabled: false, variant: null, reason: 'MISSING' },
      ]);
      expect((await evaluate(learner, input))[0]?.enabled).toBe(false);
      expect((await evaluate(instructor, { ...input, appVersion: '1.9.0' }))[0]?.enabled).toBe(false);
    });

    it('requires a signed-in viewer and 1–100 keys', async () => {
      expect(codes(await h.exec(EVALUATE, { input: { keys: ['community-map'] } }, null))).toEqual([
        'UNAUTHENTICATED',
      ]);
      expect(codes(await h.exec(EVALUATE, { input: { keys: [] } }, learner))).toEqual(['BAD_USER_INPUT']);
      const many = Array.from({ length: 101 }, (_, i) => `k-${i}`);
      expect(codes(await h.exec(EVALUATE, { input: { keys: many } }, learner))).toEqual(['BAD_USER_INPUT']);
      expect(
        codes(await h.exec(EVALUATE, { input: { keys: ['community-map'], tenantId: 'x' } }, learner)),
      ).toEqual(['BAD_USER_INPUT']);
    });

    it('publicFeatureFlags evaluates without a user: no roles, no USER overrides, anonymous bucketing', async () => {
      await h.services.flags.setOverride(
        { key: 'community-map', tenantType: 'USER', tenantId: learner.userId, enabled: false } as never,
        { actorId: admin.userId, requestId: null, ip: null },
      );
      const run = (input: Record<string, unknown>, as: ReturnType<typeof viewer> | null = null) =>
        h.exec<{ publicFeatureFlags: Evaluation[] }>(PUBLIC, { input }, as);
      const anonymous = await run({ keys: ['community-map', 'instructor-beta', 'new-course-player'] });
      expect(anonymous.errors).toBeUndefined();
      expect(anonymous.data?.publicFeatureFlags).toEqual([
        { key: 'community-map', enabled: true, variant: null, reason: 'STRATEGY' },
        { key: 'instructor-beta', enabled: false, variant: null, reason: 'STRATEGY' },
        { key: 'new-course-player', enabled: false, variant: null, reason: 'STRATEGY' },
      ]);
      // a signed-in caller gets the anonymous evaluation here too (their USER override does not apply)
      expect((await run({ keys: ['community-map'] }, learner)).data?.publicFeatureFlags[0]).toMatchObject({
        enabled: true,
        reason: 'STRATEGY',
      });
      // anonymous ids bucket stably, about half of them into a 50% flag
      const ids = Array.from({ length: 200 }, (_, i) => `visitor-${i}`);
      const results = await Promise.all(
        ids.map((anonymousId) => run({ keys: ['new-course-player'], anonymousId })),
      );
      const on = results.filter((r) => r.data?.publicFeatureFlags[0]?.enabled).length;
      expect(on).toBeGreaterThan(60);
      expect(on).toBeLessThan(140);
      const again = await run({ keys: ['new-course-player'], anonymousId: 'visitor-7' });
      expect(again.data?.publicFeatureFlags[0]).toEqual(results[7]?.data?.publicFeatureFlags[0]);
    });

    it('User.featureFlags is visible to the user themself and ADMIN only', async () => {
      const representations = [{ __typename: 'User', id: learner.userId }];
      const own = await h.exec<{ _entities: { id: string; featureFlags: Evaluation[] }[] }>(
        USER_FLAGS,
        { representations },
        learner,
      );
      expect(own.errors).toBeUndefined();
      const keys = own.data!._entities[0]!.featureFlags.map((f) => f.key);
      expect(keys).toContain('community-map');
      expect(keys).not.toContain('old-thing');
      expect(own.data!._entities[0]!.featureFlags.find((f) => f.key === 'community-map')).toMatchObject({
        enabled: false,
        reason: 'OVERRIDE',
      });
      const byAdmin = await h.exec<{ _entities: { featureFlags: Evaluation[] }[] }>(
        USER_FLAGS,
        { representations },
        admin,
      );
      expect(byAdmin.errors).toBeUndefined();
      expect(byAdmin.data!._entities[0]!.featureFlags.find((f) => f.key === 'community-map')?.reason).toBe(
        'OVERRIDE',
      );
      expect(codes(await h.exec(USER_FLAGS, { representations }, instructor))).toEqual(['FORBIDDEN']);
      // roles come from the viewer's token when it is the user; an ADMIN looking at them evaluates without roles
      await create({
        key: 'instructors-only',
        environments: ['test'],
        strategy: 'SEGMENT',
        segment: { roles: ['INSTRUCTOR'] },
      });
      const instructorRef = { representations: [{ __typename: 'User', id: instructor.userId }] };
      const self = await h.exec<{ _entities: { featureFlags: Evaluation[] }[] }>(
        USER_FLAGS,
        instructorRef,
        instructor,
      );
      expect(self.data!._entities[0]!.featureFlags.find((f) => f.key === 'instructors-only')?.enabled).toBe(
        true,
      );
      const seenByAdmin = await h.exec<{ _entities: { featureFlags: Evaluation[] }[] }>(
        USER_FLAGS,
        instructorRef,
        admin,
      );
      expect(
        seenByAdmin.data!._entities[0]!.featureFlags.find((f) => f.key === 'instructors-only')?.enabled,
      ).toBe(false);
      expect(codes(await h.exec(USER_FLAGS, { representations }, null))).toEqual(['FORBIDDEN']);
    });
  });

  it('resolves featureFlags for many users with a bounded number of SQL queries', async () => {
    const few = [randomUUID(), randomUUID()].map((id) => ({ __typename: 'User', id }));
    const many = Array.from({ length: 25 }, () => ({ __typename: 'User', id: randomUUID() }));
    h.runtime.cache.invalidate();
    const small = await h.counter.measure(() => h.exec(USER_FLAGS, { representations: few }, admin));
    h.runtime.cache.invalidate();
    const large = await h.counter.measure(() => h.exec(USER_FLAGS, { representations: many }, admin));
    expect(small.result.errors).toBeUndefined();
    expect(large.result.errors).toBeUndefined();
    expect(large.queries).toBe(small.queries);
    expect(large.queries).toBeLessThanOrEqual(2);
  });

  describe('caching', () => {
    it('serves evaluations from the cache (no SQL when warm) until a change invalidates it', async () => {
      const keys = ['community-map'];
      await evaluate(learner, { keys });
      const warm = await h.counter.measure(() => evaluate(learner, { keys }));
      expect(warm.queries).toBe(0);
      // A write that bypasses the service is not seen while the cache is fresh …
      await h.dataSource.query(
        `UPDATE "platform".feature_flags SET boolean_value = false WHERE key = 'community-map'`,
      );
      await h.services.flags.removeOverride(
        { key: 'community-map', tenantType: 'USER', tenantId: learner.userId } as never,
        {
          actorId: admin.userId,
          requestId: null,
          ip: null,
        },
      );
      // … but any change through the service invalidates at once.
      expect((await evaluate(learner, { keys }))[0]).toMatchObject({ enabled: false, reason: 'STRATEGY' });
    });

    it('expires entries after the TTL (≤ 30 s) even without a change', async () => {
      const keys = ['community-map'];
      await h.dataSource.query(
        `UPDATE "platform".feature_flags SET boolean_value = true WHERE key = 'community-map'`,
      );
      expect((await evaluate(learner, { keys }))[0]?.enabled).toBe(false);
      h.clock.now += 29_000;
      expect((await evaluate(learner, { keys }))[0]?.enabled).toBe(false);
      h.clock.now += 1_001;
      expect((await evaluate(learner, { keys }))[0]?.enabled).toBe(true);
    });

    it('invalidates the caches of other platform processes through Redis pub/sub', async () => {
      const { createPlatformRuntime } = await import('../../runtime.js');
      const other = await createPlatformRuntime({
        config: {
          flagEnvironment: 'test',
          flagCacheTtlMs: 30_000,
          auditIpHashSecret: 'x',
          queuePrefix: h.prefix,
        },
        dataSource: h.dataSource,
        redis: h.redis,
        logger: h.logger,
        cacheClock: () => h.clock.now,
      });
      try {
        const subject = other.services.flags.subjectFor(learner, {});
        expect((await other.services.flags.evaluate(['community-map'], subject))[0]?.enabled).toBe(true);
        const invalidated = new Promise<void>((resolve) => {
          const original = other.cache.invalidate.bind(other.cache);
          other.cache.invalidate = () => {
            original();
            resolve();
          };
        });
        await h.exec(KILL, { input: { key: 'community-map', killed: true } }, admin);
        await invalidated;
        expect((await other.services.flags.evaluate(['community-map'], subject))[0]?.reason).toBe('KILLED');
      } finally {
        await other.stop();
      }
    });
  });
});
