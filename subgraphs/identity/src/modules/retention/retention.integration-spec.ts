import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { recordEvent } from '@edugraph/kit';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../shared/clock.js';
import { signUp, useTestIdentity } from '../../testing/identity-harness.js';
import { createRetentionHandler, RETENTION_REQUESTED } from './retention.handler.js';

const t = useTestIdentity();

const ago = (days: number) => new Date(t.clock.now().getTime() - days * DAY);

/** Sessions: revoked 100 d ago, expired 100 d ago, revoked 10 d ago, active. Codes: expired 40 d and 10 d ago. */
async function fixtures(userId: string): Promise<void> {
  const q = (sql: string, params: unknown[]) => t.running.services.dataSource.query(sql, params);
  const session = (created: Date, expires: Date, revoked: Date | null) =>
    q(
      `INSERT INTO "identity".sessions (id, user_id, created_at, last_used_at, expires_at, absolute_expires_at, revoked_at)
       VALUES ($1, $2, $3, $3, $4, $4, $5)`,
      [randomUUID(), userId, created, expires, revoked],
    );
  await session(ago(150), ago(120), ago(100));
  await session(ago(150), ago(100), null);
  await session(ago(20), ago(-10), ago(10));
  const code = (expires: Date) =>
    q(
      `INSERT INTO "identity".verification_codes (id, user_id, purpose, code_hash, created_at, expires_at)
       VALUES ($1, $2, 'EMAIL_VERIFICATION', 'h', $3, $3)`,
      [randomUUID(), userId, expires],
    );
  await code(ago(40));
  await code(ago(10));
}

async function applied(runId: string): Promise<{ entity: string; dryRun: boolean; affected: number }[]> {
  const rows: { payload: { entity: string; dryRun: boolean; affected: number } }[] =
    await t.running.services.dataSource.query(
      `SELECT payload FROM "identity".outbox WHERE event_type = 'retention.applied' AND payload->>'runId' = $1 ORDER BY payload->>'entity'`,
      [runId],
    );
  return rows.map((r) => ({
    entity: r.payload.entity,
    dryRun: r.payload.dryRun,
    affected: r.payload.affected,
  }));
}

const POLICIES = [
  { entity: 'identity.sessions', action: 'HARD_DELETE', afterDays: 90 },
  { entity: 'identity.verification_codes', action: 'HARD_DELETE', afterDays: 30 },
  { entity: 'learning.enrollments', action: 'HARD_DELETE', afterDays: 1 },
];

describe('retention', () => {
  it('dry run counts, a real run deletes, and both report retention.applied per entity', async () => {
    const user = await signUp(t);
    await fixtures(user.user.id);
    const handler = createRetentionHandler(t.clock);
    const { dataSource } = t.running.services;
    const count = async (table: string) =>
      (
        (await dataSource.query(`SELECT count(*)::int AS c FROM "identity".${table} WHERE user_id = $1`, [
          user.user.id,
        ])) as { c: number }[]
      )[0]!.c;

    const dry = {
      id: randomUUID(),
      type: RETENTION_REQUESTED,
      source: 'platform',
      aggregateId: 'run-dry',
      occurredAt: new Date().toISOString(),
      payload: { runId: 'run-dry', dryRun: true, policies: POLICIES },
    };
    await dataSource.transaction((manager) => handler(dry, manager));
    expect(await applied('run-dry')).toEqual([
      { entity: 'identity.sessions', dryRun: true, affected: 2 },
      { entity: 'identity.verification_codes', dryRun: true, affected: 1 },
    ]);
    expect(await count('sessions')).toBe(4);
    expect(await count('verification_codes')).toBe(3);

    const real = {
      ...dry,
      id: randomUUID(),
      aggregateId: 'run-real',
      payload: { runId: 'run-real', dryRun: false, policies: POLICIES },
    };
    await dataSource.transaction((manager) => handler(real, manager));
    expect(await applied('run-real')).toEqual([
      { entity: 'identity.sessions', dryRun: false, affected: 2 },
      { entity: 'identity.verification_codes', dryRun: false, affected: 1 },
    ]);
    // The sign-up session and the recent ones stay.
    expect(await count('sessions')).toBe(2);
    expect(await count('verification_codes')).toBe(2);
  });

  it('consumes retention.requested from the event bus (outbox relay → consumer → handler)', async () => {
    const { dataSource } = t.running.services;
    await dataSource.transaction((manager) =>
      recordEvent(manager, 'identity', {
        type: RETENTION_REQUESTED,
        aggregateId: 'run-bus',
        payload: { runId: 'run-bus', dryRun: true, policies: POLICIES.slice(0, 1) },
      }),
    );
    await t.running.relay.flush();
    let result: Awaited<ReturnType<typeof applied>> = [];
    for (let i = 0; i < 100 && result.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      result = await applied('run-bus');
    }
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ entity: 'identity.sessions', dryRun: true });
    const inbox: unknown[] = await dataSource.query(`SELECT 1 FROM "identity".inbox WHERE event_type = $1`, [
      RETENTION_REQUESTED,
    ]);
    expect(inbox).toHaveLength(1);
  });
});
