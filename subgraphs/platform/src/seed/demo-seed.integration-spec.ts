import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { usePlatformHarness, viewer } from '../testing/platform-harness.js';
import { DEMO_CONFIG, DEMO_FLAGS, seedPlatformWith } from './demo-seed.js';
import { SYSTEM_ACTOR } from '../common/audit-actor.js';
import { UI_THEME_ROLLOUT_FLAG, UI_THEMES } from './ui-themes.js';

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
      { key: 'ui.themes', value: UI_THEMES },
    ]);
    const flags = await h.exec<{ evaluateFeatureFlags: { key: string; enabled: boolean }[] }>(
      'query($input: EvaluateFeatureFlagsInput!) { evaluateFeatureFlags(input: $input) { key enabled } }',
      { input: { keys: ['community-map'] } },
      viewer(),
    );
    expect(flags.data?.evaluateFeatureFlags).toEqual([{ key: 'community-map', enabled: true }]);
  });

  it('delivers the theme packs to anonymous clients and rolls the seasonal theme out and back with its flag', async () => {
    await seedPlatformWith(h.services, () => undefined);
    const THEME_FLAG = `query($input: PublicFeatureFlagsInput!) {
      publicFeatureFlags(input: $input) { key enabled variant reason }
    }`;
    const input = { keys: [UI_THEME_ROLLOUT_FLAG], anonymousId: 'visitor-1' };
    const before = await h.exec<{ publicFeatureFlags: unknown[] }>(THEME_FLAG, { input }, null);
    expect(before.data?.publicFeatureFlags).toEqual([
      { key: UI_THEME_ROLLOUT_FLAG, enabled: false, variant: null, reason: 'STRATEGY' },
    ]);
    const packs = UI_THEMES.packs.map((p) => p.id);
    expect(packs).toEqual(['light', 'dark', 'high-contrast', 'winter']);

    await h.services.flags.update({ key: UI_THEME_ROLLOUT_FLAG, booleanValue: true }, SYSTEM_ACTOR);
    const rolledOut = await h.exec<{ publicFeatureFlags: unknown[] }>(THEME_FLAG, { input }, null);
    expect(rolledOut.data?.publicFeatureFlags).toEqual([
      { key: UI_THEME_ROLLOUT_FLAG, enabled: true, variant: 'winter', reason: 'STRATEGY' },
    ]);

    await h.services.flags.setKillSwitch(UI_THEME_ROLLOUT_FLAG, true, SYSTEM_ACTOR);
    const rolledBack = await h.exec<{ publicFeatureFlags: unknown[] }>(THEME_FLAG, { input }, null);
    expect(rolledBack.data?.publicFeatureFlags).toEqual([
      { key: UI_THEME_ROLLOUT_FLAG, enabled: false, variant: null, reason: 'KILLED' },
    ]);
  });
});
