import { groupByKey, type LoaderFactory } from '@edugraph/kit';
import DataLoader from 'dataloader';
import { platformServices } from '../../platform-services.js';
import type { FeatureFlagOverrideEntity } from './feature-flag.entity.js';
import type { FlagEvaluationResult } from './flag-evaluator.js';

export const OVERRIDES_PER_FLAG = 100;

/** Latest overrides (≤ 100) per flag id: one query for a whole page of flags. */
export const overridesByFlagLoader: LoaderFactory<string, FeatureFlagOverrideEntity[]> = () =>
  new DataLoader(async (flagIds) => {
    const rows = await platformServices().flags.overridesOf(flagIds, OVERRIDES_PER_FLAG);
    return groupByKey(flagIds, rows, (row) => row.flagId);
  });

/** Key of `userFlagsLoader`: the user and the roles to evaluate with (comma-separated). */
export function userFlagsKey(userId: string, roles: readonly string[]): string {
  return `${userId}|${roles.join(',')}`;
}

/** `User.featureFlags` for a batch of users (e.g. one `_entities` call): bounded SQL whatever the count. */
export const userFlagsLoader: LoaderFactory<string, FlagEvaluationResult[]> = () =>
  new DataLoader(async (keys) => {
    const flags = platformServices().flags;
    const subjects = keys.map((key) => {
      const [userId = '', roles = ''] = key.split('|');
      return flags.subjectFor({ userId, roles: roles ? (roles.split(',') as never[]) : [] }, {});
    });
    return flags.evaluateMany(subjects);
  });
