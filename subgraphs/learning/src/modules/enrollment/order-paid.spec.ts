import { describe, expect, it } from 'vitest';
import { parseOrderPaid } from './order-paid.js';

const USER = '2b0c3c4e-5f60-4a71-8b82-93a4b5c6d7e8';
const base = {
  orderId: 'ord_1',
  userId: USER,
  currency: 'EUR',
  totalMinor: 4900,
  paidAt: '2026-11-28T10:00:00.000Z',
  lines: [{ kind: 'COURSE', refId: 'c1', quantity: 1 }],
};

describe('parseOrderPaid', () => {
  it('accepts the contract and drops unknown line kinds', () => {
    expect(
      parseOrderPaid({ ...base, lines: [...base.lines, { kind: 'GIFT_CARD', refId: 'g', quantity: 1 }] }),
    ).toEqual(base);
  });

  it('rejects payloads that do not have the contract shape', () => {
    expect(parseOrderPaid({ ...base, userId: 'not-a-uuid' })).toBeNull();
    expect(parseOrderPaid({ ...base, orderId: '' })).toBeNull();
    expect(parseOrderPaid({ ...base, totalMinor: '49' })).toBeNull();
    expect(parseOrderPaid({ ...base, lines: 'COURSE' })).toBeNull();
    expect(parseOrderPaid({ ...base, lines: [{ kind: 'COURSE', refId: 1, quantity: 1 }] })).toBeNull();
    expect(parseOrderPaid({ ...base, lines: [null] })).toBeNull();
  });
});
