/** What a SANDBOX/Stripe failure code means to a buyer. */
const FAILURES: Record<string, string> = {
  card_declined: 'Your card was declined. Try another card.',
  insufficient_funds: 'Your card has insufficient funds. Try another card.',
  expired_card: 'Your card has expired. Try another card.',
  incorrect_cvc: 'The card’s security code is incorrect.',
  lost_card: 'Your card was declined. Try another card.',
  stolen_card: 'Your card was declined. Try another card.',
  processing_error: 'The payment could not be processed. Try again in a moment.',
};

export function failureMessage(code: string | null | undefined): string {
  return (code && FAILURES[code]) ?? 'The payment did not go through. Try another card.';
}

/** Digits only, so "4242 4242 4242 4242" and "4242-4242-…" are the same card. */
export function normaliseCard(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export const TEST_CARDS = [
  { number: '4242 4242 4242 4242', outcome: 'succeeds' },
  { number: '4000 0000 0000 0002', outcome: 'is declined' },
  { number: '4000 0025 0000 3155', outcome: 'asks for 3-D Secure, then succeeds' },
] as const;

/** Countries offered for billing (ISO 3166-1 alpha-2); tax is worked out from it. */
export const BILLING_COUNTRIES = [
  ['US', 'United States'],
  ['GB', 'United Kingdom'],
  ['DE', 'Germany'],
  ['FR', 'France'],
  ['NL', 'Netherlands'],
  ['ES', 'Spain'],
  ['IT', 'Italy'],
  ['CA', 'Canada'],
  ['AU', 'Australia'],
  ['IN', 'India'],
] as const;
