import { groupByKey, type LoaderFactory } from '@edugraph/kit';
import DataLoader from 'dataloader';
import { platformServices } from '../../platform-services.js';
import type { FeatureFlagOverrideEntity } from './feature-flag.entity.js';

export const OVERRIDES_PER_FLAG = 100;

/** Latest overrides (≤ 100) per flag id: one query for a whole page of flags. */
export const overridesByFlagLoader: LoaderFactory<string, FeatureFlagOverrideEntity[]> = () =>
  new DataLoader(async (flagIds) => {
    const rows = await platformServices().flags.overridesOf(flagIds, OVERRIDES_PER_FLAG);
    return groupByKey(flagIds, rows, (row) => row.flagId);
  });
