import { describe, expect, it } from 'vitest';
import { periodEnd } from './billing-period.js';

describe('periodEnd', () => {
  it('adds calendar months in UTC and clamps to the end of the month', () => {
    expect(periodEnd(new Date('2026-01-31T10:00:00Z'), 'MONTHLY')).toEqual(new Date('2026-02-28T10:00:00Z'));
    expect(periodEnd(new Date('2028-01-31T10:00:00Z'), 'MONTHLY')).toEqual(new Date('2028-02-29T10:00:00Z'));
    expect(periodEnd(new Date('2026-11-15T00:00:00Z'), 'QUARTERLY')).toEqual(
      new Date('2027-02-15T00:00:00Z'),
    );
    expect(periodEnd(new Date('2026-03-01T12:30:00Z'), 'ANNUAL')).toEqual(new Date('2027-03-01T12:30:00Z'));
    expect(periodEnd(new Date('2026-03-01T12:30:00Z'), 'LIFETIME')).toBeNull();
  });
});
