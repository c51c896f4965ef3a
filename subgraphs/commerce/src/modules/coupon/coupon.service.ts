import { randomUUID } from 'node:crypto';
import { BadUserInputError, DomainError, type Viewer } from '@edugraph/kit';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  CouponExhaustedError,
  CouponInvalidError,
  CouponLimitReachedError,
} from '../../common/commerce.errors.js';
import type { CouponTerms } from '../../money/money.js';
import { assertCurrency } from '../catalog/product.service.js';
import { CouponEntity, type CouponKind } from './coupon.entity.js';

const C = '"commerce"';

export type CreateCouponInput = {
  code: string;
  kind: CouponKind;
  percentOff?: number | null;
  amountOff?: number | null;
  currency?: string | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  maxRedemptions?: number | null;
  perUserLimit?: number | null;
};

export function normaliseCouponCode(code: string): string {
  const upper = code.trim().toUpperCase();
  if (!/^[A-Z0-9_-]{3,32}$/.test(upper))
    throw new BadUserInputError('"code" must be 3–32 letters, digits, "-" or "_".', 'code');
  return upper;
}

/**
 * Coupons: percent (1–80 %) or a fixed amount in one currency, a validity window, a redemption cap and
 * a per-user limit. Redemption takes the coupon's row lock and bumps `redeemed_count` in one UPDATE
 * whose WHERE re-checks the cap, so N allowed redemptions stay exactly N under any concurrency (and a
 * CHECK constraint guards the cap as well).
 */
export class CouponService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async create(viewer: Viewer, input: CreateCouponInput): Promise<CouponEntity> {
    const code = normaliseCouponCode(input.code);
    const coupon = new CouponEntity();
    Object.assign(coupon, {
      id: randomUUID(),
      code,
      kind: input.kind,
      percentOff: null,
      amountOffMinor: null,
      currency: null,
      startsAt: input.startsAt ?? null,
      endsAt: input.endsAt ?? null,
      maxRedemptions: input.maxRedemptions ?? null,
      perUserLimit: input.perUserLimit ?? null,
      redeemedCount: 0,
      createdBy: viewer.userId,
      createdAt: this.clock.now(),
    });
    if (input.kind === 'PERCENT') {
      const p = input.percentOff;
      if (typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 80)
        throw new BadUserInputError('"percentOff" must be 1–80.', 'percentOff');
      if (input.amountOff != null)
        throw new BadUserInputError('A percent coupon has no amount.', 'amountOff');
      coupon.percentOff = p;
    } else if (input.kind === 'AMOUNT') {
      const a = input.amountOff;
      if (typeof a !== 'number' || !Number.isInteger(a) || a < 1 || a > 5_000_000)
        throw new BadUserInputError('"amountOff" must be 1–5000000 minor units.', 'amountOff');
      if (!input.currency) throw new BadUserInputError('A fixed coupon needs a currency.', 'currency');
      if (input.percentOff != null)
        throw new BadUserInputError('A fixed coupon has no percent.', 'percentOff');
      coupon.amountOffMinor = a;
      coupon.currency = assertCurrency(input.currency);
    } else throw new BadUserInputError('Unknown coupon kind.', 'kind');
    if (coupon.startsAt && coupon.endsAt && coupon.startsAt >= coupon.endsAt)
      throw new BadUserInputError('"endsAt" must be after "startsAt".', 'endsAt');
    for (const field of ['maxRedemptions', 'perUserLimit'] as const) {
      const v = input[field];
      if (v != null && (!Number.isInteger(v) || v < 1 || v > 1_000_000))
        throw new BadUserInputError(`"${field}" must be 1–1000000.`, field);
    }
    try {
      await this.dataSource.getRepository(CouponEntity).insert(coupon);
    } catch (error) {
      if (error instanceof QueryFailedError && /uq_coupons_code/.test(error.message))
        throw new DomainError('CONFLICT', `The coupon code ${code} is taken.`, { field: 'code' });
      throw error;
    }
    return coupon;
  }

  list(): Promise<CouponEntity[]> {
    return this.dataSource
      .getRepository(CouponEntity)
      .find({ order: { createdAt: 'DESC', id: 'DESC' }, take: 500 });
  }

  /**
   * Redeems a coupon for an order inside the checkout transaction (rolled back with it). Returns the
   * coupon's id and terms.
   */
  async redeem(
    manager: EntityManager,
    input: { code: string; userId: string; orderId: string; currency: string },
  ): Promise<{ couponId: string; terms: CouponTerms }> {
    const code = normaliseCouponCode(input.code);
    const coupon = await manager.getRepository(CouponEntity).findOneBy({ code });
    if (!coupon) throw new CouponInvalidError('unknown code');
    const now = this.clock.now();
    if (coupon.startsAt && now < coupon.startsAt) throw new CouponInvalidError('not valid yet');
    if (coupon.endsAt && now >= coupon.endsAt) throw new CouponInvalidError('expired');
    if (coupon.kind === 'AMOUNT' && coupon.currency !== input.currency)
      throw new CouponInvalidError(`it is in ${coupon.currency}, the order in ${input.currency}`);
    const updated = (await manager.query(
      `UPDATE ${C}.coupons SET redeemed_count = redeemed_count + 1
       WHERE id = $1 AND (max_redemptions IS NULL OR redeemed_count < max_redemptions) RETURNING id`,
      [coupon.id],
    )) as [unknown[], number];
    if (updated[1] === 0) throw new CouponExhaustedError();
    if (coupon.perUserLimit !== null) {
      // The coupon row is locked by the UPDATE above: one buyer's checkouts count one at a time.
      const [{ n }] = (await manager.query(
        `SELECT count(*)::int AS n FROM ${C}.coupon_redemptions WHERE coupon_id = $1 AND user_id = $2 AND released_at IS NULL`,
        [coupon.id, input.userId],
      )) as [{ n: number }];
      if (n >= coupon.perUserLimit) throw new CouponLimitReachedError(coupon.perUserLimit);
    }
    await manager.query(
      `INSERT INTO ${C}.coupon_redemptions (id, coupon_id, user_id, order_id) VALUES ($1, $2, $3, $4)`,
      [randomUUID(), coupon.id, input.userId, input.orderId],
    );
    const terms: CouponTerms =
      coupon.kind === 'PERCENT'
        ? { kind: 'PERCENT', percentOff: coupon.percentOff! }
        : { kind: 'AMOUNT', amountOffMinor: coupon.amountOffMinor! };
    return { couponId: coupon.id, terms };
  }

  /** Gives an unpaid, canceled order's redemption back (in the caller's transaction). */
  async release(manager: EntityManager, orderId: string): Promise<void> {
    const released = (await manager.query(
      `UPDATE ${C}.coupon_redemptions SET released_at = now() WHERE order_id = $1 AND released_at IS NULL RETURNING coupon_id`,
      [orderId],
    )) as [{ coupon_id: string }[], number];
    for (const row of released[0])
      await manager.query(`UPDATE ${C}.coupons SET redeemed_count = redeemed_count - 1 WHERE id = $1`, [
        row.coupon_id,
      ]);
  }
}
