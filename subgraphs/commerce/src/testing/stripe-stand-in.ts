import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

/** One request the SDK sent. */
export type StandInRequest = {
  method: string;
  path: string;
  idempotencyKey: string | null;
  params: Record<string, string>;
};

type Intent = {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_received: number;
  currency: string;
  status: string;
  client_secret: string;
  metadata: Record<string, string>;
  payment_method: string | null;
  last_payment_error: { code: string; decline_code?: string; type: string } | null;
  created: number;
  livemode: false;
};

/**
 * A local HTTP stand-in of the parts of Stripe's API commerce uses (PaymentIntents create / confirm /
 * retrieve, refunds), with test-mode PaymentMethods (`pm_card_visa`, `pm_card_chargeDeclined`,
 * `pm_card_authenticationRequired`) and Stripe's idempotency semantics (same key → same answer). The
 * real `stripe` SDK talks to it through its host/port/protocol options.
 */
export class StripeStandIn {
  readonly requests: StandInRequest[] = [];
  readonly intents = new Map<string, Intent>();
  private readonly idempotent = new Map<string, { status: number; body: unknown }>();
  private server: http.Server | null = null;
  url = '';

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const params = Object.fromEntries(new URLSearchParams(raw));
        const key =
          typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null;
        const path = (req.url ?? '').split('?')[0]!;
        this.requests.push({ method: req.method ?? '', path, idempotencyKey: key, params });
        const cacheKey = key ? `${req.method} ${path} ${key}` : null;
        const cached = cacheKey ? this.idempotent.get(cacheKey) : undefined;
        const answer = cached ?? this.handle(req.method ?? '', path, params);
        if (cacheKey && !cached) this.idempotent.set(cacheKey, answer);
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          'request-id': `req_${randomBytes(6).toString('hex')}`,
        });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The buyer completed 3-D Secure in Stripe.js. */
  completeAuthentication(id: string): void {
    const intent = this.intents.get(id)!;
    Object.assign(intent, { status: 'succeeded', amount_received: intent.amount });
  }

  private confirm(intent: Intent, paymentMethod: string | undefined): { status: number; body: unknown } {
    if (paymentMethod) intent.payment_method = paymentMethod;
    switch (intent.payment_method) {
      case 'pm_card_visa':
        Object.assign(intent, {
          status: 'succeeded',
          amount_received: intent.amount,
          last_payment_error: null,
        });
        return { status: 200, body: intent };
      case 'pm_card_authenticationRequired':
        intent.status = 'requires_action';
        return { status: 200, body: intent };
      case 'pm_card_chargeDeclined': {
        Object.assign(intent, {
          status: 'requires_payment_method',
          last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' },
        });
        return {
          status: 402,
          body: {
            error: {
              type: 'card_error',
              code: 'card_declined',
              decline_code: 'generic_decline',
              message: 'Your card was declined.',
              payment_intent: intent,
            },
          },
        };
      }
      default:
        return {
          status: 400,
          body: { error: { type: 'invalid_request_error', message: 'No such PaymentMethod' } },
        };
    }
  }

  private handle(
    method: string,
    path: string,
    params: Record<string, string>,
  ): { status: number; body: unknown } {
    if (method === 'POST' && path === '/v1/payment_intents') {
      const id = `pi_${randomBytes(12).toString('hex')}`;
      const intent: Intent = {
        id,
        object: 'payment_intent',
        amount: Number(params['amount']),
        amount_received: 0,
        currency: params['currency'] ?? 'usd',
        status: 'requires_payment_method',
        client_secret: `${id}_secret_${randomBytes(8).toString('hex')}`,
        metadata: Object.fromEntries(
          Object.entries(params)
            .filter(([k]) => k.startsWith('metadata['))
            .map(([k, v]) => [k.slice(9, -1), v]),
        ),
        payment_method: params['payment_method'] ?? null,
        last_payment_error: null,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
      };
      this.intents.set(id, intent);
      if (params['confirm'] === 'true') return this.confirm(intent, params['payment_method']);
      return { status: 200, body: intent };
    }
    const confirm = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(path);
    if (method === 'POST' && confirm) {
      const intent = this.intents.get(confirm[1]!);
      if (!intent)
        return {
          status: 404,
          body: { error: { type: 'invalid_request_error', message: 'No such payment_intent' } },
        };
      return this.confirm(intent, params['payment_method']);
    }
    const retrieve = /^\/v1\/payment_intents\/([^/]+)$/.exec(path);
    if (method === 'GET' && retrieve) {
      const intent = this.intents.get(retrieve[1]!);
      if (!intent)
        return {
          status: 404,
          body: { error: { type: 'invalid_request_error', message: 'No such payment_intent' } },
        };
      return { status: 200, body: intent };
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = this.intents.get(params['payment_intent'] ?? '');
      if (!intent || intent.status !== 'succeeded')
        return { status: 400, body: { error: { type: 'invalid_request_error', message: 'Cannot refund' } } };
      return {
        status: 200,
        body: {
          id: `re_${randomBytes(12).toString('hex')}`,
          object: 'refund',
          amount: Number(params['amount'] ?? intent.amount),
          currency: intent.currency,
          payment_intent: intent.id,
          status: 'succeeded',
        },
      };
    }
    return {
      status: 404,
      body: {
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${method} ${path})` },
      },
    };
  }
}

/** A Stripe event around a PaymentIntent, and its `Stripe-Signature` made with the SDK's own test helper. */
export function signedStripeEvent(input: {
  type: string;
  intent: object;
  secret: string;
  id?: string;
  timestamp?: number;
}): { id: string; payload: string; signature: string } {
  const id = input.id ?? `evt_${randomBytes(12).toString('hex')}`;
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-01-01',
    created: Math.floor(Date.now() / 1000),
    type: input.type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object: input.intent },
  });
  const stripe = new Stripe('sk_test_signing_only');
  const signature = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: input.secret,
    ...(input.timestamp !== undefined ? { timestamp: input.timestamp } : {}),
  });
  return { id, payload, signature };
}
