/**
 * Exact money arithmetic on integer minor units. Products of amounts and rates go through BigInt so
 * nothing is lost above 2^53; results are plain integers again.
 */

/** round(numerator / denominator), halves up, for non-negative integers. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (numerator < 0n || denominator <= 0n)
    throw new RangeError('divideRounded expects numerator ≥ 0, denominator > 0');
  return (2n * numerator + denominator) / (2n * denominator);
}

/**
 * Splits `total` (≥ 0) over `weights` (≥ 0) so the parts sum exactly to `total`: each part gets the floor
 * of its proportional share, then the largest remainders get one more unit each (ties: earlier first).
 * With all-zero weights the whole amount goes to the first part.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`cannot allocate ${total}`);
  if (weights.length === 0) {
    if (total === 0) return [];
    throw new RangeError('cannot allocate over no parts');
  }
  const big = weights.map((w) => {
    if (!Number.isSafeInteger(w) || w < 0) throw new RangeError(`invalid weight ${w}`);
    return BigInt(w);
  });
  const sum = big.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map((_, i) => (i === 0 ? total : 0));
  const t = BigInt(total);
  const parts = big.map((w) => (t * w) / sum);
  const remainders = big.map((w, i) => ({ i, r: (t * w) % sum }));
  let left = t - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    parts[i] = parts[i]! + 1n;
    left -= 1n;
  }
  return parts.map(Number);
}

export type CouponTerms =
  { kind: 'PERCENT'; percentOff: number } | { kind: 'AMOUNT'; amountOffMinor: number };
export type TaxTerms = { rateBps: number; inclusive: boolean };
export type PricingInput = { unitPriceMinor: number; quantity: number; commissionBps: number };

export type PricedLine = {
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  /** What the buyer pays for the line (tax included). */
  totalMinor: number;
  /** Platform commission on the line's net (total − tax). */
  commissionMinor: number;
};

export type PricedOrder = {
  lines: PricedLine[];
  subtotalMinor: number;
  discountMinor: number;
  taxMinor: number;
  totalMinor: number;
};

/**
 * Prices an order: the coupon's discount on the subtotal, then tax (exclusive: added on top; inclusive:
 * contained in the price), each computed once on the order and spread over the lines by largest
 * remainder so the lines sum exactly to the order. Commission is taken on each line's net amount.
 */
export function priceOrder(
  lines: readonly PricingInput[],
  coupon: CouponTerms | null,
  tax: TaxTerms,
): PricedOrder {
  const subtotals = lines.map((l) => l.unitPriceMinor * l.quantity);
  const subtotal = subtotals.reduce((a, b) => a + b, 0);
  let discount = 0;
  if (coupon?.kind === 'PERCENT')
    discount = Number(divideRounded(BigInt(subtotal) * BigInt(coupon.percentOff), 100n));
  else if (coupon?.kind === 'AMOUNT') discount = Math.min(coupon.amountOffMinor, subtotal);
  const discounts = allocate(discount, subtotals);
  const taxables = subtotals.map((s, i) => s - discounts[i]!);
  const taxable = subtotal - discount;
  const rate = BigInt(tax.rateBps);
  const taxTotal = tax.inclusive
    ? taxable - Number(divideRounded(BigInt(taxable) * 10_000n, 10_000n + rate))
    : Number(divideRounded(BigInt(taxable) * rate, 10_000n));
  const taxes = allocate(taxTotal, taxables);
  const priced = lines.map((line, i): PricedLine => {
    const totalMinor = tax.inclusive ? taxables[i]! : taxables[i]! + taxes[i]!;
    const net = totalMinor - taxes[i]!;
    return {
      subtotalMinor: subtotals[i]!,
      discountMinor: discounts[i]!,
      taxMinor: taxes[i]!,
      totalMinor,
      commissionMinor: Number(divideRounded(BigInt(net) * BigInt(line.commissionBps), 10_000n)),
    };
  });
  return {
    lines: priced,
    subtotalMinor: subtotal,
    discountMinor: discount,
    taxMinor: taxTotal,
    totalMinor: priced.reduce((a, l) => a + l.totalMinor, 0),
  };
}

/**
 * The part of a sale's legs a refund reverses. Cumulative: the parts for `before + amount` minus those
 * for `before`, so successive partial refunds that reach the total reverse every leg exactly.
 */
export function refundShares(
  legs: readonly number[],
  saleTotal: number,
  before: number,
  amount: number,
): number[] {
  if (before < 0 || amount <= 0 || before + amount > saleTotal)
    throw new RangeError('refund outside the sale');
  const upTo = (refunded: number) =>
    allocate(Number((BigInt(refunded) * BigInt(legs.reduce((a, b) => a + b, 0))) / BigInt(saleTotal)), legs);
  // Legs sum to the sale total (the ledger balances), so the scaled amount is exact.
  const after = upTo(before + amount);
  const earlier = upTo(before);
  return after.map((v, i) => v - earlier[i]!);
}
