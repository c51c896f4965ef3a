import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  evaluateFlag,
  matchesSegment,
  percentageBucket,
  pickVariant,
  type EvaluateFlagInput,
  type EvaluationSubject,
  type FlagDefinition,
  type FlagOverrideDefinition,
} from './flag-evaluator.js';

const USER = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const COMMUNITY = '33333333-3333-4333-8333-333333333333';
const NOW = new Date('2026-06-01T12:00:00Z');

function flag(overrides: Partial<FlagDefinition> = {}): FlagDefinition {
  return {
    key: 'new-course-player',
    archived: false,
    killed: false,
    environments: ['development', 'production'],
    strategy: 'BOOLEAN',
    booleanValue: true,
    percentage: null,
    segment: null,
    startsAt: null,
    endsAt: null,
    variants: [],
    ...overrides,
  };
}

function subject(overrides: Partial<EvaluationSubject> = {}): EvaluationSubject {
  return {
    userId: USER,
    bucketingId: USER,
    roles: ['LEARNER'],
    appVersion: null,
    attributes: {},
    tenantId: null,
    ...overrides,
  };
}

function input(overrides: Partial<EvaluateFlagInput> = {}): EvaluateFlagInput {
  return {
    key: 'new-course-player',
    flag: flag(),
    environment: 'production',
    now: NOW,
    subject: subject(),
    overrides: [],
    ...overrides,
  };
}

const userOn: FlagOverrideDefinition = { tenantType: 'USER', tenantId: USER, enabled: true, variant: null };
const userOff: FlagOverrideDefinition = { tenantType: 'USER', tenantId: USER, enabled: false, variant: null };

function ids(count: number, prefix = 'user'): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
}

describe('evaluateFlag order', () => {
  it('1. a missing flag is off with MISSING, whatever overrides exist', () => {
    expect(evaluateFlag(input({ flag: null, overrides: [userOn] }))).toEqual({
      key: 'new-course-player',
      enabled: false,
      variant: null,
      reason: 'MISSING',
    });
  });

  it('1b. an archived flag is off with ARCHIVED, even if killed or overridden', () => {
    expect(
      evaluateFlag(input({ flag: flag({ archived: true, killed: true }), overrides: [userOn] })).reason,
    ).toBe('ARCHIVED');
  });

  it('2. the kill switch wins over environment, schedule, strategy and override', () => {
    const result = evaluateFlag(
      input({
        flag: flag({ killed: true, environments: [], startsAt: new Date('2030-01-01T00:00:00Z') }),
        overrides: [userOn],
      }),
    );
    expect(result).toMatchObject({ enabled: false, variant: null, reason: 'KILLED' });
  });

  it('3. an unlisted environment wins over schedule, strategy and override', () => {
    const result = evaluateFlag(
      input({
        flag: flag({ environments: ['staging'], endsAt: new Date('2020-01-01T00:00:00Z') }),
        overrides: [userOn],
      }),
    );
    expect(result).toMatchObject({ enabled: false, reason: 'ENVIRONMENT' });
  });

  it('4. outside the schedule window wins over strategy and override (before start and at/after end)', () => {
    const before = flag({ startsAt: new Date('2026-06-02T00:00:00Z') });
    const after = flag({ endsAt: NOW });
    expect(evaluateFlag(input({ flag: before, overrides: [userOn] })).reason).toBe('SCHEDULE');
    expect(evaluateFlag(input({ flag: after, overrides: [userOn] })).reason).toBe('SCHEDULE');
    const inside = flag({
      startsAt: new Date('2026-05-01T00:00:00Z'),
      endsAt: new Date('2026-07-01T00:00:00Z'),
    });
    expect(evaluateFlag(input({ flag: inside }))).toMatchObject({ enabled: true, reason: 'STRATEGY' });
  });

  it('5. the strategy decides when every gate passes', () => {
    expect(evaluateFlag(input({ flag: flag({ booleanValue: true }) }))).toMatchObject({
      enabled: true,
      reason: 'STRATEGY',
    });
    expect(evaluateFlag(input({ flag: flag({ booleanValue: false }) }))).toMatchObject({
      enabled: false,
      reason: 'STRATEGY',
    });
  });

  it('6. a variant is picked only when the strategy is on', () => {
    const variants = [{ key: 'a', weight: 1 }];
    expect(evaluateFlag(input({ flag: flag({ variants }) })).variant).toBe('a');
    expect(evaluateFlag(input({ flag: flag({ variants, booleanValue: false }) })).variant).toBeNull();
  });

  it('7. an override wins last: it turns an off strategy on, and an on strategy off', () => {
    expect(evaluateFlag(input({ flag: flag({ booleanValue: false }), overrides: [userOn] }))).toMatchObject({
      enabled: true,
      reason: 'OVERRIDE',
    });
    expect(evaluateFlag(input({ flag: flag({ booleanValue: true }), overrides: [userOff] }))).toMatchObject({
      enabled: false,
      variant: null,
      reason: 'OVERRIDE',
    });
  });

  it('7b. an override variant replaces the weighted variant; without one the weighted pick is kept', () => {
    const variants = [
      { key: 'control', weight: 1 },
      { key: 'treatment', weight: 0 },
    ];
    const withVariant = { ...userOn, variant: 'treatment' };
    expect(evaluateFlag(input({ flag: flag({ variants }), overrides: [withVariant] })).variant).toBe(
      'treatment',
    );
    expect(
      evaluateFlag(input({ flag: flag({ variants, booleanValue: false }), overrides: [userOn] })).variant,
    ).toBe('control');
  });

  it('7c. the user override wins over the community override; the community override applies to its tenant only', () => {
    const community: FlagOverrideDefinition = {
      tenantType: 'COMMUNITY',
      tenantId: COMMUNITY,
      enabled: true,
      variant: null,
    };
    const off = flag({ booleanValue: false });
    expect(evaluateFlag(input({ flag: off, overrides: [community] })).reason).toBe('STRATEGY');
    expect(
      evaluateFlag(input({ flag: off, overrides: [community], subject: subject({ tenantId: COMMUNITY }) })),
    ).toMatchObject({
      enabled: true,
      reason: 'OVERRIDE',
    });
    expect(
      evaluateFlag(
        input({ flag: off, overrides: [community, userOff], subject: subject({ tenantId: COMMUNITY }) }),
      ),
    ).toMatchObject({ enabled: false, reason: 'OVERRIDE' });
  });

  it("7d. another user's override never applies, and a tenant id cannot select a USER override", () => {
    const others: FlagOverrideDefinition = {
      tenantType: 'USER',
      tenantId: OTHER,
      enabled: true,
      variant: null,
    };
    const off = flag({ booleanValue: false });
    expect(evaluateFlag(input({ flag: off, overrides: [others] })).reason).toBe('STRATEGY');
    expect(
      evaluateFlag(input({ flag: off, overrides: [others], subject: subject({ tenantId: OTHER }) })).enabled,
    ).toBe(false);
    expect(
      evaluateFlag(
        input({ flag: off, overrides: [others], subject: subject({ userId: null, bucketingId: 'anon' }) }),
      ).enabled,
    ).toBe(false);
  });

  it('SCHEDULE strategy is on inside its window and off outside it', () => {
    const scheduled = flag({
      strategy: 'SCHEDULE',
      startsAt: new Date('2026-05-01T00:00:00Z'),
      endsAt: new Date('2026-07-01T00:00:00Z'),
    });
    expect(evaluateFlag(input({ flag: scheduled }))).toMatchObject({ enabled: true, reason: 'STRATEGY' });
    expect(evaluateFlag(input({ flag: scheduled, now: new Date('2026-07-01T00:00:00Z') }))).toMatchObject({
      enabled: false,
      reason: 'SCHEDULE',
    });
  });

  it('PERCENTAGE: off without a bucketing id, all on at 100, all off at 0', () => {
    const half = flag({ strategy: 'PERCENTAGE', percentage: 100 });
    expect(
      evaluateFlag(input({ flag: half, subject: subject({ userId: null, bucketingId: null }) })).enabled,
    ).toBe(false);
    for (const id of ids(200)) {
      expect(
        evaluateFlag(input({ flag: half, subject: subject({ userId: id, bucketingId: id }) })).enabled,
      ).toBe(true);
      expect(
        evaluateFlag(
          input({
            flag: flag({ strategy: 'PERCENTAGE', percentage: 0 }),
            subject: subject({ bucketingId: id }),
          }),
        ).enabled,
      ).toBe(false);
    }
  });
});

describe('percentage bucketing', () => {
  it('is sha256(flagKey:userId) first 4 bytes mod 100 + 1', () => {
    const expected =
      (createHash('sha256').update(`new-course-player:${USER}`).digest().readUInt32BE(0) % 100) + 1;
    expect(percentageBucket('new-course-player', USER)).toBe(expected);
  });

  it('is stable across calls and in 1..100', () => {
    for (const id of ids(1000)) {
      const bucket = percentageBucket('flag-a', id);
      expect(bucket).toBeGreaterThanOrEqual(1);
      expect(bucket).toBeLessThanOrEqual(100);
      expect(percentageBucket('flag-a', id)).toBe(bucket);
    }
  });

  it('depends on the flag key (different flags bucket users independently)', () => {
    const same = ids(1000).filter(
      (id) => percentageBucket('flag-a', id) === percentageBucket('flag-b', id),
    ).length;
    expect(same).toBeLessThan(50);
  });

  it('puts 27–33% of 10,000 ids into a 30% flag', () => {
    const thirty = flag({ key: 'thirty', strategy: 'PERCENTAGE', percentage: 30 });
    const on = ids(10_000).filter(
      (id) =>
        evaluateFlag(
          input({ key: 'thirty', flag: thirty, subject: subject({ userId: id, bucketingId: id }) }),
        ).enabled,
    ).length;
    expect(on).toBeGreaterThanOrEqual(2700);
    expect(on).toBeLessThanOrEqual(3300);
  });

  it('is monotonic: raising the percentage never turns a user off', () => {
    for (const id of ids(500)) {
      const at20 = percentageBucket('ramp', id) <= 20;
      const at50 = percentageBucket('ramp', id) <= 50;
      if (at20) expect(at50).toBe(true);
    }
  });
});

describe('weighted variants', () => {
  it('follows the weights (70/30 within ±3 points over 10,000 ids)', () => {
    const variants = [
      { key: 'control', weight: 70 },
      { key: 'treatment', weight: 30 },
    ];
    const picks = ids(10_000).map((id) => pickVariant('exp', id, variants));
    const control = picks.filter((p) => p === 'control').length;
    expect(control).toBeGreaterThanOrEqual(6700);
    expect(control).toBeLessThanOrEqual(7300);
    expect(picks.every((p) => p === 'control' || p === 'treatment')).toBe(true);
  });

  it('never picks a zero-weight variant and returns null without weights', () => {
    const variants = [
      { key: 'a', weight: 0 },
      { key: 'b', weight: 5 },
    ];
    expect(ids(500).every((id) => pickVariant('exp', id, variants) === 'b')).toBe(true);
    expect(pickVariant('exp', 'x', [])).toBeNull();
    expect(pickVariant('exp', 'x', [{ key: 'a', weight: 0 }])).toBeNull();
  });

  it('is stable per user', () => {
    const variants = [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
      { key: 'c', weight: 1 },
    ];
    for (const id of ids(200))
      expect(pickVariant('exp', id, variants)).toBe(pickVariant('exp', id, variants));
  });
});

describe('segment matching', () => {
  const empty = { roles: [], userIds: [], appVersionRange: null, attributes: [] };

  it('matches nobody when empty or absent', () => {
    expect(matchesSegment(null, subject())).toBe(false);
    expect(matchesSegment(empty, subject())).toBe(false);
  });

  it('matches any listed role', () => {
    expect(matchesSegment({ ...empty, roles: ['ADMIN', 'LEARNER'] }, subject())).toBe(true);
    expect(matchesSegment({ ...empty, roles: ['ADMIN'] }, subject())).toBe(false);
  });

  it('matches listed user ids, never an anonymous subject', () => {
    expect(matchesSegment({ ...empty, userIds: [USER] }, subject())).toBe(true);
    expect(matchesSegment({ ...empty, userIds: [OTHER] }, subject())).toBe(false);
    expect(matchesSegment({ ...empty, userIds: [USER] }, subject({ userId: null }))).toBe(false);
  });

  it('matches a semver range; invalid or missing versions do not match', () => {
    const segment = { ...empty, appVersionRange: '>=2.3.0 <3.0.0' };
    expect(matchesSegment(segment, subject({ appVersion: '2.3.0' }))).toBe(true);
    expect(matchesSegment(segment, subject({ appVersion: '2.10.1' }))).toBe(true);
    expect(matchesSegment(segment, subject({ appVersion: '2.2.9' }))).toBe(false);
    expect(matchesSegment(segment, subject({ appVersion: '3.0.0' }))).toBe(false);
    expect(matchesSegment(segment, subject({ appVersion: 'banana' }))).toBe(false);
    expect(matchesSegment(segment, subject({ appVersion: null }))).toBe(false);
  });

  it('matches attributes by exact value, and every criterion must match (AND)', () => {
    const segment = { ...empty, roles: ['LEARNER'], attributes: [{ name: 'country', values: ['DE', 'AT'] }] };
    expect(matchesSegment(segment, subject({ attributes: { country: 'AT' } }))).toBe(true);
    expect(matchesSegment(segment, subject({ attributes: { country: 'FR' } }))).toBe(false);
    expect(matchesSegment(segment, subject({ attributes: {} }))).toBe(false);
    expect(matchesSegment(segment, subject({ roles: ['INSTRUCTOR'], attributes: { country: 'DE' } }))).toBe(
      false,
    );
    expect(matchesSegment({ ...empty, attributes: [{ name: 'toString', values: ['x'] }] }, subject())).toBe(
      false,
    );
  });

  it('drives the SEGMENT strategy', () => {
    const segmentFlag = flag({ strategy: 'SEGMENT', segment: { ...empty, roles: ['INSTRUCTOR'] } });
    expect(evaluateFlag(input({ flag: segmentFlag })).enabled).toBe(false);
    expect(
      evaluateFlag(input({ flag: segmentFlag, subject: subject({ roles: ['INSTRUCTOR'] }) })).enabled,
    ).toBe(true);
  });
});

describe('evaluateFlag order, every combination', () => {
  // Reference model of the documented order; each gate that fails short-circuits.
  type Case = {
    missing: boolean;
    archived: boolean;
    killed: boolean;
    wrongEnvironment: boolean;
    outsideSchedule: boolean;
    strategyOn: boolean;
    override: 'none' | 'on' | 'off';
  };
  const cases: Case[] = [];
  for (let mask = 0; mask < 64; mask += 1) {
    for (const override of ['none', 'on', 'off'] as const) {
      cases.push({
        missing: Boolean(mask & 1),
        archived: Boolean(mask & 2),
        killed: Boolean(mask & 4),
        wrongEnvironment: Boolean(mask & 8),
        outsideSchedule: Boolean(mask & 16),
        strategyOn: Boolean(mask & 32),
        override,
      });
    }
  }

  function expected(c: Case): { enabled: boolean; reason: string } {
    if (c.missing) return { enabled: false, reason: 'MISSING' };
    if (c.archived) return { enabled: false, reason: 'ARCHIVED' };
    if (c.killed) return { enabled: false, reason: 'KILLED' };
    if (c.wrongEnvironment) return { enabled: false, reason: 'ENVIRONMENT' };
    if (c.outsideSchedule) return { enabled: false, reason: 'SCHEDULE' };
    if (c.override !== 'none') return { enabled: c.override === 'on', reason: 'OVERRIDE' };
    return { enabled: c.strategyOn, reason: 'STRATEGY' };
  }

  it(`matches the reference order in all ${cases.length} combinations`, () => {
    for (const c of cases) {
      const definition = flag({
        archived: c.archived,
        killed: c.killed,
        environments: c.wrongEnvironment ? ['staging'] : ['production'],
        endsAt: c.outsideSchedule ? new Date('2026-01-01T00:00:00Z') : null,
        booleanValue: c.strategyOn,
        variants: [{ key: 'only', weight: 1 }],
      });
      const overrides = c.override === 'none' ? [] : [{ ...userOn, enabled: c.override === 'on' }];
      const result = evaluateFlag(input({ flag: c.missing ? null : definition, overrides }));
      const want = expected(c);
      expect({ case: c, enabled: result.enabled, reason: result.reason }).toEqual({ case: c, ...want });
      expect(result.variant).toBe(want.enabled ? 'only' : null);
    }
  });
});
