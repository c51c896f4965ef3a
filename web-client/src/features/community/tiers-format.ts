import type { BillingInterval, TierSubscriptionStatus } from '../../generated/graphql.js';
import { formatMoney } from '../catalogue/format.js';

const INTERVAL_LABELS: Record<BillingInterval, string> = {
  MONTHLY: 'a month',
  QUARTERLY: 'every 3 months',
  ANNUAL: 'a year',
  LIFETIME: 'once, for life',
};

export const BILLING_INTERVALS: readonly [BillingInterval, string][] = [
  ['MONTHLY', 'Monthly'],
  ['QUARTERLY', 'Quarterly'],
  ['ANNUAL', 'Annual'],
  ['LIFETIME', 'Lifetime (one payment)'],
];

/** "€9.00 a month", "$120.00 once, for life". */
export function formatTierPrice(
  price: { amount: number; currency: string },
  interval: BillingInterval | null | undefined,
): string {
  return `${formatMoney(price.amount, price.currency)} ${INTERVAL_LABELS[interval ?? 'MONTHLY']}`;
}

/** Minor units of a currency (2 for USD, 0 for JPY), as Intl knows it; unknown codes throw RangeError. */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** "9.5" in USD → 950; null when it is not a non-negative amount with at most the currency's decimals. */
export function toMinorUnits(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const trimmed = text.trim().replace(',', '.');
  const pattern = digits > 0 ? new RegExp(`^\\d+(\\.\\d{1,${digits}})?$`) : /^\d+$/;
  if (!pattern.test(trimmed)) return null;
  return Math.round(Number(trimmed) * 10 ** digits);
}

/** 950 in USD → "9.50" (for an input's value). */
export function fromMinorUnits(amount: number, currency: string): string {
  const digits = currencyDigits(currency);
  return (amount / 10 ** digits).toFixed(digits);
}

const date = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
export const formatDate = (iso: string): string => date.format(new Date(iso));

/** Subscriptions that still give (or are about to give) access. */
export const LIVE_SUBSCRIPTION: ReadonlySet<TierSubscriptionStatus> = new Set([
  'INCOMPLETE',
  'TRIALING',
  'ACTIVE',
  'PAST_DUE',
]);

export function subscriptionStatusText(sub: {
  status: TierSubscriptionStatus;
  billingInterval: BillingInterval;
  trialEndsAt?: string | null;
  currentPeriodEnd?: string | null;
  cancelAtPeriodEnd: boolean;
  canceledAt?: string | null;
  endedAt?: string | null;
}): string {
  switch (sub.status) {
    case 'INCOMPLETE':
      return 'Payment not completed: the tier is not yours yet.';
    case 'TRIALING':
      return sub.trialEndsAt
        ? `Free trial: ends on ${formatDate(sub.trialEndsAt)}, when the first period is charged.`
        : 'Free trial.';
    case 'ACTIVE':
      if (!sub.currentPeriodEnd) return 'Active: lifetime access.';
      return sub.cancelAtPeriodEnd
        ? `Active: canceled, ends on ${formatDate(sub.currentPeriodEnd)}.`
        : `Active: renews on ${formatDate(sub.currentPeriodEnd)}.`;
    case 'PAST_DUE':
      return 'Past due: the last renewal failed. Access continues for a 7-day grace period while we retry.';
    case 'CANCELED':
      return sub.endedAt ? `Canceled: ended on ${formatDate(sub.endedAt)}.` : 'Canceled.';
    case 'EXPIRED':
      return sub.endedAt ? `Ended on ${formatDate(sub.endedAt)}.` : 'Ended.';
  }
}
