import type { BillingInterval } from '../catalog/product.entity.js';

const MONTHS: Record<Exclude<BillingInterval, 'LIFETIME'>, number> = { MONTHLY: 1, QUARTERLY: 3, ANNUAL: 12 };

/** `start` plus the interval in calendar months (UTC), clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function periodEnd(start: Date, interval: BillingInterval): Date | null {
  if (interval === 'LIFETIME') return null;
  const months = MONTHS[interval];
  const target = new Date(
    Date.UTC(
      start.getUTCFullYear(),
      start.getUTCMonth() + months,
      1,
      start.getUTCHours(),
      start.getUTCMinutes(),
      start.getUTCSeconds(),
      start.getUTCMilliseconds(),
    ),
  );
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(start.getUTCDate(), lastDay));
  return target;
}

/** How long a PAST_DUE subscription keeps access before it expires. */
export const PAST_DUE_GRACE_MS = 7 * 86_400_000;
