import 'reflect-metadata';
import {
  createDataSource,
  createLogger,
  createRedis,
  createTokenVerifier,
  migrate,
  remoteJwks,
  startOutboxRelay,
  startSubgraphServer,
  type EnvRecord,
  type OutboxRelay,
  type RunningSubgraph,
  type SubgraphDefinition,
} from '@edugraph/kit';
import { commerceMigrations } from '@edugraph/migrations/commerce';
import { createCommerceServices } from './commerce-services.js';
import { commerceEntities } from './entities.js';
import {
  COMMERCE_DEFAULT_PORT,
  COMMERCE_SCHEMA,
  kindsWithoutSellerRule,
  readCommerceConfig,
} from './environment.js';
import type { ProductKind } from './modules/catalog/product.entity.js';
import { SellerRules } from './modules/catalog/seller-rules.js';
import type { PaymentProvider } from './providers/payment-provider.js';
import { SandboxProvider } from './providers/sandbox-provider.js';
import { createStripeClient, StripeProvider } from './providers/stripe-provider.js';
import { mountStripeWebhooks } from './providers/stripe-webhooks.js';
import { PayPalProvider } from './providers/paypal-provider.js';
import { mountPayPalWebhooks } from './providers/paypal-webhooks.js';
import { buildCommerceSchema } from './schema.js';

export { buildCommerceSchema } from './schema.js';
export { readCommerceConfig } from './environment.js';
export { createCommerceServices, type CommerceServices } from './commerce-services.js';
export {
  ORDER_PAID,
  ORDER_REFUNDED,
  type OrderPaidPayload,
  type OrderRefundedPayload,
} from './modules/order/order-events.js';

async function migrateCommerce(databaseUrl: string): Promise<string[]> {
  const dataSource = createDataSource({
    url: databaseUrl,
    schema: COMMERCE_SCHEMA,
    entities: [],
    migrations: commerceMigrations,
    poolSize: 1,
  });
  return migrate(dataSource, COMMERCE_SCHEMA);
}

/**
 * GraphQL, the Stripe webhook route (when configured) and the outbox relay. Seller rules
 * (`COMMERCE_SELLER_RULES`) ask the owning subgraphs who may price what; in production each sold kind
 * without one is warned about once at start.
 */
async function startCommerce(env: EnvRecord): Promise<RunningSubgraph> {
  const config = readCommerceConfig(env);
  const production = config.nodeEnv === 'production';
  const logger = createLogger({
    name: 'commerce',
    ...(config.logLevel ? { level: config.logLevel } : {}),
    production,
  });
  const dataSource = createDataSource({
    url: config.databaseUrl,
    schema: COMMERCE_SCHEMA,
    entities: commerceEntities,
    migrations: commerceMigrations,
    poolSize: 4,
  });
  await dataSource.initialize();
  const redis = createRedis(config.redisUrl, { name: 'commerce' });
  let relay: OutboxRelay | null = null;
  let purge: NodeJS.Timeout | undefined;
  let renewals: NodeJS.Timeout | undefined;
  try {
    const providers: PaymentProvider[] = [];
    if (config.sandboxEnabled) providers.push(new SandboxProvider());
    const stripe = config.stripe ? createStripeClient(config.stripe) : null;
    if (stripe) providers.push(new StripeProvider(stripe));
    const paypal = config.paypal ? new PayPalProvider(config.paypal) : null;
    if (paypal) providers.push(paypal);
    const sellerRules = new SellerRules(logger);
    for (const [kind, url] of Object.entries(config.sellerRules))
      sellerRules.registerHttp(kind as ProductKind, url, { token: config.internalApiToken });
    if (production)
      for (const kind of kindsWithoutSellerRule(config.sellerRules))
        logger.warn(
          { kind },
          `no seller rule for ${kind} (COMMERCE_SELLER_RULES): any instructor may price any ${kind} id`,
        );
    const services = createCommerceServices({
      dataSource,
      providers,
      defaultProvider: config.defaultProvider,
      commissionBps: config.commissionBps,
      affiliateShareBps: config.affiliateShareBps,
      logger,
      sellerRules,
    });
    if (config.backgroundJobs) {
      relay = startOutboxRelay({
        dataSource,
        schema: COMMERCE_SCHEMA,
        source: 'commerce',
        redisUrl: config.redisUrl,
        logger,
        prefix: config.queuePrefix,
      });
      purge = setInterval(() => {
        services.orders
          .purgeWebhookEvents(config.webhookRetentionDays)
          .catch((error: unknown) => logger.warn({ err: error }, 'webhook event purge failed'));
        services.orders
          .expireAbandoned()
          .catch((error: unknown) => logger.warn({ err: error }, 'abandoned order expiry failed'));
      }, 3_600_000);
      purge.unref();
      renewals = setInterval(() => {
        services.subscriptions
          .processDue()
          .catch((error: unknown) => logger.warn({ err: error }, 'subscription renewals failed'));
      }, 60_000);
      renewals.unref();
    }
    const { schema } = await buildCommerceSchema(services);
    return await startSubgraphServer({
      name: 'commerce',
      schema,
      port: config.port,
      host: config.host,
      production,
      dataSource,
      redis,
      verifyToken: createTokenVerifier({
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        keys: remoteJwks(config.jwksUrl),
      }),
      logger,
      routes: (app) => {
        if (stripe && config.stripe)
          mountStripeWebhooks(app, {
            stripe,
            webhookSecret: config.stripe.webhookSecret,
            orders: services.orders,
            logger,
          });
        if (paypal) mountPayPalWebhooks(app, { paypal, orders: services.orders, logger });
      },
      onShutdown: async () => {
        if (purge) clearInterval(purge);
        if (renewals) clearInterval(renewals);
        await relay?.stop();
      },
    });
  } catch (error) {
    if (purge) clearInterval(purge);
    if (renewals) clearInterval(renewals);
    await relay?.stop();
    if (dataSource.isInitialized) await dataSource.destroy();
    redis.disconnect();
    throw error;
  }
}

export const subgraph: SubgraphDefinition = {
  name: 'commerce',
  schemaName: COMMERCE_SCHEMA,
  defaultPort: COMMERCE_DEFAULT_PORT,
  buildSchema: () => buildCommerceSchema(),
  migrate: migrateCommerce,
  start: startCommerce,
};
