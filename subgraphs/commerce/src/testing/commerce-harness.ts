import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createDataSource,
  createLogger,
  createRedis,
  createTokenVerifier,
  migrate,
  startSubgraphServer,
  type PlatformRole,
  type RunningSubgraph,
} from '@edugraph/kit';
import { createTestDatabase, QueryCounter, type TestDatabase } from '@edugraph/kit/testing';
import { commerceMigrations } from '@edugraph/migrations/commerce';
import type { FormattedExecutionResult } from 'graphql';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWTVerifyGetKey,
} from 'jose';
import type { DataSource } from 'typeorm';
import { createCommerceServices, type CommerceServices } from '../commerce-services.js';
import type { Clock } from '../common/clock.js';
import { commerceEntities } from '../entities.js';
import type { SellerRules } from '../modules/catalog/seller-rules.js';
import { SandboxProvider } from '../providers/sandbox-provider.js';
import { createStripeClient, StripeProvider } from '../providers/stripe-provider.js';
import { mountStripeWebhooks, STRIPE_WEBHOOK_PATH } from '../providers/stripe-webhooks.js';
import { PayPalProvider } from '../providers/paypal-provider.js';
import { mountPayPalWebhooks, PAYPAL_WEBHOOK_PATH } from '../providers/paypal-webhooks.js';
import { buildCommerceSchema } from '../schema.js';
import { PayPalStandIn } from './paypal-stand-in.js';
import { StripeStandIn } from './stripe-stand-in.js';

export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ISSUER = 'https://identity.edugraph.test';
const AUDIENCE = 'edugraph-api';
export const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const C = '"commerce"';

export type TestUser = { id: string; token: string; roles: PlatformRole[] };
type Result<T> = FormattedExecutionResult<T, unknown>;

export type OutboxRow = {
  id: string;
  event_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
};

export type CommerceHarness = {
  db: TestDatabase;
  dataSource: DataSource;
  counter: QueryCounter;
  services: CommerceServices;
  stripe: StripeStandIn;
  paypal: PayPalStandIn;
  server: RunningSubgraph;
  clock: Clock & { set(date: Date): void; reset(): void };
  prefix: string;
  user(roles?: PlatformRole[]): Promise<TestUser>;
  gql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    as?: TestUser | null,
  ): Promise<Result<T>>;
  /** POSTs a raw body to the Stripe webhook route. */
  webhook(
    payload: string,
    signature: string | null,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** POSTs a raw body with headers to the PayPal webhook route. */
  paypalWebhook(
    body: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** setProductPrice as `seller` (INSTRUCTOR); returns the product id. */
  product(
    seller: TestUser,
    options?: { kind?: string; amount?: number; currency?: string; refId?: string },
  ): Promise<string>;
  /** addToCart + checkout; returns the raw result. */
  buy(
    buyer: TestUser,
    productIds: string[],
    checkout?: Record<string, unknown>,
  ): Promise<Result<{ checkout: CheckoutData }>>;
  outbox(type?: string): Promise<OutboxRow[]>;
  /** Sum of entries per (ledger transaction, currency) that is not zero (must always be empty). */
  unbalanced(): Promise<unknown[]>;
  close(): Promise<void>;
};

export type CheckoutData = {
  order: {
    id: string;
    status: string;
    total: { amount: number; currency: string };
    tax: { amount: number };
    discount: { amount: number };
    failureCode: string | null;
  };
  payment: { provider: string; status: string; clientSecret: string | null; failureCode: string | null };
};

export const CHECKOUT = `mutation($input: CheckoutInput!) { checkout(input: $input) {
  order { id status total { amount currency } tax { amount } discount { amount } failureCode }
  payment { provider status clientSecret failureCode } } }`;

/**
 * A fresh database with the real migrations, the SANDBOX provider and Stripe through the real SDK
 * talking to a local stand-in, the real HTTP server with the webhook route, and signed test tokens.
 */
export async function createCommerceHarness(
  name: string,
  options: { now?: Date; sellerRules?: SellerRules } = {},
): Promise<CommerceHarness> {
  const db = await createTestDatabase(`commerce_${name}`);
  const counter = new QueryCounter();
  const dataSource = createDataSource({
    url: db.url,
    schema: 'commerce',
    entities: commerceEntities,
    migrations: commerceMigrations,
    logger: counter,
    poolSize: 24,
  });
  await migrate(dataSource, 'commerce');
  await dataSource.initialize();
  const logger = createLogger({ name: 'commerce-test', level: process.env['COMMERCE_TEST_LOG'] ?? 'silent' });
  let current: Date | null = options.now ?? null;
  const clock = {
    now: () => current ?? new Date(),
    set: (date: Date) => {
      current = date;
    },
    /** Back to the system time. */
    reset: () => {
      current = null;
    },
  };
  const stripe = new StripeStandIn();
  const apiBase = new URL(await stripe.start());
  const stripeClient = createStripeClient({ secretKey: 'sk_test_standin', apiBase });
  const paypal = new PayPalStandIn('paypal-client', 'paypal-secret', 'WH-TEST-1');
  const paypalProvider = new PayPalProvider({
    clientId: paypal.clientId,
    clientSecret: paypal.clientSecret,
    webhookId: paypal.webhookId,
    apiBase: new URL(await paypal.start()),
  });
  const services = createCommerceServices({
    dataSource,
    providers: [new SandboxProvider(), new StripeProvider(stripeClient), paypalProvider],
    defaultProvider: 'SANDBOX',
    logger,
    clock,
    ...(options.sellerRules ? { sellerRules: options.sellerRules } : {}),
  });
  const pair = await generateKeyPair('ES256', { extractable: true });
  const privateKey: CryptoKey = pair.privateKey;
  const keys: JWTVerifyGetKey = createLocalJWKSet({
    keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' }],
  });
  const { schema } = await buildCommerceSchema(services);
  const serverDataSource = createDataSource({
    url: db.url,
    schema: 'commerce',
    entities: commerceEntities,
    migrations: [],
    poolSize: 2,
  });
  await serverDataSource.initialize();
  const server = await startSubgraphServer({
    name: 'commerce',
    schema,
    port: 0,
    production: true,
    dataSource: serverDataSource,
    redis: createRedis(TEST_REDIS_URL),
    verifyToken: createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, keys }),
    logger,
    routes: (app) => {
      mountStripeWebhooks(app, {
        stripe: stripeClient,
        webhookSecret: WEBHOOK_SECRET,
        orders: services.orders,
        logger,
      });
      mountPayPalWebhooks(app, { paypal: paypalProvider, orders: services.orders, logger });
    },
  });
  const base = new URL('/', server.url).toString().replace(/\/$/, '');

  async function gql<T>(query: string, variables: Record<string, unknown> = {}, as: TestUser | null = null) {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(as ? { authorization: `Bearer ${as.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as Result<T>;
  }

  return {
    db,
    dataSource,
    counter,
    services,
    stripe,
    paypal,
    server,
    clock,
    prefix: `test-commerce-${name}-${randomBytes(4).toString('hex')}`,
    async user(roles: PlatformRole[] = ['LEARNER']) {
      const id = randomUUID();
      const token = await new SignJWT({ roles, sid: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })
        .setSubject(id)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(privateKey);
      return { id, token, roles };
    },
    gql,
    async webhook(payload, signature) {
      const response = await fetch(`${base}${STRIPE_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'stripe-signature': signature } : {}),
        },
        body: payload,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async paypalWebhook(body, headers) {
      const response = await fetch(`${base}${PAYPAL_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async product(seller, o = {}) {
      const result = await gql<{ setProductPrice: { product: { id: string } } }>(
        `mutation($input: SetProductPriceInput!) { setProductPrice(input: $input) { product { id } } }`,
        {
          input: {
            kind: o.kind ?? 'COURSE',
            refId: o.refId ?? randomUUID(),
            title: 'A course',
            amount: o.amount ?? 10_000,
            currency: o.currency ?? 'USD',
          },
        },
        seller,
      );
      if (result.errors) throw new Error(`setProductPrice failed: ${JSON.stringify(result.errors)}`);
      return result.data!.setProductPrice.product.id;
    },
    async buy(buyer, productIds, checkout = {}) {
      for (const productId of productIds) {
        const added = await gql(
          `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { items { quantity } } } }`,
          { input: { productId } },
          buyer,
        );
        if (added.errors) throw new Error(`addToCart failed: ${JSON.stringify(added.errors)}`);
      }
      return gql<{ checkout: CheckoutData }>(
        CHECKOUT,
        { input: { billingCountry: 'US', paymentMethod: '4242424242424242', ...checkout } },
        buyer,
      );
    },
    async outbox(type) {
      return dataSource.query(
        `SELECT id, event_type, aggregate_id, payload FROM ${C}.outbox WHERE ($1::text IS NULL OR event_type = $1) ORDER BY occurred_at, id`,
        [type ?? null],
      );
    },
    async unbalanced() {
      return dataSource.query(
        `SELECT transaction_id, currency, sum(amount_minor) FROM ${C}.ledger_entries GROUP BY transaction_id, currency HAVING sum(amount_minor) <> 0`,
      );
    },
    async close() {
      await server.stop();
      await stripe.stop();
      await paypal.stop();
      if (dataSource.isInitialized) await dataSource.destroy();
      await db.drop();
    },
  };
}

/** The error codes of a result. */
export function codes(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.['code']);
}
