import { BadUserInputError, PLATFORM_ROLES } from '@edugraph/kit';
import semver from 'semver';
import { assertUuid } from '../../common/validation.js';
import type { FlagSegmentDefinition, FlagStrategy, FlagVariantDefinition } from './flag-evaluator.js';

export const FLAG_KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const ENVIRONMENT_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const VARIANT_KEY_PATTERN = /^[a-z0-9]+([_-][a-z0-9]+)*$/;
const ATTRIBUTE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export type FlagSpec = {
  description: string;
  environments: string[];
  strategy: FlagStrategy;
  booleanValue: boolean;
  percentage: number | null;
  segment: FlagSegmentDefinition | null;
  startsAt: Date | null;
  endsAt: Date | null;
  variants: FlagVariantDefinition[];
};

export type SegmentInputShape = {
  roles?: string[] | null;
  userIds?: string[] | null;
  appVersionRange?: string | null;
  attributes?: { name: string; values: string[] }[] | null;
};

export function assertFlagKey(key: string): string {
  if (key.length > 100 || !FLAG_KEY_PATTERN.test(key)) {
    throw new BadUserInputError(
      'A flag key is lower-kebab-case, e.g. "new-course-player" (at most 100 characters).',
      'key',
    );
  }
  return key;
}

export function normaliseSegment(input: SegmentInputShape | null | undefined): FlagSegmentDefinition | null {
  if (!input) return null;
  const roles = [...new Set(input.roles ?? [])];
  for (const role of roles) {
    if (!(PLATFORM_ROLES as readonly string[]).includes(role)) {
      throw new BadUserInputError(`Unknown role "${role}" in the segment.`, 'segment.roles');
    }
  }
  const userIds = [...new Set((input.userIds ?? []).map((id) => assertUuid(id, 'segment.userIds')))];
  if (userIds.length > 1000)
    throw new BadUserInputError('A segment lists at most 1,000 user ids.', 'segment.userIds');
  const range = input.appVersionRange?.trim() || null;
  if (range && (range.length > 100 || semver.validRange(range) === null)) {
    throw new BadUserInputError(`"${range}" is not a valid semver range.`, 'segment.appVersionRange');
  }
  const attributes = (input.attributes ?? []).map((rule) => {
    if (!ATTRIBUTE_NAME_PATTERN.test(rule.name)) {
      throw new BadUserInputError(`Invalid attribute name "${rule.name}".`, 'segment.attributes');
    }
    const values = [...new Set(rule.values)];
    if (values.length === 0 || values.length > 100 || values.some((v) => v.length === 0 || v.length > 200)) {
      throw new BadUserInputError(
        'An attribute rule needs 1–100 values of 1–200 characters.',
        'segment.attributes',
      );
    }
    return { name: rule.name, values };
  });
  if (attributes.length > 20)
    throw new BadUserInputError('A segment has at most 20 attribute rules.', 'segment.attributes');
  return { roles, userIds, appVersionRange: range, attributes };
}

/** Validates a complete flag specification (after merging an update into the stored flag). */
export function validateFlagSpec(spec: FlagSpec): FlagSpec {
  if (spec.description.length > 500)
    throw new BadUserInputError('The description is at most 500 characters.', 'description');
  const environments = [...new Set(spec.environments)];
  if (environments.length > 20 || environments.some((e) => e.length > 40 || !ENVIRONMENT_PATTERN.test(e))) {
    throw new BadUserInputError(
      'Environments are up to 20 lower-kebab names, e.g. "production".',
      'environments',
    );
  }
  if (
    spec.percentage !== null &&
    (!Number.isInteger(spec.percentage) || spec.percentage < 0 || spec.percentage > 100)
  ) {
    throw new BadUserInputError('The percentage must be an integer from 0 to 100.', 'percentage');
  }
  if (spec.startsAt && spec.endsAt && spec.startsAt.getTime() >= spec.endsAt.getTime()) {
    throw new BadUserInputError('"startsAt" must be before "endsAt".', 'startsAt');
  }
  switch (spec.strategy) {
    case 'PERCENTAGE':
      if (spec.percentage === null)
        throw new BadUserInputError('The PERCENTAGE strategy needs a percentage.', 'percentage');
      break;
    case 'SEGMENT': {
      const s = spec.segment;
      const criteria = s
        ? s.roles.length + s.userIds.length + (s.appVersionRange ? 1 : 0) + s.attributes.length
        : 0;
      if (criteria === 0)
        throw new BadUserInputError('The SEGMENT strategy needs at least one segment criterion.', 'segment');
      break;
    }
    case 'SCHEDULE':
      if (!spec.startsAt && !spec.endsAt) {
        throw new BadUserInputError('The SCHEDULE strategy needs "startsAt" or "endsAt".', 'startsAt');
      }
      break;
    case 'BOOLEAN':
      break;
  }
  if (spec.variants.length > 20) throw new BadUserInputError('A flag has at most 20 variants.', 'variants');
  const keys = new Set<string>();
  for (const variant of spec.variants) {
    if (variant.key.length > 50 || !VARIANT_KEY_PATTERN.test(variant.key)) {
      throw new BadUserInputError(
        `Invalid variant key "${variant.key}" (lower-case letters, digits, "-" and "_").`,
        'variants',
      );
    }
    if (keys.has(variant.key))
      throw new BadUserInputError(`Duplicate variant key "${variant.key}".`, 'variants');
    keys.add(variant.key);
    if (!Number.isInteger(variant.weight) || variant.weight < 0 || variant.weight > 10_000) {
      throw new BadUserInputError('Variant weights are integers from 0 to 10,000.', 'variants');
    }
  }
  if (spec.variants.length > 0 && spec.variants.every((v) => v.weight === 0)) {
    throw new BadUserInputError('At least one variant needs a positive weight.', 'variants');
  }
  return { ...spec, environments, variants: spec.variants.map((v) => ({ key: v.key, weight: v.weight })) };
}
