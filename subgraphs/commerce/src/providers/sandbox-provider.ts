import { createHash } from 'node:crypto';
import { BadUserInputError } from '@edugraph/kit';
import type { PaymentProvider, PaymentResult } from './payment-provider.js';

/** What a sandbox card does, after Stripe's test-mode cards (docs.stripe.com/testing). */
type Scenario =
  | { outcome: 'succeed' }
  | { outcome: 'decline'; code: string }
  | { outcome: 'authenticate'; then: 'succeed' | 'insufficient_funds' };

const SUCCEED: Scenario = { outcome: 'succeed' };

/** Card numbers and test PaymentMethod ids, with Stripe's test-mode behaviour. */
export const SANDBOX_CARDS: Readonly<Record<string, Scenario>> = {
  '4242424242424242': SUCCEED,
  '4000056655665556': SUCCEED,
  '5555555555554444': SUCCEED,
  '378282246310005': SUCCEED,
  pm_card_visa: SUCCEED,
  pm_card_mastercard: SUCCEED,
  tok_visa: SUCCEED,
  '4000000000000002': { outcome: 'decline', code: 'card_declined' },
  pm_card_chargeDeclined: { outcome: 'decline', code: 'card_declined' },
  '4000000000009995': { outcome: 'decline', code: 'insufficient_funds' },
  pm_card_chargeDeclinedInsufficientFunds: { outcome: 'decline', code: 'insufficient_funds' },
  '4000000000009987': { outcome: 'decline', code: 'lost_card' },
  '4000000000009979': { outcome: 'decline', code: 'stolen_card' },
  '4000000000000069': { outcome: 'decline', code: 'expired_card' },
  pm_card_chargeDeclinedExpiredCard: { outcome: 'decline', code: 'expired_card' },
  '4000000000000127': { outcome: 'decline', code: 'incorrect_cvc' },
  '4000000000000119': { outcome: 'decline', code: 'processing_error' },
  '4000002500003155': { outcome: 'authenticate', then: 'succeed' },
  '4000002760003184': { outcome: 'authenticate', then: 'succeed' },
  pm_card_authenticationRequired: { outcome: 'authenticate', then: 'succeed' },
  '4000008260003178': { outcome: 'authenticate', then: 'insufficient_funds' },
};

const SCENARIO_CODES: Record<string, string> = {
  succeed: 's',
  authenticate_succeed: 'as',
  authenticate_insufficient_funds: 'af',
};

function scenarioOf(paymentMethod: string | null): Scenario {
  const key = (paymentMethod ?? '').replace(/[\s-]/g, '');
  const scenario = SANDBOX_CARDS[key];
  if (!scenario)
    throw new BadUserInputError(
      'The SANDBOX provider takes Stripe test cards: 4242424242424242 succeeds, 4000000000000002 is declined, 4000002500003155 requires authentication.',
      'paymentMethod',
    );
  return scenario;
}

function result(
  paymentId: string,
  status: PaymentResult['status'],
  failureCode: string | null = null,
  amount: number | null = null,
): PaymentResult {
  return { paymentId, status, clientSecret: null, failureCode, amountReceivedMinor: amount };
}

/**
 * Offline payments for development and tests, deterministic and stateless: the payment id is derived
 * from the idempotency key (the same call twice is the same payment) and encodes what confirming it
 * after authentication does.
 */
export class SandboxProvider implements PaymentProvider {
  readonly name = 'SANDBOX' as const;

  assertPaymentMethod(paymentMethod: string | null): void {
    scenarioOf(paymentMethod);
  }

  async createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<PaymentResult> {
    const scenario = scenarioOf(input.paymentMethod);
    const digest = createHash('sha256').update(input.idempotencyKey).digest('hex').slice(0, 24);
    if (scenario.outcome === 'succeed')
      return result(`sbx_pi_${digest}_s_${input.amountMinor}`, 'SUCCEEDED', null, input.amountMinor);
    if (scenario.outcome === 'decline') return result(`sbx_pi_${digest}_d`, 'FAILED', scenario.code);
    const code = SCENARIO_CODES[`authenticate_${scenario.then}`]!;
    return result(`sbx_pi_${digest}_${code}_${input.amountMinor}`, 'REQUIRES_ACTION');
  }

  /** The buyer "completed" 3-D Secure: the card then succeeds or is declined for insufficient funds. */
  async confirmPayment(input: { paymentId: string }): Promise<PaymentResult> {
    const match = /^sbx_pi_[0-9a-f]{24}_(s|as|af|d)(?:_(\d+))?$/.exec(input.paymentId);
    if (!match) throw new BadUserInputError('Unknown sandbox payment.', 'orderId');
    const amount = match[2] ? Number(match[2]) : null;
    if (match[1] === 's' || match[1] === 'as') return result(input.paymentId, 'SUCCEEDED', null, amount);
    if (match[1] === 'af') return result(input.paymentId, 'FAILED', 'insufficient_funds');
    return result(input.paymentId, 'FAILED', 'card_declined');
  }

  async refund(input: { idempotencyKey: string }) {
    const digest = createHash('sha256').update(input.idempotencyKey).digest('hex').slice(0, 24);
    return { refundId: `sbx_re_${digest}`, status: 'SUCCEEDED' as const };
  }
}
