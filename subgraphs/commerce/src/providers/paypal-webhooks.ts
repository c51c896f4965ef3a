import type { Logger } from '@edugraph/kit';
import express, { type Express } from 'express';
import type { OrderService, PaymentEvent } from '../modules/order/order.service.js';
import { fromPayPalValue, type PayPalProvider } from './paypal-provider.js';

export const PAYPAL_WEBHOOK_PATH = '/webhooks/paypal';
/** Deliveries whose transmission time is further than this from now are refused (replays). */
export const PAYPAL_WEBHOOK_TOLERANCE_SECONDS = 300;

type PayPalEvent = {
  id?: string;
  event_type?: string;
  resource?: {
    id?: string;
    custom_id?: string;
    amount?: { value: string; currency_code: string };
    status_details?: { reason?: string };
    supplementary_data?: { related_ids?: { order_id?: string } };
  };
};

/** A verified PayPal event → what it says about one of our payments (the PayPal order is our payment id). */
export function paypalPaymentEventOf(event: PayPalEvent): PaymentEvent | null {
  if (!event.id || !event.event_type) return null;
  const resource = event.resource ?? {};
  const base = {
    provider: 'PAYPAL' as const,
    eventId: event.id,
    eventType: event.event_type,
    paymentId: resource.supplementary_data?.related_ids?.order_id ?? '',
    orderId: resource.custom_id ?? null,
    currency: resource.amount?.currency_code ?? null,
  };
  switch (event.event_type) {
    case 'PAYMENT.CAPTURE.COMPLETED': {
      const amount = resource.amount
        ? fromPayPalValue(resource.amount.value, resource.amount.currency_code)
        : null;
      if (amount === null) return null;
      return { ...base, outcome: 'SUCCEEDED', amountMinor: amount, failureCode: null };
    }
    case 'PAYMENT.CAPTURE.DENIED':
    case 'PAYMENT.CAPTURE.DECLINED':
      return {
        ...base,
        outcome: 'FAILED',
        amountMinor: null,
        failureCode: (resource.status_details?.reason ?? 'denied').toLowerCase(),
      };
    default:
      return { ...base, outcome: 'IGNORED', amountMinor: null, failureCode: null };
  }
}

/**
 * `POST /webhooks/paypal`: refused with 400 unless PayPal confirms the signature (over the event, our
 * webhook id, transmission id and time) and the transmission time is within 300 s; then applied once
 * per event id like any payment event (duplicates answer 200).
 */
export function mountPayPalWebhooks(
  app: Express,
  options: { paypal: PayPalProvider; orders: OrderService; logger: Logger; now?: () => Date },
): void {
  app.post(PAYPAL_WEBHOOK_PATH, express.raw({ type: () => true, limit: '512kb' }), (req, res) => {
    const reject = (reason: string) => {
      options.logger.warn({ reason }, 'paypal webhook rejected');
      res.status(400).json({ error: reason });
    };
    const raw: unknown = req.body;
    if (!Buffer.isBuffer(raw)) return reject('no body');
    let event: PayPalEvent;
    try {
      event = JSON.parse(raw.toString('utf8')) as PayPalEvent;
    } catch {
      return reject('not JSON');
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const sent = Date.parse(header('paypal-transmission-time') ?? '');
    const now = (options.now ?? (() => new Date()))().getTime();
    if (!Number.isFinite(sent) || Math.abs(now - sent) > PAYPAL_WEBHOOK_TOLERANCE_SECONDS * 1000)
      return reject('stale or missing transmission time');
    const names = [
      'paypal-transmission-id',
      'paypal-transmission-time',
      'paypal-transmission-sig',
      'paypal-cert-url',
      'paypal-auth-algo',
    ];
    options.paypal
      .verifyWebhook(Object.fromEntries(names.map((n) => [n, header(n)])), event)
      .then(async (genuine) => {
        if (!genuine) return reject('invalid signature');
        const payment = paypalPaymentEventOf(event);
        if (!payment) return reject('unreadable event');
        const result = await options.orders.applyPaymentEvent(payment);
        res.json({ received: true, result });
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error, eventId: event.id }, 'paypal webhook could not be applied');
        res.status(500).json({ error: 'not applied' });
      });
  });
}
