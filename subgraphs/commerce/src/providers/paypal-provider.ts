import { BadUserInputError } from '@edugraph/kit';
import { ProviderCallError, type PaymentProvider, type PaymentResult } from './payment-provider.js';

export type PayPalConfig = {
  clientId: string;
  clientSecret: string;
  /** The id PayPal gave the webhook subscription (needed to verify deliveries). */
  webhookId: string;
  /** `PAYPAL_API_BASE`: https://api-m.paypal.com (live), https://api-m.sandbox.paypal.com, or a local stand-in. */
  apiBase: URL;
};

/** ISO 4217 currencies PayPal takes without decimals; everything else here has two. */
const ZERO_DECIMAL = new Set(['JPY', 'KRW', 'TWD', 'HUF', 'VND', 'CLP', 'ISK', 'XAF', 'XOF']);

/** Minor units → PayPal's decimal string ("1234" USD → "12.34"), exactly (no floating point). */
export function toPayPalValue(amountMinor: number, currency: string): string {
  if (ZERO_DECIMAL.has(currency)) return String(amountMinor);
  const cents = String(amountMinor).padStart(3, '0');
  return `${cents.slice(0, -2)}.${cents.slice(-2)}`;
}

/** PayPal's decimal string → minor units, exactly; null when it is not a well-formed amount. */
export function fromPayPalValue(value: string, currency: string): number | null {
  const decimals = ZERO_DECIMAL.has(currency) ? 0 : 2;
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match || (decimals === 0 && match[2])) return null;
  return Number(match[1]) * 10 ** decimals + Number((match[2] ?? '').padEnd(decimals, '0') || '0');
}

type PayPalOrder = {
  id: string;
  status: 'CREATED' | 'SAVED' | 'APPROVED' | 'VOIDED' | 'COMPLETED' | 'PAYER_ACTION_REQUIRED';
  links?: { href: string; rel: string }[];
  purchase_units?: {
    custom_id?: string;
    payments?: {
      captures?: { id: string; status: string; amount: { value: string; currency_code: string } }[];
    };
  }[];
};

/**
 * PayPal Orders v2 (create → buyer approves → capture) over its REST API, with OAuth client
 * credentials; every write carries `PayPal-Request-Id` (PayPal's idempotency key) from the operation.
 */
export class PayPalProvider implements PaymentProvider {
  readonly name = 'PAYPAL' as const;
  private token: { value: string; expiresAt: number } | null = null;

  constructor(private readonly config: PayPalConfig) {}

  assertPaymentMethod(paymentMethod: string | null): void {
    if (paymentMethod !== null)
      throw new BadUserInputError(
        'PayPal takes no payment method: the buyer approves on PayPal.',
        'paymentMethod',
      );
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now() + 60_000) return this.token.value;
    const response = await this.fetch('/v1/oauth2/token', {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${this.config.clientId}:${this.config.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!response.ok || !body.access_token)
      throw new ProviderCallError('PAYPAL', `OAuth failed (${response.status})`);
    this.token = { value: body.access_token, expiresAt: Date.now() + (body.expires_in ?? 300) * 1000 };
    return body.access_token;
  }

  private async fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(new URL(path, this.config.apiBase), {
        ...init,
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      throw new ProviderCallError('PAYPAL', error instanceof Error ? error.message : String(error), {
        cause: error,
      });
    }
  }

  /** An authenticated JSON call; 4xx answers with a body are returned for the caller to read. */
  async call<T>(
    method: string,
    path: string,
    body: unknown,
    requestId: string | null,
  ): Promise<{ status: number; body: T }> {
    const response = await this.fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${await this.accessToken()}`,
        'content-type': 'application/json',
        prefer: 'return=representation',
        ...(requestId ? { 'paypal-request-id': requestId } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status >= 500) throw new ProviderCallError('PAYPAL', `PayPal answered ${response.status}`);
    return { status: response.status, body: (await response.json()) as T };
  }

  async createPayment(input: Parameters<PaymentProvider['createPayment']>[0]): Promise<PaymentResult> {
    const { status, body } = await this.call<PayPalOrder>(
      'POST',
      '/v2/checkout/orders',
      {
        intent: 'CAPTURE',
        purchase_units: [
          {
            reference_id: input.orderId,
            custom_id: input.orderId,
            amount: {
              currency_code: input.currency,
              value: toPayPalValue(input.amountMinor, input.currency),
            },
          },
        ],
      },
      input.idempotencyKey,
    );
    if (status >= 400) throw new ProviderCallError('PAYPAL', `order creation refused (${status})`);
    return {
      paymentId: body.id,
      status: 'REQUIRES_ACTION',
      clientSecret: null,
      redirectUrl: body.links?.find((l) => l.rel === 'approve' || l.rel === 'payer-action')?.href ?? null,
      failureCode: null,
      amountReceivedMinor: null,
    };
  }

  /**
   * After the buyer approved on PayPal: capture (once per PayPal order: the key `paypal:<id>:capture` makes
   * a retried capture return the same capture). Not approved yet → still REQUIRES_ACTION; an order
   * captured already (e.g. client-side) → its capture's outcome.
   */
  async confirmPayment(input: { paymentId: string }): Promise<PaymentResult> {
    const path = `/v2/checkout/orders/${encodeURIComponent(input.paymentId)}`;
    const current = await this.call<PayPalOrder>('GET', path, undefined, null);
    if (current.status === 404) return this.result(input.paymentId, 'FAILED', 'order_not_found');
    if (current.body.status === 'COMPLETED') return this.fromCaptured(input.paymentId, current.body);
    if (current.body.status !== 'APPROVED') return this.result(input.paymentId, 'REQUIRES_ACTION', null);
    const { status, body } = await this.call<PayPalOrder & { details?: { issue: string }[] }>(
      'POST',
      `${path}/capture`,
      {},
      `paypal:${input.paymentId}:capture`,
    );
    if (status >= 400)
      return this.result(
        input.paymentId,
        'FAILED',
        (body.details?.[0]?.issue ?? 'capture_refused').toLowerCase(),
      );
    return this.fromCaptured(input.paymentId, body);
  }

  private result(
    paymentId: string,
    status: PaymentResult['status'],
    failureCode: string | null,
  ): PaymentResult {
    return {
      paymentId,
      status,
      clientSecret: null,
      redirectUrl: null,
      failureCode,
      amountReceivedMinor: null,
    };
  }

  private fromCaptured(paymentId: string, order: PayPalOrder): PaymentResult {
    const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
    if (order.status === 'COMPLETED' && capture?.status === 'COMPLETED') {
      const received = fromPayPalValue(capture.amount.value, capture.amount.currency_code);
      // An amount we cannot read never settles an order (the webhook or reconciliation will tell).
      if (received === null) return this.result(paymentId, 'PROCESSING', null);
      return { ...this.result(paymentId, 'SUCCEEDED', null), amountReceivedMinor: received };
    }
    if (capture?.status === 'PENDING') return this.result(paymentId, 'PROCESSING', null);
    return this.result(paymentId, 'FAILED', capture ? capture.status.toLowerCase() : 'not_captured');
  }

  async refund(input: { paymentId: string; amountMinor: number; currency: string; idempotencyKey: string }) {
    const order = await this.call<PayPalOrder>(
      'GET',
      `/v2/checkout/orders/${encodeURIComponent(input.paymentId)}`,
      undefined,
      null,
    );
    const captureId = order.body.purchase_units?.[0]?.payments?.captures?.[0]?.id;
    if (!captureId) throw new ProviderCallError('PAYPAL', 'no capture to refund');
    const { status, body } = await this.call<{ id: string; status: string }>(
      'POST',
      `/v2/payments/captures/${encodeURIComponent(captureId)}/refund`,
      { amount: { currency_code: input.currency, value: toPayPalValue(input.amountMinor, input.currency) } },
      input.idempotencyKey,
    );
    if (status >= 400) return { refundId: '', status: 'FAILED' as const };
    return {
      refundId: body.id,
      status: body.status === 'COMPLETED' ? ('SUCCEEDED' as const) : ('PENDING' as const),
    };
  }

  /**
   * Asks PayPal whether a webhook delivery is genuine (`verify-webhook-signature`: transmission id and
   * time, the certificate URL, the signature and our webhook id, over the event). Any doubt is a no.
   */
  async verifyWebhook(headers: Record<string, string | undefined>, event: unknown): Promise<boolean> {
    const required = [
      'paypal-transmission-id',
      'paypal-transmission-time',
      'paypal-transmission-sig',
      'paypal-cert-url',
      'paypal-auth-algo',
    ];
    if (required.some((h) => !headers[h])) return false;
    const { status, body } = await this.call<{ verification_status?: string }>(
      'POST',
      '/v1/notifications/verify-webhook-signature',
      {
        transmission_id: headers['paypal-transmission-id'],
        transmission_time: headers['paypal-transmission-time'],
        transmission_sig: headers['paypal-transmission-sig'],
        cert_url: headers['paypal-cert-url'],
        auth_algo: headers['paypal-auth-algo'],
        webhook_id: this.config.webhookId,
        webhook_event: event,
      },
      null,
    );
    return status === 200 && body.verification_status === 'SUCCESS';
  }
}
