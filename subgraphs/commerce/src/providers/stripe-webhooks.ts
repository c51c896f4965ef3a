import type { Logger } from '@edugraph/kit';
import express, { type Express } from 'express';
import type Stripe from 'stripe';
import type { OrderService, PaymentEvent } from '../modules/order/order.service.js';

/** Stripe's recommended tolerance between the signed timestamp and now. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;
export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

/** A verified Stripe event → what it says about one of our payments. */
export function paymentEventOf(event: Stripe.Event): PaymentEvent {
  const base = { provider: 'STRIPE' as const, eventId: event.id, eventType: event.type };
  if (event.type.startsWith('payment_intent.')) {
    const intent = event.data.object as Stripe.PaymentIntent;
    const common = {
      ...base,
      paymentId: intent.id,
      orderId: intent.metadata?.['orderId'] ?? null,
      currency: intent.currency ?? null,
    };
    switch (event.type) {
      case 'payment_intent.succeeded':
        return { ...common, outcome: 'SUCCEEDED', amountMinor: intent.amount_received, failureCode: null };
      case 'payment_intent.payment_failed':
        return {
          ...common,
          outcome: 'FAILED',
          amountMinor: null,
          failureCode:
            intent.last_payment_error?.decline_code ?? intent.last_payment_error?.code ?? 'payment_failed',
        };
      case 'payment_intent.requires_action':
        return { ...common, outcome: 'REQUIRES_ACTION', amountMinor: null, failureCode: null };
      default:
        break;
    }
  }
  return {
    ...base,
    outcome: 'IGNORED',
    paymentId: '',
    orderId: null,
    amountMinor: null,
    currency: null,
    failureCode: null,
  };
}

/**
 * `POST /webhooks/stripe`: the raw body is verified with `stripe.webhooks.constructEvent` (signature and
 * 300 s tolerance) before anything is parsed; 400 for a bad or stale signature, 500 when applying fails
 * (Stripe retries), 200 otherwise — duplicates included (deduplicated by event id).
 */
export function mountStripeWebhooks(
  app: Express,
  options: { stripe: Stripe; webhookSecret: string; orders: OrderService; logger: Logger },
): void {
  app.post(STRIPE_WEBHOOK_PATH, express.raw({ type: () => true, limit: '512kb' }), (req, res) => {
    const signature = req.headers['stripe-signature'];
    const body: unknown = req.body;
    if (typeof signature !== 'string' || !Buffer.isBuffer(body)) {
      res.status(400).json({ error: 'missing signature or body' });
      return;
    }
    let event: Stripe.Event;
    try {
      event = options.stripe.webhooks.constructEvent(
        body,
        signature,
        options.webhookSecret,
        STRIPE_WEBHOOK_TOLERANCE_SECONDS,
      );
    } catch (error) {
      options.logger.warn({ err: error }, 'stripe webhook rejected: bad signature');
      res.status(400).json({ error: 'invalid signature' });
      return;
    }
    options.orders.applyPaymentEvent(paymentEventOf(event)).then(
      (result) => res.json({ received: true, result }),
      (error: unknown) => {
        options.logger.error({ err: error, eventId: event.id }, 'stripe webhook could not be applied');
        res.status(500).json({ error: 'not applied' });
      },
    );
  });
}
