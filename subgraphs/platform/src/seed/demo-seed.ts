import { createLogger, createRedis, type EnvRecord, type ProgressReporter } from '@edugraph/kit';
import { SYSTEM_ACTOR } from '../common/audit-actor.js';
import { createPlatformDataSource } from '../data-source.js';
import { readPlatformConfig } from '../environment.js';
import { FeatureFlagStrategy } from '../modules/feature-flag/feature-flag.type.js';
import type { CreateFeatureFlagInput } from '../modules/feature-flag/feature-flag.input.js';
import type { SetConfigEntryCommand } from '../modules/runtime-config/runtime-config.service.js';
import type { PlatformServices } from '../platform-services.js';
import { createPlatformRuntime } from '../runtime.js';
import { UI_THEME_ROLLOUT_FLAG, UI_THEMES, UI_THEMES_CONFIG_KEY } from './ui-themes.js';

const ENVIRONMENTS = ['development', 'test', 'staging', 'production'];

export const DEMO_FLAGS: CreateFeatureFlagInput[] = [
  {
    key: 'new-course-player',
    description: 'The redesigned course player for half of the learners.',
    environments: ENVIRONMENTS,
    strategy: FeatureFlagStrategy.PERCENTAGE,
    percentage: 50,
    variants: [
      { key: 'classic-controls', weight: 50 },
      { key: 'compact-controls', weight: 50 },
    ],
  },
  {
    key: 'community-map',
    description: 'Map view of communities with a location.',
    environments: ENVIRONMENTS,
    strategy: FeatureFlagStrategy.BOOLEAN,
    booleanValue: true,
  },
  {
    key: 'instructor-analytics-beta',
    description: 'Beta instructor dashboards for instructors and admins.',
    environments: ENVIRONMENTS,
    strategy: FeatureFlagStrategy.SEGMENT,
    segment: { roles: ['INSTRUCTOR', 'ADMIN'] },
  },
  {
    key: UI_THEME_ROLLOUT_FLAG,
    description:
      'Rolls a theme pack out as the default for people who have not chosen one: the variant names the pack in ui.themes. Off = rolled back.',
    environments: ENVIRONMENTS,
    strategy: FeatureFlagStrategy.BOOLEAN,
    booleanValue: false,
    variants: [{ key: 'winter', weight: 100 }],
  },
];

export const DEMO_CONFIG: SetConfigEntryCommand[] = [
  {
    key: 'platform.name',
    type: 'STRING',
    value: 'Edugraph',
    exposure: 'PUBLIC',
    description: 'Product name shown in the clients.',
  },
  {
    key: 'support.email',
    type: 'STRING',
    value: 'support@edugraph.local',
    exposure: 'PUBLIC',
    description: 'Where users reach support.',
  },
  {
    key: UI_THEMES_CONFIG_KEY,
    type: 'JSON',
    value: UI_THEMES,
    exposure: 'PUBLIC',
    description: 'Theme packs (design tokens) of the web app; the flag ui-theme-rollout picks the default.',
  },
];

/** Idempotent: creates what is missing and never overwrites an operator's change. */
export async function seedPlatformWith(
  services: PlatformServices,
  progress: ProgressReporter,
): Promise<void> {
  const total = DEMO_FLAGS.length + DEMO_CONFIG.length;
  let done = 0;
  for (const flag of DEMO_FLAGS) {
    if (!(await services.flags.getByKey(flag.key))) await services.flags.create(flag, SYSTEM_ACTOR);
    done += 1;
    progress(`flag ${flag.key}`, done, total);
  }
  const existing = new Set((await services.config.list(['PUBLIC'])).map((e) => e.key));
  for (const entry of DEMO_CONFIG) {
    if (!existing.has(entry.key)) await services.config.set(entry, SYSTEM_ACTOR);
    done += 1;
    progress(`config ${entry.key}`, done, total);
  }
}

export async function seedPlatformDemo(env: EnvRecord, progress: ProgressReporter): Promise<void> {
  const config = readPlatformConfig(env);
  const logger = createLogger({ name: 'platform-seed', production: config.nodeEnv === 'production' });
  const dataSource = createPlatformDataSource(config.databaseUrl, { poolSize: 1 });
  await dataSource.initialize();
  const redis = createRedis(config.redisUrl, { name: 'platform-seed' });
  try {
    const runtime = await createPlatformRuntime({ config, dataSource, redis, logger });
    try {
      await seedPlatformWith(runtime.services, progress);
    } finally {
      await runtime.stop();
    }
  } finally {
    redis.disconnect();
    await dataSource.destroy();
  }
}
