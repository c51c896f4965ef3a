import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { usePlatformHarness, viewer } from '../testing/platform-harness.js';
import { DEMO_CONFIG, DEMO_FLAGS, seedPlatformWith } from './demo-seed.js';

describe('demo seed', () => {
  const h = usePlatformHarness('seed');

  it('creates the demo flags and public config with progress, and is idempotent', async () => {
    const progress: [string, number | undefined, number | undefined][] = [];
    await seedPlatformWith(h.services, (message, done, total) => progress.push([message, done, total]));
    const total = DEMO_FLAGS.length + DEMO_CONFIG.length;
    expect(progress).toHaveLength(total);
    expect(progress.at(-1)).toEqual([expect.any(String), total, total]);
    expect(await h.services.flags.getByKey('new-course-player')).toMatchObject({
      strategy: 'PERCENTAGE',
      percentage: 50,
    });
    expect(await h.services.flags.getByKey('community-map')).toMatchObject({
      strategy: 'BOOLEAN',
      booleanValue: true,
    });
    // an operator's change survives a second seed
    await h.services.config.set(
      { key: 'platform.name', type: 'STRING', value: 'My Academy', exposure: 'PUBLIC' },
      { actorId: null, requestId: null, ip: null },
    );
    await seedPlatformWith(h.services, () => undefined);
    const [{ n }] = await h.dataSource.query(`SELECT count(*)::int AS n FROM "platform".feature_flags`);
    expect(n).toBe(DEMO_FLAGS.length);
    const result = await h.exec<{ publicConfig: { key: string; value: unknown }[] }>(
      '{ publicConfig { key value } }',
      {},
      null,
    );
    expect(result.data?.publicConfig).toEqual([
      { key: 'platform.name', value: 'My Academy' },
      { key: 'support.email', value: 'support@edugraph.local' },
    ]);
    const flags = await h.exec<{ evaluateFeatureFlags: { key: string; enabled: boolean }[] }>(
      'query($input: EvaluateFeatureFlagsInput!) { evaluateFeatureFlags(input: $input) { key enabled } }',
      { input: { keys: ['community-map'] } },
      viewer(),
    );
    expect(flags.data?.evaluateFeatureFlags).toEqual([{ key: 'community-map', enabled: true }]);
  });
});
