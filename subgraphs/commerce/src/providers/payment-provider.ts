import type { ProviderName } from '../environment.js';
/** Where a payment stands after a provider call (Stripe's PaymentIntent states, simplified). */
export type PaymentStatus =
  'SUCCEEDED' | 'REQUIRES_ACTION' | 'REQUIRES_PAYMENT_METHOD' | 'PROCESSING' | 'FAILED';

export type PaymentResult = {
  paymentId: string;
  status: PaymentStatus;
  /** For the client (Stripe.js `confirmCardPayment`); null for the sandbox. */
  clientSecret: string | null;
  /** Where the buyer approves the payment (PayPal); null otherwise. */
  redirectUrl?: string | null;
  failureCode: string | null;
  /** What the provider says was received (minor units), when it says so. */
  amountReceivedMinor: number | null;
};

export type RefundResult = { refundId: string; status: 'SUCCEEDED' | 'PENDING' | 'FAILED' };

/**
 * A payment provider. Every call carries an idempotency key derived from the business operation
 * (e.g. `order:<id>:payment:<attempt>`), so a retried call never charges or refunds twice.
 */
export type PaymentProvider = {
  readonly name: ProviderName;
  /** Throws BAD_USER_INPUT for a payment method this provider can never use (checked before an order exists). */
  assertPaymentMethod(paymentMethod: string | null): void;
  createPayment(input: {
    orderId: string;
    amountMinor: number;
    currency: string;
    /** A card number or test payment method (sandbox), a PaymentMethod id (Stripe); null: client confirms later. */
    paymentMethod: string | null;
    /** An existing payment of the order to confirm again (retry) instead of a new one. */
    existingPaymentId: string | null;
    idempotencyKey: string;
  }): Promise<PaymentResult>;
  /** After the buyer completed the required action (3-D Secure): the payment's state now. */
  confirmPayment(input: { paymentId: string; idempotencyKey: string }): Promise<PaymentResult>;
  refund(input: {
    paymentId: string;
    amountMinor: number;
    currency: string;
    idempotencyKey: string;
  }): Promise<RefundResult>;
};

/** The provider call failed in transport or on the provider's side (not a decline). */
export class ProviderCallError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ProviderCallError';
  }
}
