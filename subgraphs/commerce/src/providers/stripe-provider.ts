import { BadUserInputError } from '@edugraph/kit';
import Stripe from 'stripe';
import type { StripeConfig } from '../environment.js';
import {
  ProviderCallError,
  type PaymentProvider,
  type PaymentResult,
  type PaymentStatus,
} from './payment-provider.js';

/** The Stripe SDK client, pointed at `apiBase` when set (tests: a local stand-in of the API). */
export function createStripeClient(config: Pick<StripeConfig, 'secretKey' | 'apiBase'>): Stripe {
  const base = config.apiBase;
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === 'https:' ? 443 : 80),
          protocol: base.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });
}

export function paymentStatusOf(intent: Stripe.PaymentIntent): PaymentStatus {
  switch (intent.status) {
    case 'succeeded':
      return 'SUCCEEDED';
    case 'requires_action':
    case 'requires_confirmation':
      return 'REQUIRES_ACTION';
    case 'processing':
    case 'requires_capture':
      return 'PROCESSING';
    case 'canceled':
      return 'FAILED';
    default:
      return intent.last_payment_error ? 'FAILED' : 'REQUIRES_PAYMENT_METHOD';
  }
}

function resultOf(intent: Stripe.PaymentIntent): PaymentResult {
  return {
    paymentId: intent.id,
    status: paymentStatusOf(intent),
    clientSecret: intent.client_secret ?? null,
    failureCode: intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? null,
    amountReceivedMinor: intent.status === 'succeeded' ? intent.amount_received : null,
  };
}

/** Stripe PaymentIntents through the official SDK; every write carries the operation's idempotency key. */
export class StripeProvider implements PaymentProvider {
  readonly name = 'STRIPE' as const;

  constructor(private readonly stripe: Stripe) {}

  assertPaymentMethod(paymentMethod: string | null): void {
    if (paymentMethod !== null && !/^(pm|tok|card)_[A-Za-z0-9_]{1,200}$/.test(paymentMethod))
      throw new BadUserInputError(
        '"paymentMethod" must be a Stripe PaymentMethod id (pm_…).',
        'paymentMethod',
      );
  }

  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      // A decline answers 402 with the PaymentIntent attached: it is a result, not a failure.
      if (error instanceof Stripe.errors.StripeCardError && error.payment_intent)
        return resultOf(error.payment_intent) as T;
      throw new ProviderCallError('STRIPE', error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
  }

  createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<PaymentResult> {
    return this.call(async () => {
      if (input.existingPaymentId) {
        const intent = await this.stripe.paymentIntents.confirm(
          input.existingPaymentId,
          input.paymentMethod ? { payment_method: input.paymentMethod } : {},
          { idempotencyKey: input.idempotencyKey },
        );
        return resultOf(intent);
      }
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: input.amountMinor,
          currency: input.currency.toLowerCase(),
          metadata: { orderId: input.orderId },
          automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
          ...(input.paymentMethod ? { payment_method: input.paymentMethod, confirm: true } : {}),
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return resultOf(intent);
    });
  }

  confirmPayment(input: { paymentId: string }): Promise<PaymentResult> {
    return this.call(async () => resultOf(await this.stripe.paymentIntents.retrieve(input.paymentId)));
  }

  async refund(input: { paymentId: string; amountMinor: number; idempotencyKey: string }) {
    return this.call(async () => {
      const refund = await this.stripe.refunds.create(
        { payment_intent: input.paymentId, amount: input.amountMinor },
        { idempotencyKey: input.idempotencyKey },
      );
      const status: 'SUCCEEDED' | 'PENDING' | 'FAILED' =
        refund.status === 'succeeded'
          ? 'SUCCEEDED'
          : refund.status === 'failed' || refund.status === 'canceled'
            ? 'FAILED'
            : 'PENDING';
      return { refundId: refund.id, status };
    });
  }
}
