import 'reflect-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditRows, codes, usePlatformHarness, viewer } from '../../testing/platform-harness.js';

const ENTRY = 'key type value redacted exposure description updatedAt';
const SET = `mutation($input: SetConfigEntryInput!) { setConfigEntry(input: $input) { entry { ${ENTRY} } } }`;
const PUBLIC = `{ publicConfig { ${ENTRY} } }`;
const RUNTIME = `{ runtimeConfig { ${ENTRY} } }`;
const ONE = `query($key: String!) { configEntry(key: $key) { ${ENTRY} } }`;

type Entry = { key: string; type: string; value: unknown; redacted: boolean; exposure: string };
const SECRET_VALUE = 'sk_live_do-not-leak-0123456789';

describe('runtime config through GraphQL', () => {
  const h = usePlatformHarness('config');
  const admin = viewer(['ADMIN']);
  const support = viewer(['SUPPORT']);
  const learner = viewer(['LEARNER']);
  const responses: string[] = [];

  async function exec<T>(
    source: string,
    variables: Record<string, unknown>,
    as: ReturnType<typeof viewer> | null,
  ) {
    const result = await h.exec<T>(source, variables, as);
    responses.push(JSON.stringify(result));
    return result;
  }

  beforeAll(async () => {
    for (const input of [
      { key: 'platform.name', type: 'STRING', value: 'Edugraph', exposure: 'PUBLIC', description: 'Name' },
      { key: 'feature.limits', type: 'JSON', value: { uploads: 5 }, exposure: 'AUTHENTICATED' },
      { key: 'ops.maintenance_window', type: 'STRING', value: 'Sun 02:00', exposure: 'OPS' },
      { key: 'payments.stripe_secret', type: 'STRING', value: SECRET_VALUE, exposure: 'SECRET' },
    ]) {
      const result = await exec(SET, { input }, admin);
      expect(result.errors).toBeUndefined();
    }
  });

  it('publicConfig returns PUBLIC entries to anyone', async () => {
    const result = await exec<{ publicConfig: Entry[] }>(PUBLIC, {}, null);
    expect(result.errors).toBeUndefined();
    expect(result.data!.publicConfig.map((e) => e.key)).toEqual(['platform.name']);
    expect(result.data!.publicConfig[0]).toMatchObject({
      type: 'STRING',
      value: 'Edugraph',
      redacted: false,
    });
  });

  it('runtimeConfig shows more with each role; seeded defaults are there', async () => {
    const keysFor = async (as: ReturnType<typeof viewer>) => {
      const result = await exec<{ runtimeConfig: Entry[] }>(RUNTIME, {}, as);
      expect(result.errors).toBeUndefined();
      return result.data!.runtimeConfig;
    };
    const learnerKeys = (await keysFor(learner)).map((e) => e.key);
    expect(learnerKeys).toEqual(
      expect.arrayContaining(['platform.name', 'feature.limits', 'ebook.drm.max_downloads']),
    );
    expect(learnerKeys).not.toContain('ops.maintenance_window');
    expect(learnerKeys).not.toContain('commerce.commission.course_bps');
    expect(learnerKeys).not.toContain('payments.stripe_secret');

    const supportEntries = await keysFor(support);
    expect(supportEntries.find((e) => e.key === 'commerce.commission.course_bps')).toMatchObject({
      type: 'INT',
      value: 500,
    });
    expect(supportEntries.map((e) => e.key)).toContain('ops.maintenance_window');
    expect(supportEntries.map((e) => e.key)).not.toContain('payments.stripe_secret');

    const adminEntries = await keysFor(admin);
    expect(adminEntries.find((e) => e.key === 'payments.stripe_secret')).toEqual(
      expect.objectContaining({ exposure: 'SECRET', value: null, redacted: true, type: 'STRING' }),
    );
    expect(codes(await exec(RUNTIME, {}, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('configEntry applies the same visibility (NOT_FOUND when hidden)', async () => {
    expect(codes(await exec(ONE, { key: 'ops.maintenance_window' }, learner))).toEqual(['NOT_FOUND']);
    expect(codes(await exec(ONE, { key: 'payments.stripe_secret' }, support))).toEqual(['NOT_FOUND']);
    const secret = await exec<{ configEntry: Entry }>(ONE, { key: 'payments.stripe_secret' }, admin);
    expect(secret.data?.configEntry).toMatchObject({ value: null, redacted: true });
    expect(codes(await exec(ONE, { key: 'platform.name' }, null))).toEqual(['UNAUTHENTICATED']);
  });

  it('setConfigEntry validates the value against its type and changes nothing on error', async () => {
    const before = await h.dataSource.query(
      `SELECT key, value FROM "platform".runtime_config_entries ORDER BY key`,
    );
    const invalid = [
      { key: 'platform.name', type: 'INT', value: 'Edugraph', exposure: 'PUBLIC' },
      { key: 'platform.name', type: 'BOOLEAN', value: 1, exposure: 'PUBLIC' },
      { key: 'platform.limit', type: 'INT', value: 1.5, exposure: 'PUBLIC' },
      { key: 'platform.limit', type: 'INT', exposure: 'PUBLIC' },
      { key: 'Not A Key', type: 'STRING', value: 'x', exposure: 'PUBLIC' },
      { key: 'payments.stripe_secret', type: 'STRING', exposure: 'PUBLIC' },
    ];
    for (const input of invalid) expect(codes(await exec(SET, { input }, admin))).toEqual(['BAD_USER_INPUT']);
    expect(
      await h.dataSource.query(`SELECT key, value FROM "platform".runtime_config_entries ORDER BY key`),
    ).toEqual(before);
  });

  it('setConfigEntry is ADMIN only', async () => {
    const input = { key: 'platform.name', type: 'STRING', value: 'Hacked', exposure: 'PUBLIC' };
    expect(codes(await exec(SET, { input }, null))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await exec(SET, { input }, support))).toEqual(['FORBIDDEN']);
    expect(codes(await exec(SET, { input }, learner))).toEqual(['FORBIDDEN']);
    expect(await h.services.config.getValue('platform.name')).toBe('Edugraph');
  });

  it('updates keep metadata when the value is left out, and every change is audited without secret values', async () => {
    const renamed = await exec<{ setConfigEntry: { entry: Entry } }>(
      SET,
      { input: { key: 'platform.name', type: 'STRING', value: 'Edugraph Academy', exposure: 'PUBLIC' } },
      admin,
    );
    expect(renamed.data?.setConfigEntry.entry).toMatchObject({
      value: 'Edugraph Academy',
      description: 'Name',
    });
    const rotated = await exec<{ setConfigEntry: { entry: Entry } }>(
      SET,
      {
        input: {
          key: 'payments.stripe_secret',
          type: 'STRING',
          value: `${SECRET_VALUE}-2`,
          exposure: 'SECRET',
        },
      },
      admin,
    );
    expect(rotated.data?.setConfigEntry.entry).toMatchObject({ value: null, redacted: true });
    const created = await auditRows(h.dataSource, 'runtime_config.created');
    const updated = await auditRows(h.dataSource, 'runtime_config.updated');
    expect(created).toHaveLength(4);
    expect(updated.map((r) => r.metadata['key'])).toEqual(['platform.name', 'payments.stripe_secret']);
    expect(updated[0]?.metadata).toMatchObject({
      value: 'Edugraph Academy',
      previousValue: 'Edugraph',
      valueChanged: true,
    });
    expect(updated[1]?.metadata).toMatchObject({ exposure: 'SECRET', valueChanged: true });
    expect(JSON.stringify([...created, ...updated])).not.toContain(SECRET_VALUE);
    expect(updated.every((r) => r.actor_id === admin.userId)).toBe(true);
  });

  it('getSecret reads secrets for server code only', async () => {
    expect(await h.services.config.getSecret('payments.stripe_secret')).toBe(`${SECRET_VALUE}-2`);
    expect(await h.services.config.getSecret('missing.secret')).toBeNull();
    await expect(h.services.config.getSecret('platform.name')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await h.services.config.getValue('payments.stripe_secret')).toBeNull();
  });

  it('never returned a SECRET value through GraphQL to anyone', () => {
    expect(responses.length).toBeGreaterThan(10);
    for (const response of responses) expect(response).not.toContain('sk_live_do-not-leak');
  });
});
