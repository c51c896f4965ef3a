import { createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

type Order = {
  id: string;
  status: string;
  intent: string;
  links: { href: string; rel: string; method: string }[];
  purchase_units: {
    reference_id: string;
    custom_id: string;
    amount: { currency_code: string; value: string };
    payments?: {
      captures: { id: string; status: string; amount: { currency_code: string; value: string } }[];
    };
  }[];
};

export type PayPalRequest = { method: string; path: string; requestId: string | null };

/**
 * A local stand-in of PayPal's REST API: OAuth client credentials, Orders v2 (create, get, capture once
 * approved), capture refunds, and `verify-webhook-signature`, which really checks an RSA-SHA256
 * signature over `transmissionId|transmissionTime|webhookId|crc32(event)` like PayPal does.
 */
export class PayPalStandIn {
  readonly requests: PayPalRequest[] = [];
  readonly orders = new Map<string, Order>();
  readonly declined = new Set<string>();
  private readonly replies = new Map<string, { status: number; body: unknown }>();
  private readonly keys: { privateKey: KeyObject; publicKey: KeyObject } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  private server: http.Server | null = null;
  url = '';

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
    readonly webhookId: string,
  ) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        const path = (req.url ?? '').split('?')[0]!;
        const requestId =
          typeof req.headers['paypal-request-id'] === 'string' ? req.headers['paypal-request-id'] : null;
        this.requests.push({ method: req.method ?? '', path, requestId });
        const key = requestId ? `${req.method} ${path} ${requestId}` : null;
        const answer = (key && this.replies.get(key)) || this.handle(req, path, raw);
        if (key) this.replies.set(key, answer);
        res.writeHead(answer.status, { 'content-type': 'application/json' });
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

  /** The buyer approved the order on PayPal. */
  approve(id: string): void {
    this.orders.get(id)!.status = 'APPROVED';
  }

  get certUrl(): string {
    return `${this.url}/certs/webhook.pem`;
  }

  /** Signs an event like PayPal's webhook delivery (headers + raw body). */
  sign(
    event: object,
    options: { transmissionTime?: Date; webhookId?: string } = {},
  ): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify(event);
    const transmissionId = randomBytes(8).toString('hex');
    const transmissionTime = (options.transmissionTime ?? new Date()).toISOString();
    const signer = createSign('RSA-SHA256');
    signer.update(
      `${transmissionId}|${transmissionTime}|${options.webhookId ?? this.webhookId}|${crc32(body)}`,
    );
    return {
      body,
      headers: {
        'paypal-transmission-id': transmissionId,
        'paypal-transmission-time': transmissionTime,
        'paypal-transmission-sig': signer.sign(this.keys.privateKey, 'base64'),
        'paypal-cert-url': this.certUrl,
        'paypal-auth-algo': 'SHA256withRSA',
      },
    };
  }

  private handle(req: http.IncomingMessage, path: string, raw: string): { status: number; body: unknown } {
    const method = req.method ?? '';
    if (method === 'POST' && path === '/v1/oauth2/token') {
      const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return { status: 401, body: { error: 'invalid_client' } };
      return {
        status: 200,
        body: {
          access_token: `A21.${randomBytes(8).toString('hex')}`,
          token_type: 'Bearer',
          expires_in: 32400,
        },
      };
    }
    if (!/^Bearer A21\./.test(req.headers.authorization ?? ''))
      return { status: 401, body: { error: 'invalid_token' } };
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    if (method === 'POST' && path === '/v2/checkout/orders') {
      const id = randomBytes(8).toString('hex').toUpperCase();
      const unit = (body['purchase_units'] as Order['purchase_units'])[0]!;
      const order: Order = {
        id,
        status: 'CREATED',
        intent: String(body['intent']),
        links: [{ href: `${this.url}/checkoutnow?token=${id}`, rel: 'approve', method: 'GET' }],
        purchase_units: [{ reference_id: unit.reference_id, custom_id: unit.custom_id, amount: unit.amount }],
      };
      this.orders.set(id, order);
      return { status: 201, body: order };
    }
    const capture = /^\/v2\/checkout\/orders\/([^/]+)\/capture$/.exec(path);
    if (method === 'POST' && capture) {
      const order = this.orders.get(capture[1]!);
      if (!order) return { status: 404, body: { name: 'RESOURCE_NOT_FOUND' } };
      if (order.status === 'COMPLETED')
        return {
          status: 422,
          body: { name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'ORDER_ALREADY_CAPTURED' }] },
        };
      if (order.status !== 'APPROVED')
        return {
          status: 422,
          body: { name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'ORDER_NOT_APPROVED' }] },
        };
      if (this.declined.has(order.id))
        return {
          status: 422,
          body: { name: 'UNPROCESSABLE_ENTITY', details: [{ issue: 'INSTRUMENT_DECLINED' }] },
        };
      order.status = 'COMPLETED';
      order.purchase_units[0]!.payments = {
        captures: [
          {
            id: `CAP${randomBytes(6).toString('hex').toUpperCase()}`,
            status: 'COMPLETED',
            amount: order.purchase_units[0]!.amount,
          },
        ],
      };
      return { status: 201, body: order };
    }
    const get = /^\/v2\/checkout\/orders\/([^/]+)$/.exec(path);
    if (method === 'GET' && get) {
      const order = this.orders.get(get[1]!);
      return order ? { status: 200, body: order } : { status: 404, body: { name: 'RESOURCE_NOT_FOUND' } };
    }
    const refund = /^\/v2\/payments\/captures\/([^/]+)\/refund$/.exec(path);
    if (method === 'POST' && refund) {
      return {
        status: 201,
        body: {
          id: `REF${randomBytes(6).toString('hex').toUpperCase()}`,
          status: 'COMPLETED',
          amount: body['amount'],
        },
      };
    }
    if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature') {
      const verifier = createVerify('RSA-SHA256');
      verifier.update(
        `${String(body['transmission_id'])}|${String(body['transmission_time'])}|${String(body['webhook_id'])}|${crc32(JSON.stringify(body['webhook_event']))}`,
      );
      const genuine =
        body['webhook_id'] === this.webhookId &&
        body['cert_url'] === this.certUrl &&
        body['auth_algo'] === 'SHA256withRSA' &&
        verifier.verify(this.keys.publicKey, String(body['transmission_sig']), 'base64');
      return { status: 200, body: { verification_status: genuine ? 'SUCCESS' : 'FAILURE' } };
    }
    return { status: 404, body: { name: 'NOT_FOUND', path } };
  }
}
