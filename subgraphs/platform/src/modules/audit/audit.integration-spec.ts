import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import {
  consumerQueueName,
  createEventTables,
  createRedis,
  recordEvent,
  startOutboxRelay,
  type DomainEvent,
  type EventOutcome,
} from '@edugraph/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../common/audit-actor.js';
import { startPlatformBackground, type PlatformBackground } from '../../runtime.js';
import { codes, usePlatformHarness, TEST_REDIS_URL, viewer } from '../../testing/platform-harness.js';

const LIST = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id actorId actor { id } action targetType targetId requestId ipHash metadata source occurredAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type Page = {
  auditEvents: {
    edges: {
      node: {
        id: string;
        actorId: string | null;
        actor: { id: string } | null;
        action: string;
        targetType: string;
        targetId: string | null;
        occurredAt: string;
        source: string;
        metadata: Record<string, unknown>;
      };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

describe('audit log', () => {
  const h = usePlatformHarness('audit');
  const admin = viewer(['ADMIN']);
  const actorA = randomUUID();
  const actorB = randomUUID();

  beforeAll(async () => {
    // 30 rows: alternating actors and actions, one minute apart, on two targets.
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < 30; i += 1) {
      await h.dataSource.query(
        `INSERT INTO "platform".audit_events (id, actor_id, action, target_type, target_id, metadata, source, occurred_at)
         VALUES ($1, $2, $3, 'Course', $4, '{}', 'learning', $5)`,
        [
          randomUUID(),
          i % 2 === 0 ? actorA : actorB,
          i % 3 === 0 ? 'course.published' : 'course.updated',
          i < 15 ? 'c-1' : 'c-2',
          new Date(base + i * 60_000),
        ],
      );
    }
  });

  it('is ADMIN and SUPPORT only', async () => {
    expect(codes(await h.exec(LIST, {}, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await h.exec(LIST, {}, viewer(['LEARNER'])))).toEqual(['FORBIDDEN']);
    expect(codes(await h.exec(LIST, {}, viewer(['FINANCE', 'MODERATOR'])))).toEqual(['FORBIDDEN']);
    expect((await h.exec(LIST, {}, viewer(['SUPPORT']))).errors).toBeUndefined();
  });

  it('lists newest first with keyset pages that neither skip nor repeat', async () => {
    const seen: string[] = [];
    const times: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const result: Awaited<ReturnType<typeof h.exec<Page>>> = await h.exec<Page>(
        LIST,
        { first: 7, after, filter: { targetType: 'Course' } },
        admin,
      );
      expect(result.errors).toBeUndefined();
      seen.push(...result.data!.auditEvents.edges.map((e) => e.node.id));
      times.push(...result.data!.auditEvents.edges.map((e) => e.node.occurredAt));
      after = result.data!.auditEvents.pageInfo.hasNextPage
        ? result.data!.auditEvents.pageInfo.endCursor
        : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('filters by actor, action, target and time window', async () => {
    const run = async (filter: Record<string, unknown>) => {
      const result = await h.exec<Page>(LIST, { filter, first: 100 }, admin);
      expect(result.errors).toBeUndefined();
      return result.data!.auditEvents.edges.map((e) => e.node);
    };
    const byA = await run({ actorId: actorA });
    expect(byA).toHaveLength(15);
    expect(byA.every((n) => n.actorId === actorA && n.actor?.id === actorA)).toBe(true);
    expect(await run({ action: 'course.published' })).toHaveLength(10);
    expect(await run({ targetType: 'Course', targetId: 'c-2' })).toHaveLength(15);
    const window = await run({ from: '2026-01-01T00:10:00Z', to: '2026-01-01T00:20:00Z' });
    expect(window).toHaveLength(10);
    expect(await run({ actorId: actorB, action: 'course.published', targetId: 'c-1' })).toHaveLength(
      Array.from({ length: 15 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 === 0).length,
    );
    expect(
      codes(
        await h.exec(LIST, { filter: { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' } }, admin),
      ),
    ).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.exec(LIST, { filter: { actorId: 'nope' } }, admin))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.exec(LIST, { first: 500 }, admin))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await h.exec(LIST, { after: 'garbage' }, admin))).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses filter texts longer than any stored value', async () => {
    const long = 'x'.repeat(201);
    for (const field of ['action', 'targetType', 'targetId']) {
      const result = await h.exec(LIST, { filter: { [field]: long } }, admin);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors?.[0]?.extensions?.['field']).toBe(field);
    }
    expect(codes(await h.exec(LIST, { filter: { action: 'x'.repeat(200) } }, admin))).toEqual([]);
  });

  it('costs one SQL query per page whatever its size', async () => {
    const small = await h.counter.measure(() => h.exec(LIST, { first: 2 }, admin));
    const large = await h.counter.measure(() => h.exec(LIST, { first: 30 }, admin));
    expect(small.queries).toBe(1);
    expect(large.queries).toBe(1);
  });

  it('is append-only in the database: UPDATE and DELETE through the app connection fail', async () => {
    await expect(h.dataSource.query(`UPDATE "platform".audit_events SET action = 'x'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(
      h.dataSource.query(`DELETE FROM "platform".audit_events WHERE actor_id = $1`, [actorA]),
    ).rejects.toThrow(/append-only/);
    const [{ n }] = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM "platform".audit_events WHERE actor_id = $1`,
      [actorA],
    );
    expect(n).toBe(15);
  });

  it('recordFromEvent uses the event id as row id: the same event twice is one row', async () => {
    const event: DomainEvent = {
      id: randomUUID(),
      type: 'audit.recorded',
      source: 'identity',
      aggregateId: actorA,
      occurredAt: new Date().toISOString(),
      payload: {
        actorId: actorA,
        action: 'user.suspended',
        targetType: 'User',
        targetId: actorB,
        requestId: 'r-1',
        ipHash: 'abc',
        metadata: { reason: 'spam' },
        occurredAt: '2026-02-01T10:00:00.000Z',
      },
    };
    await h.dataSource.transaction((manager) => h.services.audit.recordFromEvent(manager, event));
    await h.dataSource.transaction((manager) => h.services.audit.recordFromEvent(manager, event));
    const rows = await h.dataSource.query(`SELECT * FROM "platform".audit_events WHERE id = $1`, [event.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor_id: actorA,
      action: 'user.suspended',
      target_type: 'User',
      target_id: actorB,
      source: 'identity',
      metadata: { reason: 'spam' },
    });
    expect((rows[0].occurred_at as Date).toISOString()).toBe('2026-02-01T10:00:00.000Z');
  });

  it('records an invalid audit.recorded event as audit.rejected_event instead of failing forever', async () => {
    const event: DomainEvent = {
      id: randomUUID(),
      type: 'audit.recorded',
      source: 'media',
      aggregateId: 'x',
      occurredAt: new Date().toISOString(),
      payload: { actorId: 'system' },
    };
    await h.dataSource.transaction((manager) => h.services.audit.recordFromEvent(manager, event));
    const [row] = await h.dataSource.query(`SELECT * FROM "platform".audit_events WHERE id = $1`, [event.id]);
    expect(row).toMatchObject({
      action: 'audit.rejected_event',
      target_type: 'DomainEvent',
      target_id: event.id,
      actor_id: null,
      source: 'media',
    });
  });

  describe('audit.recorded consumer (real outbox relay, BullMQ and inbox)', () => {
    let background: PlatformBackground;
    let queue: Queue<DomainEvent>;
    const queueConnection = createRedis(TEST_REDIS_URL, { forBullmq: true });
    const outcomes: { id: string; outcome: EventOutcome }[] = [];
    const waiters: { id: string; outcome: EventOutcome; resolve: () => void }[] = [];

    function waitFor(id: string, outcome: EventOutcome): Promise<void> {
      if (outcomes.some((o) => o.id === id && o.outcome === outcome)) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ id, outcome, resolve }));
    }

    beforeAll(async () => {
      background = await startPlatformBackground({
        config: {
          redisUrl: TEST_REDIS_URL,
          queuePrefix: h.prefix,
          retentionCron: '0 3 * * *',
          retentionScheduleEnabled: false,
          retentionScheduleDryRun: false,
        },
        dataSource: h.dataSource,
        services: h.services,
        logger: h.logger,
        onEventProcessed: (event, outcome) => {
          outcomes.push({ id: event.id, outcome });
          for (const w of waiters) if (w.id === event.id && w.outcome === outcome) w.resolve();
        },
      });
      const runner = h.dataSource.createQueryRunner();
      await runner.query(`CREATE SCHEMA othersub`);
      await createEventTables(runner, 'othersub');
      await runner.release();
      queue = new Queue<DomainEvent>(consumerQueueName('platform'), {
        connection: queueConnection,
        prefix: h.prefix,
      });
    });
    afterAll(async () => {
      await queue?.close();
      queueConnection.disconnect();
      await background?.stop();
    });

    it('a redelivered event adds no second row', async () => {
      const eventId = await h.dataSource.transaction((manager) =>
        recordEvent(manager, 'othersub', {
          type: 'audit.recorded',
          aggregateId: actorB,
          payload: {
            actorId: actorB,
            action: 'community.member_banned',
            targetType: 'Membership',
            targetId: 'm-1',
            requestId: 'r-9',
            ipHash: null,
            metadata: {},
            occurredAt: new Date().toISOString(),
          },
        }),
      );
      const relay = startOutboxRelay({
        dataSource: h.dataSource,
        schema: 'othersub',
        source: 'othersub',
        redisUrl: TEST_REDIS_URL,
        logger: h.logger,
        prefix: h.prefix,
        listen: false,
        pollIntervalMs: 60_000,
      });
      let delivered: DomainEvent | undefined;
      try {
        await relay.flush();
        await waitFor(eventId, 'handled');
        const [job] = await queue.getJobs(['completed'], 0, 10);
        delivered = job?.data;
      } finally {
        await relay.stop();
      }
      expect(delivered?.id).toBe(eventId);
      // At-least-once: the same event delivered again under another job id (e.g. after a relay crash).
      await queue.add('audit.recorded', delivered!, { jobId: randomUUID() });
      await waitFor(eventId, 'duplicate');
      const rows = await h.dataSource.query(
        `SELECT action, source, actor_id FROM "platform".audit_events WHERE id = $1`,
        [eventId],
      );
      expect(rows).toEqual([{ action: 'community.member_banned', source: 'othersub', actor_id: actorB }]);
    });
  });

  it('writes platform changes with the system actor when there is no viewer', async () => {
    await h.services.config.set(
      { key: 'platform.name', type: 'STRING', value: 'X', exposure: 'PUBLIC' },
      SYSTEM_ACTOR,
    );
    const [row] = await h.dataSource.query(
      `SELECT * FROM "platform".audit_events WHERE action = 'runtime_config.created'`,
    );
    expect(row).toMatchObject({ actor_id: null, request_id: null, ip_hash: null, source: 'platform' });
  });
});
