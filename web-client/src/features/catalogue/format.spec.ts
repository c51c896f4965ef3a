import { describe, expect, it } from 'vitest';
import { formatMoney, formatPrice, formatRating } from './format.js';

describe('catalogue formatting', () => {
  it('formats minor units by the currency’s own digits', () => {
    expect(formatMoney(1999, 'USD')).toMatch(/19\.99/);
    expect(formatMoney(1500, 'JPY')).toMatch(/1,500/);
  });

  it('says free, a price, or not for sale', () => {
    expect(formatPrice({ isFree: true, price: null })).toBe('Free');
    expect(formatPrice({ isFree: false, price: { amount: 4900, currency: 'EUR' } })).toMatch(/49\.00/);
    expect(formatPrice({ isFree: false, price: null })).toBe('Not for sale yet');
  });

  it('describes ratings', () => {
    expect(formatRating({ average: null, count: 0 })).toBe('No reviews yet');
    expect(formatRating({ average: 4.25, count: 1 })).toBe('4.3 of 5 (1 review)');
  });
});
