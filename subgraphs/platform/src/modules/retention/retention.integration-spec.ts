import 'reflect-metadata';
import {
  createEventTables,
  createRedis,
  recordEvent,
  startEventConsumer,
  startOutboxRelay,
  type DomainEvent,
  type EventConsumer,
  type OutboxRelay,
} from '@edugraph/kit';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatformBackground, type PlatformBackground } from '../../runtime.js';
import {
  auditRows,
  codes,
  usePlatformHarness,
  TEST_REDIS_URL,
  viewer,
} from '../../testing/platform-harness.js';
import { RETENTION_QUEUE, RETENTION_SCHEDULER_ID } from './retention.scheduler.js';
import type { RetentionRequestedPayload } from './retention.service.js';

const POLICIES = `{ retentionPolicies { id entity action afterDays enabled } }`;
const SET = `mutation($input: SetRetentionPolicyInput!) { setRetentionPolicy(input: $input) { policy { entity action afterDays enabled } } }`;
const RUN = `mutation($input: RunRetentionInput!) { runRetention(input: $input) { run { id dryRun status trigger startedAt finishedAt items { entity action afterDays affected status } } } }`;
const RUNS = `query($first: Int, $after: String) { retentionRuns(first: $first, after: $after) { edges { node { id dryRun status trigger items { entity affected status } } } pageInfo { hasNextPage endCursor } } }`;

type Item = { entity: string; action: string; afterDays: number; affected: number | null; status: string };
type Run = {
  id: string;
  dryRun: boolean;
  status: string;
  trigger: string;
  finishedAt: string | null;
  items: Item[];
};

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

describe('retention', () => {
  const h = usePlatformHarness('retention');
  const admin = viewer(['ADMIN']);

  it('seeds the default policies; retentionPolicies is ADMIN only', async () => {
    const result = await h.exec<{
      retentionPolicies: { entity: string; action: string; afterDays: number; enabled: boolean }[];
    }>(POLICIES, {}, admin);
    expect(result.errors).toBeUndefined();
    expect(
      result.data!.retentionPolicies.map(({ entity, afterDays, enabled }) => ({
        entity,
        afterDays,
        enabled,
      })),
    ).toEqual([
      { entity: 'identity.sessions', afterDays: 90, enabled: true },
      { entity: 'identity.verification_codes', afterDays: 30, enabled: true },
      { entity: 'insights.analytics_events', afterDays: 365, enabled: true },
      { entity: 'media.asset_events', afterDays: 180, enabled: true },
    ]);
    expect(codes(await h.exec(POLICIES, {}, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await h.exec(POLICIES, {}, viewer(['SUPPORT'])))).toEqual(['FORBIDDEN']);
  });

  it('setRetentionPolicy validates, upserts and audits; non-admins are refused', async () => {
    for (const input of [
      { entity: 'sessions', action: 'HARD_DELETE', afterDays: 30 },
      { entity: 'identity.sessions', action: 'HARD_DELETE', afterDays: 0 },
      { entity: 'identity.sessions', action: 'HARD_DELETE', afterDays: 3651 },
    ]) {
      expect(codes(await h.exec(SET, { input }, admin))).toEqual(['BAD_USER_INPUT']);
    }
    expect(
      codes(
        await h.exec(
          SET,
          { input: { entity: 'social.feed_items', action: 'HARD_DELETE', afterDays: 30 } },
          viewer(['LEARNER']),
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const created = await h.exec(
      SET,
      { input: { entity: 'social.feed_items', action: 'SOFT_DELETE', afterDays: 60, enabled: false } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    const updated = await h.exec<{ setRetentionPolicy: { policy: unknown } }>(
      SET,
      { input: { entity: 'identity.sessions', action: 'ANONYMISE', afterDays: 120 } },
      admin,
    );
    expect(updated.data?.setRetentionPolicy.policy).toEqual({
      entity: 'identity.sessions',
      action: 'ANONYMISE',
      afterDays: 120,
      enabled: true,
    });
    expect(
      (await auditRows(h.dataSource, 'retention_policy.created')).map((r) => r.metadata['entity']),
    ).toEqual(['social.feed_items']);
    const [change] = await auditRows(h.dataSource, 'retention_policy.updated');
    expect(change?.metadata).toMatchObject({
      entity: 'identity.sessions',
      afterDays: 120,
      previous: { action: 'HARD_DELETE', afterDays: 90, enabled: true },
    });
    // back to the default for the rest of the file
    await h.exec(
      SET,
      { input: { entity: 'identity.sessions', action: 'HARD_DELETE', afterDays: 90 } },
      admin,
    );
  });

  it('runRetention is ADMIN only', async () => {
    expect(codes(await h.exec(RUN, { input: { dryRun: true } }, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await h.exec(RUN, { input: { dryRun: true } }, viewer(['SUPPORT', 'FINANCE'])))).toEqual([
      'FORBIDDEN',
    ]);
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM "platform".retention_runs`);
    expect(n).toBe(0);
  });

  describe('a dry run, answered by a fake identity subgraph through real domain events', () => {
    let background: PlatformBackground;
    let identityConsumer: EventConsumer;
    let identityRelay: OutboxRelay;
    const requested: DomainEvent[] = [];

    beforeAll(async () => {
      const runner = h.dataSource.createQueryRunner();
      await runner.query(`CREATE SCHEMA fakeidentity`);
      await createEventTables(runner, 'fakeidentity');
      await runner.release();
      // "identity" answers for its own entities only: 7 sessions, 3 verification codes.
      identityConsumer = await startEventConsumer({
        consumer: 'fakeidentity',
        dataSource: h.dataSource,
        schema: 'fakeidentity',
        redisUrl: TEST_REDIS_URL,
        logger: h.logger,
        prefix: h.prefix,
        handlers: {
          'retention.requested': async (event, manager) => {
            requested.push(event);
            const payload = event.payload as RetentionRequestedPayload;
            for (const policy of payload.policies.filter((p) => p.entity.startsWith('identity.'))) {
              await recordEvent(manager, 'fakeidentity', {
                type: 'retention.applied',
                aggregateId: payload.runId,
                payload: {
                  runId: payload.runId,
                  entity: policy.entity,
                  dryRun: payload.dryRun,
                  affected: policy.entity === 'identity.sessions' ? 7 : 3,
                },
              });
            }
          },
        },
      });
      identityRelay = startOutboxRelay({
        dataSource: h.dataSource,
        schema: 'fakeidentity',
        source: 'identity',
        redisUrl: TEST_REDIS_URL,
        logger: h.logger,
        prefix: h.prefix,
        pollIntervalMs: 100,
      });
      background = await startPlatformBackground({
        config: {
          redisUrl: TEST_REDIS_URL,
          queuePrefix: h.prefix,
          retentionCron: '0 3 * * *',
          retentionScheduleEnabled: true,
          retentionScheduleDryRun: true,
        },
        dataSource: h.dataSource,
        services: h.services,
        logger: h.logger,
        pollIntervalMs: 100,
      });
    });
    afterAll(async () => {
      await background?.stop();
      await identityRelay?.stop();
      await identityConsumer?.stop();
    });

    it('records PENDING items, publishes retention.requested and fills the report from retention.applied', async () => {
      const result = await h.exec<{ runRetention: { run: Run } }>(RUN, { input: { dryRun: true } }, admin);
      expect(result.errors).toBeUndefined();
      const run = result.data!.runRetention.run;
      expect(run).toMatchObject({ dryRun: true, status: 'RUNNING', trigger: 'MANUAL', finishedAt: null });
      expect(run.items).toEqual([
        {
          entity: 'identity.sessions',
          action: 'HARD_DELETE',
          afterDays: 90,
          affected: null,
          status: 'PENDING',
        },
        {
          entity: 'identity.verification_codes',
          action: 'HARD_DELETE',
          afterDays: 30,
          affected: null,
          status: 'PENDING',
        },
        {
          entity: 'insights.analytics_events',
          action: 'HARD_DELETE',
          afterDays: 365,
          affected: null,
          status: 'PENDING',
        },
        {
          entity: 'media.asset_events',
          action: 'HARD_DELETE',
          afterDays: 180,
          affected: null,
          status: 'PENDING',
        },
      ]);
      const [outbox] = await h.dataSource.query(
        `SELECT event_type, aggregate_id, payload FROM "platform".outbox WHERE aggregate_id = $1`,
        [run.id],
      );
      expect(outbox).toMatchObject({
        event_type: 'retention.requested',
        payload: { runId: run.id, dryRun: true },
      });
      expect((outbox.payload as RetentionRequestedPayload).policies).toHaveLength(4);
      const [audit] = await auditRows(h.dataSource, 'retention.run_requested');
      expect(audit).toMatchObject({
        actor_id: admin.userId,
        target_id: run.id,
        metadata: { dryRun: true, trigger: 'MANUAL' },
      });

      const report = await until(async () => {
        const page = await h.exec<{ retentionRuns: { edges: { node: Run }[] } }>(RUNS, { first: 5 }, admin);
        const node = page.data?.retentionRuns.edges.find((e) => e.node.id === run.id)?.node;
        return node && node.items.filter((i) => i.status === 'APPLIED').length === 2 ? node : null;
      }, 'identity to answer');
      expect(requested.map((e) => e.source)).toEqual(['platform']);
      expect(report.items).toEqual([
        { entity: 'identity.sessions', affected: 7, status: 'APPLIED' },
        { entity: 'identity.verification_codes', affected: 3, status: 'APPLIED' },
        { entity: 'insights.analytics_events', affected: null, status: 'PENDING' },
        { entity: 'media.asset_events', affected: null, status: 'PENDING' },
      ]);
      // insights and media never answered: the run stays RUNNING
      expect(report.status).toBe('RUNNING');

      // once every owner answers, the run is COMPLETED
      await h.dataSource.transaction(async (manager) => {
        for (const entity of ['insights.analytics_events', 'media.asset_events']) {
          await h.services.retention.applyResult(manager, {
            id: crypto.randomUUID(),
            type: 'retention.applied',
            source: entity.split('.')[0]!,
            aggregateId: run.id,
            occurredAt: new Date().toISOString(),
            payload: { runId: run.id, entity, dryRun: true, affected: 0 },
          });
        }
      });
      const done = await h.services.retention.getRun(run.id);
      expect(done?.status).toBe('COMPLETED');
      expect(done?.finishedAt).toBeInstanceOf(Date);
    }, 60_000);

    it('registers the daily job at 03:00 UTC and a scheduled job starts a SCHEDULE run', async () => {
      const queue = background.scheduler!.queue;
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toEqual([
        expect.objectContaining({ key: RETENTION_SCHEDULER_ID, pattern: '0 3 * * *', tz: 'UTC' }),
      ]);
      const connection = createRedis(TEST_REDIS_URL, { forBullmq: true });
      const producer = new Queue(RETENTION_QUEUE, { connection, prefix: h.prefix });
      try {
        await producer.add('retention.run', {});
      } finally {
        await producer.close();
        connection.disconnect();
      }
      const run = await until(
        async () =>
          (
            await h.dataSource.query(`SELECT * FROM "platform".retention_runs WHERE trigger = 'SCHEDULE'`)
          )[0] as { dry_run: boolean; requested_by: string | null } | undefined,
        'the scheduled run',
      );
      expect(run).toMatchObject({ dry_run: true, requested_by: null });
    }, 60_000);
  });

  it('pages runs newest first with a bounded number of SQL queries', async () => {
    for (let i = 0; i < 5; i += 1)
      await h.services.retention.startRun({
        dryRun: true,
        trigger: 'MANUAL',
        actor: { actorId: admin.userId, requestId: null, ip: null },
      });
    const small = await h.counter.measure(() => h.exec(RUNS, { first: 1 }, admin));
    const large = await h.counter.measure(() => h.exec(RUNS, { first: 7 }, admin));
    expect(small.queries).toBe(2);
    expect(large.queries).toBe(2);
    const page = await h.exec<{ retentionRuns: { edges: { node: Run }[] } }>(RUNS, { first: 100 }, admin);
    expect(page.data!.retentionRuns.edges.length).toBeGreaterThanOrEqual(7);
    expect(codes(await h.exec(RUNS, {}, viewer(['SUPPORT'])))).toEqual(['FORBIDDEN']);
  });
});
