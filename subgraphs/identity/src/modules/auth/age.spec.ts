import { describe, expect, it } from 'vitest';
import { ageOn, assertValidEmail, normalizeEmail } from './auth.service.js';

describe('sign-up rules', () => {
  it('computes age in whole years (UTC), including leap-day birthdays', () => {
    const today = new Date('2026-03-01T12:00:00Z');
    expect(ageOn('2010-03-01', today)).toBe(16);
    expect(ageOn('2010-03-02', today)).toBe(15);
    expect(ageOn('2008-02-29', today)).toBe(18);
    expect(ageOn('2008-02-29', new Date('2026-02-28T00:00:00Z'))).toBe(17);
  });

  it('refuses impossible dates and other formats', () => {
    expect(() => ageOn('2010-02-30', new Date())).toThrow();
    expect(() => ageOn('01/02/2010', new Date())).toThrow();
  });

  it('normalises emails and refuses malformed ones', () => {
    expect(normalizeEmail('  Ada@Example.COM ')).toBe('ada@example.com');
    expect(() => assertValidEmail('nope')).toThrow();
    expect(() => assertValidEmail(`${'a'.repeat(250)}@x.io`)).toThrow();
  });
});
