import { DomainError } from '@edugraph/kit';

export type FeatureFlagErrorCode = 'FEATURE_FLAG_EXISTS' | 'FEATURE_FLAG_ARCHIVED';

export class FeatureFlagError extends DomainError<FeatureFlagErrorCode> {}

export function featureFlagExists(key: string): FeatureFlagError {
  return new FeatureFlagError('FEATURE_FLAG_EXISTS', `A feature flag with the key "${key}" already exists.`);
}

export function featureFlagArchived(key: string): FeatureFlagError {
  return new FeatureFlagError(
    'FEATURE_FLAG_ARCHIVED',
    `The feature flag "${key}" is archived and cannot be changed.`,
  );
}
