import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DAY } from '../../shared/clock.js';
import { useTestIdentity } from '../../testing/identity-harness.js';
import {
  MAINTENANCE_QUEUE,
  ROTATE_SIGNING_KEYS,
  type KeyRotationJobResult,
} from './key-rotation.schedule.js';

const t = useTestIdentity();

const queue = () => t.running.keyRotation.queue;

async function keyIds(): Promise<string[]> {
  const rows: { id: string }[] = await t.running.services.dataSource.query(
    `SELECT id FROM "identity".signing_keys ORDER BY created_at, id`,
  );
  return rows.map((r) => r.id);
}

describe('scheduled signing-key rotation', () => {
  it('schedules a rotation every 30 days by default, the first one an interval from now', async () => {
    expect(t.config.keyRotationDays).toBe(30);
    expect(queue().name).toBe(MAINTENANCE_QUEUE);
    const scheduler = await queue().getJobScheduler(ROTATE_SIGNING_KEYS);
    expect(scheduler?.every).toBe(30 * DAY);
    expect(scheduler?.next).toBeGreaterThan(Date.now() + 29 * DAY);
    const delayed = await queue().getDelayed();
    expect(delayed.map((j) => j.name)).toEqual([ROTATE_SIGNING_KEYS]);
    expect(delayed[0]!.opts.attempts).toBe(5);
  });

  it('a rotation job runs the CLI rotation: a new pending key, audited', async () => {
    const before = await keyIds();
    const job = await queue().add(ROTATE_SIGNING_KEYS, {});
    const deadline = Date.now() + 10_000;
    let state = await job.getState();
    while (state !== 'completed' && state !== 'failed') {
      if (Date.now() > deadline) throw new Error(`rotation job still ${state}`);
      await sleep(10);
      state = await job.getState();
    }
    expect(state).toBe('completed');
    const after = await keyIds();
    expect(after).toHaveLength(before.length + 1);
    const created = after.find((id) => !before.includes(id))!;
    const result = (await queue().getJob(job.id!))!.returnvalue as KeyRotationJobResult;
    expect(result).toEqual({ created, pending: null, removed: [] });
    const audits: { payload: { action: string; targetId: string } }[] =
      await t.running.services.dataSource.query(
        `SELECT payload FROM "identity".outbox WHERE event_type = 'audit.recorded'`,
      );
    expect(audits.map((a) => a.payload)).toContainEqual(
      expect.objectContaining({ action: 'identity.signing_key.rotated', targetId: created }),
    );
  });

  it('a restart keeps the next run; another interval reschedules; 0 removes the schedule', async () => {
    const next = (await queue().getJobScheduler(ROTATE_SIGNING_KEYS))?.next;
    await t.restart();
    expect((await queue().getJobScheduler(ROTATE_SIGNING_KEYS))?.next).toBe(next);

    await t.restart({ keyRotationDays: 7 });
    const weekly = await queue().getJobScheduler(ROTATE_SIGNING_KEYS);
    expect(weekly?.every).toBe(7 * DAY);
    expect(weekly?.next).toBeLessThan(Date.now() + 8 * DAY);
    expect(await queue().getDelayedCount()).toBe(1);

    await t.restart({ keyRotationDays: 0 });
    expect(await queue().getJobScheduler(ROTATE_SIGNING_KEYS)).toBeUndefined();
    expect(await queue().getDelayedCount()).toBe(0);
  });
});
