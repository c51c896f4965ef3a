import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createMigratedTestDatabase, type MigratedTestDatabase } from '@edugraph/kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communityMigrations } from './index.js';

const MODERATION_TABLES = [
  'moderation_settings',
  'moderation_cases',
  'moderation_reports',
  'moderation_flags',
  'moderation_actions',
];

describe('community migrations (moderation)', () => {
  let m: MigratedTestDatabase;

  beforeAll(async () => {
    m = await createMigratedTestDatabase({
      schema: 'community',
      migrations: communityMigrations,
      prefix: 'community_moderation_migrations',
    });
  });
  afterAll(async () => {
    await m?.close();
  });

  async function insert(table: string, row: Record<string, unknown>): Promise<void> {
    const names = Object.keys(row);
    await m.dataSource.query(
      `INSERT INTO "community".${table} (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(row),
    );
  }

  async function community(): Promise<string> {
    const c = randomUUID();
    await insert('communities', {
      id: c,
      owner_id: randomUUID(),
      name: 'Calm place',
      slug: `m-${c.slice(0, 8)}`,
    });
    return c;
  }

  async function kase(c: string, columns: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    await insert('moderation_cases', {
      id,
      community_id: c,
      target_type: 'POST',
      target_id: randomUUID(),
      opened_at: new Date(),
      ...columns,
    });
    return id;
  }

  function action(c: string, caseId: string, columns: Record<string, unknown> = {}) {
    return insert('moderation_actions', {
      id: randomUUID(),
      community_id: c,
      case_id: caseId,
      actor_id: randomUUID(),
      action: 'APPROVE',
      target_type: 'POST',
      target_id: randomUUID(),
      before: {},
      after: {},
      ...columns,
    });
  }

  it('creates the moderation tables', async () => {
    expect(await m.tables()).toEqual(expect.arrayContaining(MODERATION_TABLES));
  });

  it('keeps one case per target, severity consistent with the risk score, resolutions with status', async () => {
    const c = await community();
    const target = randomUUID();
    await kase(c, { target_id: target });
    await expect(kase(c, { target_id: target })).rejects.toThrow(/uq_moderation_cases_target/);
    await kase(c, { risk_score: 80, severity: 'CRITICAL' });
    await kase(c, { risk_score: 60, severity: 'HIGH' });
    await kase(c, { risk_score: 35, severity: 'MEDIUM' });
    await kase(c, { risk_score: 34, severity: 'LOW' });
    await expect(kase(c, { risk_score: 79, severity: 'CRITICAL' })).rejects.toThrow(
      /ck_moderation_cases_severity/,
    );
    await expect(kase(c, { risk_score: 101, severity: 'CRITICAL' })).rejects.toThrow(
      /ck_moderation_cases_scores/,
    );
    await expect(kase(c, { status: 'RESOLVED' })).rejects.toThrow(/ck_moderation_cases_resolution/);
    await expect(kase(c, { target_type: 'POLL' })).rejects.toThrow(/ck_moderation_cases_target_type/);
  });

  it('allows one open report per reporter and target, and one flag per case and kind', async () => {
    const c = await community();
    const target = randomUUID();
    const caseId = await kase(c, { target_id: target });
    const reporter = randomUUID();
    const report = (columns: Record<string, unknown> = {}) =>
      insert('moderation_reports', {
        id: randomUUID(),
        case_id: caseId,
        community_id: c,
        reporter_id: reporter,
        target_type: 'POST',
        target_id: target,
        reason: 'SPAM',
        ...columns,
      });
    await report();
    await expect(report()).rejects.toThrow(/uq_moderation_reports_open/);
    await report({ status: 'CLOSED', closed_at: new Date() });
    await expect(report({ reporter_id: randomUUID(), reason: 'RUDE' })).rejects.toThrow(
      /ck_moderation_reports_reason/,
    );
    await expect(report({ reporter_id: randomUUID(), status: 'CLOSED' })).rejects.toThrow(
      /ck_moderation_reports_closed/,
    );
    const flag = (kind: string, score = 40) =>
      insert('moderation_flags', { id: randomUUID(), case_id: caseId, kind, score });
    await flag('BAD_WORDS');
    await expect(flag('BAD_WORDS')).rejects.toThrow(/uq_moderation_flags_kind/);
    await expect(flag('LINK_SPAM', 0)).rejects.toThrow(/ck_moderation_flags_score/);
    await expect(flag('CAPS')).rejects.toThrow(/ck_moderation_flags_kind/);
  });

  it('keeps the action audit append-only and undoes an action at most once', async () => {
    const c = await community();
    const caseId = await kase(c);
    const first = randomUUID();
    await action(c, caseId, { id: first });
    await action(c, caseId, { action: 'UNDO', undoes_action_id: first });
    await expect(action(c, caseId, { action: 'UNDO', undoes_action_id: first })).rejects.toThrow(
      /uq_moderation_actions_undo/,
    );
    await expect(action(c, caseId, { action: 'UNDO' })).rejects.toThrow(/ck_moderation_actions_undo/);
    await expect(action(c, caseId, { actor_id: null })).rejects.toThrow(/ck_moderation_actions_actor/);
    await action(c, caseId, { action: 'AUTO_SUPPRESS', actor_id: null });
    await expect(
      m.dataSource.query(`UPDATE "community".moderation_actions SET reason = 'x' WHERE id = $1`, [first]),
    ).rejects.toThrow(/append-only/);
    await expect(
      m.dataSource.query(`DELETE FROM "community".moderation_actions WHERE id = $1`, [first]),
    ).rejects.toThrow(/append-only/);
    await expect(m.dataSource.query(`TRUNCATE "community".moderation_actions`)).rejects.toThrow(
      /append-only/,
    );
  });

  it('reverts to an empty schema and applies again', async () => {
    await m.revertAll();
    expect(await m.tables()).toEqual(['migrations']);
    await m.reapply();
    expect(await m.tables()).toEqual(expect.arrayContaining(MODERATION_TABLES));
  });
});
