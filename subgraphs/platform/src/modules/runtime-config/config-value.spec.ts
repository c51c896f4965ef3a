import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { assertConfigKey, readableExposures, validateConfigValue } from './config-value.js';

describe('validateConfigValue', () => {
  it('accepts values of the declared type', () => {
    expect(validateConfigValue('STRING', 'Edugraph')).toBe('Edugraph');
    expect(validateConfigValue('INT', 500)).toBe(500);
    expect(validateConfigValue('INT', -3)).toBe(-3);
    expect(validateConfigValue('BOOLEAN', false)).toBe(false);
    expect(validateConfigValue('JSON', { a: [1, 2], b: 'x' })).toEqual({ a: [1, 2], b: 'x' });
    expect(validateConfigValue('JSON', [1, 'two'])).toEqual([1, 'two']);
  });

  it.each([
    ['STRING', 5],
    ['STRING', true],
    ['STRING', 'x'.repeat(10_001)],
    ['INT', '5'],
    ['INT', 1.5],
    ['INT', Number.MAX_SAFE_INTEGER + 1],
    ['INT', Number.NaN],
    ['BOOLEAN', 'true'],
    ['BOOLEAN', 1],
    ['JSON', null],
    ['JSON', { big: 'x'.repeat(70_000) }],
  ] as const)('rejects %s %j with BAD_USER_INPUT', (type, value) => {
    expect(() => validateConfigValue(type, value)).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT' }),
    );
  });
});

describe('assertConfigKey', () => {
  it('accepts dotted lower-case keys', () => {
    for (const key of ['platform.name', 'support.email', 'commerce.commission.course_bps', 'a.b-c']) {
      expect(assertConfigKey(key)).toBe(key);
    }
  });

  it('rejects others', () => {
    for (const key of [
      'nodot',
      'Platform.name',
      'platform.',
      '.name',
      'a..b',
      `a.${'b'.repeat(120)}`,
      'a.b c',
    ]) {
      expect(() => assertConfigKey(key)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });
});

describe('readableExposures', () => {
  it('grows with the viewer', () => {
    expect(readableExposures({ signedIn: false, roles: [] })).toEqual(['PUBLIC']);
    expect(readableExposures({ signedIn: true, roles: ['LEARNER'] })).toEqual(['PUBLIC', 'AUTHENTICATED']);
    expect(readableExposures({ signedIn: true, roles: ['SUPPORT'] })).toEqual([
      'PUBLIC',
      'AUTHENTICATED',
      'OPS',
    ]);
    expect(readableExposures({ signedIn: true, roles: ['ADMIN'] })).toEqual([
      'PUBLIC',
      'AUTHENTICATED',
      'OPS',
      'SECRET',
    ]);
  });
});
