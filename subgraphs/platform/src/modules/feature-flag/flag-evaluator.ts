import { createHash } from 'node:crypto';
import semver from 'semver';

/**
 * Pure feature-flag evaluation (no I/O). The order is fixed and tested:
 * missing/archived → off; kill switch → off; environment not listed → off; outside the schedule
 * window → off; strategy; weighted variant; override wins last (it replaces the strategy and
 * variant outcome, but cannot bypass the kill switch, environment or schedule gates).
 */

export type FlagStrategy = 'BOOLEAN' | 'PERCENTAGE' | 'SEGMENT' | 'SCHEDULE';
export type FlagReason =
  'MISSING' | 'ARCHIVED' | 'KILLED' | 'ENVIRONMENT' | 'SCHEDULE' | 'STRATEGY' | 'OVERRIDE';
export type FlagTenantType = 'USER' | 'COMMUNITY';

export type FlagVariantDefinition = { key: string; weight: number };
export type FlagSegmentAttribute = { name: string; values: string[] };
export type FlagSegmentDefinition = {
  roles: string[];
  userIds: string[];
  /** A semver range, e.g. `>=2.3.0 <3`. */
  appVersionRange: string | null;
  attributes: FlagSegmentAttribute[];
};

export type FlagDefinition = {
  key: string;
  archived: boolean;
  killed: boolean;
  environments: readonly string[];
  strategy: FlagStrategy;
  /** What the BOOLEAN strategy returns. */
  booleanValue: boolean;
  /** PERCENTAGE: users whose bucket (1–100) is ≤ this are on. */
  percentage: number | null;
  segment: FlagSegmentDefinition | null;
  startsAt: Date | null;
  endsAt: Date | null;
  variants: readonly FlagVariantDefinition[];
};

export type FlagOverrideDefinition = {
  tenantType: FlagTenantType;
  tenantId: string;
  enabled: boolean;
  variant: string | null;
};

export type EvaluationSubject = {
  /** The signed-in user, if any (matches segment user ids and USER overrides). */
  userId: string | null;
  /** Unit for percentage bucketing and variant picks: the user id, or an anonymous id. */
  bucketingId: string | null;
  roles: readonly string[];
  appVersion: string | null;
  attributes: Readonly<Record<string, string>>;
  /** A community id whose COMMUNITY override applies (a USER override for `userId` wins over it). */
  tenantId: string | null;
};

export type FlagEvaluationResult = {
  key: string;
  enabled: boolean;
  variant: string | null;
  reason: FlagReason;
};

export type EvaluateFlagInput = {
  key: string;
  flag: FlagDefinition | null;
  environment: string;
  now: Date;
  subject: EvaluationSubject;
  /** Overrides of this flag that may apply (the evaluator picks the one for this subject). */
  overrides: readonly FlagOverrideDefinition[];
};

/** Stable 32-bit unsigned integer from the first 4 bytes of sha256(text). */
export function stableHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Percentage bucket of `flagKey:unitId`, 1–100, stable across processes and releases. */
export function percentageBucket(flagKey: string, unitId: string): number {
  return (stableHash(`${flagKey}:${unitId}`) % 100) + 1;
}

/** Weighted variant pick by stable hash of `flagKey:variant:unitId` (independent of the percentage bucket). */
export function pickVariant(
  flagKey: string,
  unitId: string,
  variants: readonly FlagVariantDefinition[],
): string | null {
  const total = variants.reduce((sum, v) => sum + Math.max(0, v.weight), 0);
  if (total <= 0) return null;
  let point = stableHash(`${flagKey}:variant:${unitId}`) % total;
  for (const variant of variants) {
    const weight = Math.max(0, variant.weight);
    if (point < weight) return variant.key;
    point -= weight;
  }
  return null;
}

export function isWithinSchedule(flag: Pick<FlagDefinition, 'startsAt' | 'endsAt'>, now: Date): boolean {
  if (flag.startsAt && now.getTime() < flag.startsAt.getTime()) return false;
  if (flag.endsAt && now.getTime() >= flag.endsAt.getTime()) return false;
  return true;
}

/** A segment matches when every criterion it sets matches (AND); within a criterion any value matches (OR). */
export function matchesSegment(segment: FlagSegmentDefinition | null, subject: EvaluationSubject): boolean {
  if (!segment) return false;
  let criteria = 0;
  if (segment.roles.length > 0) {
    criteria += 1;
    if (!segment.roles.some((role) => subject.roles.includes(role))) return false;
  }
  if (segment.userIds.length > 0) {
    criteria += 1;
    if (!subject.userId || !segment.userIds.includes(subject.userId)) return false;
  }
  if (segment.appVersionRange) {
    criteria += 1;
    const version = subject.appVersion ? semver.valid(subject.appVersion) : null;
    if (!version || !semver.satisfies(version, segment.appVersionRange)) return false;
  }
  for (const rule of segment.attributes) {
    criteria += 1;
    const value = Object.hasOwn(subject.attributes, rule.name) ? subject.attributes[rule.name] : undefined;
    if (value === undefined || !rule.values.includes(value)) return false;
  }
  return criteria > 0;
}

function strategyResult(flag: FlagDefinition, subject: EvaluationSubject): boolean {
  switch (flag.strategy) {
    case 'BOOLEAN':
      return flag.booleanValue;
    case 'PERCENTAGE':
      return (
        subject.bucketingId !== null &&
        flag.percentage !== null &&
        percentageBucket(flag.key, subject.bucketingId) <= flag.percentage
      );
    case 'SEGMENT':
      return matchesSegment(flag.segment, subject);
    case 'SCHEDULE':
      // The window itself is the gate checked before the strategy: inside it the flag is on.
      return true;
  }
}

/** The override that applies: the subject's own USER override wins over the tenant's COMMUNITY override. */
export function applicableOverride(
  overrides: readonly FlagOverrideDefinition[],
  subject: EvaluationSubject,
): FlagOverrideDefinition | null {
  if (subject.userId) {
    const own = overrides.find((o) => o.tenantType === 'USER' && o.tenantId === subject.userId);
    if (own) return own;
  }
  if (subject.tenantId) {
    const tenant = overrides.find((o) => o.tenantType === 'COMMUNITY' && o.tenantId === subject.tenantId);
    if (tenant) return tenant;
  }
  return null;
}

export function evaluateFlag(input: EvaluateFlagInput): FlagEvaluationResult {
  const { key, flag, subject } = input;
  const off = (reason: FlagReason): FlagEvaluationResult => ({ key, enabled: false, variant: null, reason });
  // 1. missing (or archived) → off
  if (!flag) return off('MISSING');
  if (flag.archived) return off('ARCHIVED');
  // 2. kill switch → off
  if (flag.killed) return off('KILLED');
  // 3. environment not listed → off
  if (!flag.environments.includes(input.environment)) return off('ENVIRONMENT');
  // 4. outside the schedule window → off
  if (!isWithinSchedule(flag, input.now)) return off('SCHEDULE');
  // 5. strategy
  const unit = subject.bucketingId ?? 'anonymous';
  const enabled = strategyResult(flag, subject);
  // 6. weighted variant (only for subjects the flag is on for)
  const variant = enabled ? pickVariant(flag.key, unit, flag.variants) : null;
  // 7. override wins last
  const override = applicableOverride(input.overrides, subject);
  if (override) {
    const overrideVariant = override.enabled
      ? (override.variant ?? pickVariant(flag.key, unit, flag.variants))
      : null;
    return { key, enabled: override.enabled, variant: overrideVariant, reason: 'OVERRIDE' };
  }
  return { key, enabled, variant, reason: 'STRATEGY' };
}
