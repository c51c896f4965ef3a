import { describe, expect, it } from 'vitest';
import { allocate, divideRounded, priceOrder, refundShares } from './money.js';

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('allocate', () => {
  it('splits exactly, largest remainders first', () => {
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(allocate(10, [3, 7])).toEqual([3, 7]);
    expect(allocate(1, [1, 2])).toEqual([0, 1]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    expect(allocate(7, [0, 0])).toEqual([7, 0]);
  });

  it('always sums to the total (randomised)', () => {
    for (let run = 0; run < 500; run += 1) {
      const weights = Array.from({ length: 1 + (run % 7) }, () => Math.floor(Math.random() * 5_000_000));
      const total = Math.floor(Math.random() * 10_000_000);
      const parts = allocate(total, weights);
      expect(sum(parts)).toBe(total);
      expect(parts.every((p) => p >= 0)).toBe(true);
    }
  });

  it('rejects negative or fractional input', () => {
    expect(() => allocate(-1, [1])).toThrow(RangeError);
    expect(() => allocate(1.5, [1])).toThrow(RangeError);
    expect(() => allocate(1, [-1])).toThrow(RangeError);
  });
});

describe('divideRounded', () => {
  it('rounds halves up', () => {
    expect(divideRounded(5n, 10n)).toBe(1n);
    expect(divideRounded(4n, 10n)).toBe(0n);
    expect(divideRounded(15n, 10n)).toBe(2n);
  });
});

describe('priceOrder', () => {
  const lines = [
    { unitPriceMinor: 999, quantity: 1, commissionBps: 500 },
    { unitPriceMinor: 333, quantity: 3, commissionBps: 250 },
    { unitPriceMinor: 50, quantity: 1, commissionBps: 1000 },
  ];

  it('adds exclusive tax once on the order and spreads the rounding residue', () => {
    const priced = priceOrder(lines, null, { rateBps: 1925, inclusive: false });
    expect(priced.subtotalMinor).toBe(2048);
    // 2048 × 19.25 % = 394.24 → 394
    expect(priced.taxMinor).toBe(394);
    expect(sum(priced.lines.map((l) => l.taxMinor))).toBe(394);
    expect(priced.totalMinor).toBe(2442);
    expect(sum(priced.lines.map((l) => l.totalMinor))).toBe(2442);
  });

  it('extracts inclusive tax without changing the total', () => {
    const priced = priceOrder(lines, null, { rateBps: 2000, inclusive: true });
    expect(priced.totalMinor).toBe(2048);
    // 2048 − round(2048 / 1.2) = 2048 − 1707 = 341
    expect(priced.taxMinor).toBe(341);
    expect(sum(priced.lines.map((l) => l.taxMinor))).toBe(341);
  });

  it('applies a percent coupon on the subtotal and spreads it over the lines', () => {
    const priced = priceOrder(lines, { kind: 'PERCENT', percentOff: 15 }, { rateBps: 0, inclusive: false });
    expect(priced.discountMinor).toBe(307); // 2048 × 15 % = 307.2
    expect(sum(priced.lines.map((l) => l.discountMinor))).toBe(307);
    expect(priced.totalMinor).toBe(2048 - 307);
  });

  it('caps a fixed coupon at the subtotal', () => {
    const priced = priceOrder(
      [{ unitPriceMinor: 500, quantity: 1, commissionBps: 500 }],
      { kind: 'AMOUNT', amountOffMinor: 900 },
      { rateBps: 1000, inclusive: false },
    );
    expect(priced).toMatchObject({ discountMinor: 500, taxMinor: 0, totalMinor: 0 });
  });

  it('takes commission on the net of each line', () => {
    const priced = priceOrder([{ unitPriceMinor: 10_000, quantity: 1, commissionBps: 500 }], null, {
      rateBps: 2000,
      inclusive: false,
    });
    expect(priced.lines[0]).toEqual({
      subtotalMinor: 10_000,
      discountMinor: 0,
      taxMinor: 2000,
      totalMinor: 12_000,
      commissionMinor: 500,
    });
  });

  it('keeps every line non-negative and summing to the order (randomised)', () => {
    for (let run = 0; run < 300; run += 1) {
      const random = Array.from({ length: 1 + (run % 5) }, () => ({
        unitPriceMinor: 50 + Math.floor(Math.random() * 4_999_950),
        quantity: 1 + Math.floor(Math.random() * 100),
        commissionBps: Math.floor(Math.random() * 1001),
      }));
      const priced = priceOrder(
        random,
        run % 2
          ? { kind: 'PERCENT', percentOff: 1 + (run % 80) }
          : { kind: 'AMOUNT', amountOffMinor: run * 997 },
        { rateBps: run % 2500, inclusive: run % 3 === 0 },
      );
      expect(sum(priced.lines.map((l) => l.totalMinor))).toBe(priced.totalMinor);
      expect(sum(priced.lines.map((l) => l.taxMinor))).toBe(priced.taxMinor);
      expect(sum(priced.lines.map((l) => l.discountMinor))).toBe(priced.discountMinor);
      for (const l of priced.lines) {
        expect(l.discountMinor).toBeLessThanOrEqual(l.subtotalMinor);
        expect(l.commissionMinor).toBeLessThanOrEqual(l.totalMinor - l.taxMinor);
        expect(l.totalMinor).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('refundShares', () => {
  it('reverses every leg exactly once partial refunds reach the total', () => {
    const legs = [333, 5000, 4667]; // tax, commission, seller — sum 10000
    const parts = [1, 2999, 3333, 3667].map((amount, i, all) =>
      refundShares(legs, 10_000, sum(all.slice(0, i)), amount),
    );
    parts.forEach((p, i) => expect(sum(p)).toBe([1, 2999, 3333, 3667][i]));
    expect(legs.map((_, leg) => sum(parts.map((p) => p[leg]!)))).toEqual(legs);
  });

  it('refuses refunds beyond the sale', () => {
    expect(() => refundShares([10], 10, 5, 6)).toThrow(RangeError);
    expect(() => refundShares([10], 10, 0, 0)).toThrow(RangeError);
  });
});
