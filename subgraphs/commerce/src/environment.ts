import {
  EnvError,
  envBool,
  envInt,
  envOptional,
  envString,
  readCommonSubgraphConfig,
  type CommonSubgraphConfig,
  type EnvRecord,
} from '@edugraph/kit';
import { PRODUCT_KINDS, type ProductKind } from './modules/catalog/product.entity.js';

export const COMMERCE_DEFAULT_PORT = 4006;
export const COMMERCE_SCHEMA = 'commerce';

export type ProviderName = 'SANDBOX' | 'STRIPE' | 'PAYPAL';

export type StripeConfig = {
  secretKey: string;
  webhookSecret: string;
  /** `STRIPE_API_BASE` (e.g. a local stand-in `http://127.0.0.1:12111`); default: Stripe's API. */
  apiBase: URL | undefined;
};

export type PayPalSettings = { clientId: string; clientSecret: string; webhookId: string; apiBase: URL };

export type CommerceConfig = CommonSubgraphConfig & {
  /** PayPal when `PAYPAL_CLIENT_ID`, `PAYPAL_CLIENT_SECRET` and `PAYPAL_WEBHOOK_ID` are set (`PAYPAL_API_BASE`). */
  paypal: PayPalSettings | null;
  queuePrefix: string;
  /** `COMMERCE_PROVIDER`: the provider used when checkout names none (default SANDBOX). */
  defaultProvider: ProviderName;
  /** Providers checkout accepts: SANDBOX unless disabled (`COMMERCE_SANDBOX`, default: not production), STRIPE when configured. */
  sandboxEnabled: boolean;
  stripe: StripeConfig | null;
  /** `COMMERCE_COMMISSION_BPS`: `COURSE=500,EBOOK=500,…` overrides of the platform commission. */
  commissionBps: Record<ProductKind, number>;
  /** The affiliate's share of the platform commission (`COMMERCE_AFFILIATE_SHARE_BPS`, default 2500 = 25 %). */
  affiliateShareBps: number;
  /** Start the outbox relay (`COMMERCE_BACKGROUND_JOBS`, default true). */
  backgroundJobs: boolean;
  /** Webhook events are kept at least this many days for deduplication (`COMMERCE_WEBHOOK_RETENTION_DAYS`, ≥ 3). */
  webhookRetentionDays: number;
  /**
   * `COMMERCE_SELLER_RULES`: `COURSE=url,EBOOK=url,…` — the owning subgraph's HTTP rule naming who may sell
   * each kind (`POST { kind, refId }` with `authorization: Bearer <INTERNAL_API_TOKEN>`).
   */
  sellerRules: Partial<Record<ProductKind, string>>;
};

/** Affiliates get 25 % of the platform commission (DOMAIN.md). */
export const DEFAULT_AFFILIATE_SHARE_BPS = 2500;

/** Platform commission in basis points of the line's net amount (DOMAIN.md). */
export const DEFAULT_COMMISSION_BPS: Record<ProductKind, number> = {
  COURSE: 500,
  EBOOK: 500,
  COMMUNITY_TIER: 250,
  TUTOR_HOURS: 250,
  LIVE_TICKET: 1000,
};

export function parseCommission(raw: string | undefined): Record<ProductKind, number> {
  const result = { ...DEFAULT_COMMISSION_BPS };
  for (const entry of (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [kind, value] = entry.split('=');
    const bps = Number(value);
    if (!PRODUCT_KINDS.includes(kind as ProductKind) || !Number.isInteger(bps) || bps < 0 || bps > 10_000)
      throw new EnvError(`COMMERCE_COMMISSION_BPS entry "${entry}" must be KIND=0..10000.`);
    result[kind as ProductKind] = bps;
  }
  return result;
}

/** Parses `COMMERCE_SELLER_RULES` (`KIND=url` entries, each kind once, http(s) URLs). */
export function parseSellerRules(raw: string | undefined): Partial<Record<ProductKind, string>> {
  const rules: Partial<Record<ProductKind, string>> = {};
  for (const entry of (raw ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [kind, url] = entry.split(/=(.*)/s);
    if (!kind || !url || !PRODUCT_KINDS.includes(kind as ProductKind))
      throw new EnvError(
        `COMMERCE_SELLER_RULES entry "${entry}" must be KIND=url (KIND one of ${PRODUCT_KINDS.join(', ')}).`,
      );
    if (rules[kind as ProductKind]) throw new EnvError(`COMMERCE_SELLER_RULES names ${kind} twice.`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new EnvError(`COMMERCE_SELLER_RULES entry "${entry}" has no valid URL.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw new EnvError(`COMMERCE_SELLER_RULES entry "${entry}" must use http or https.`);
    rules[kind as ProductKind] = parsed.toString();
  }
  return rules;
}

/** The kinds commerce sells whose seller no owning subgraph checks (any instructor may price them). */
export function kindsWithoutSellerRule(rules: Partial<Record<ProductKind, string>>): ProductKind[] {
  return PRODUCT_KINDS.filter((kind) => !rules[kind]);
}

export function readCommerceConfig(env: EnvRecord = process.env): CommerceConfig {
  const common = readCommonSubgraphConfig(env, { port: COMMERCE_DEFAULT_PORT });
  const production = common.nodeEnv === 'production';
  const secretKey = envOptional(env, 'STRIPE_SECRET_KEY');
  const webhookSecret = envOptional(env, 'STRIPE_WEBHOOK_SECRET');
  if (Boolean(secretKey) !== Boolean(webhookSecret))
    throw new EnvError('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are set together.');
  const apiBase = envOptional(env, 'STRIPE_API_BASE');
  const stripe =
    secretKey && webhookSecret
      ? { secretKey, webhookSecret, apiBase: apiBase ? new URL(apiBase) : undefined }
      : null;
  const sandboxEnabled = envBool(env, 'COMMERCE_SANDBOX', !production);
  const explicit = envOptional(env, 'COMMERCE_PROVIDER');
  const paypalId = envOptional(env, 'PAYPAL_CLIENT_ID');
  const paypalSecret = envOptional(env, 'PAYPAL_CLIENT_SECRET');
  const paypalWebhook = envOptional(env, 'PAYPAL_WEBHOOK_ID');
  const paypalParts = [paypalId, paypalSecret, paypalWebhook].filter(Boolean).length;
  if (paypalParts !== 0 && paypalParts !== 3)
    throw new EnvError('PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID are set together.');
  const paypal =
    paypalId && paypalSecret && paypalWebhook
      ? {
          clientId: paypalId,
          clientSecret: paypalSecret,
          webhookId: paypalWebhook,
          apiBase: new URL(
            envString(
              env,
              'PAYPAL_API_BASE',
              production ? 'https://api-m.paypal.com' : 'https://api-m.sandbox.paypal.com',
            ),
          ),
        }
      : null;
  if (explicit !== undefined && explicit !== 'SANDBOX' && explicit !== 'STRIPE' && explicit !== 'PAYPAL')
    throw new EnvError('COMMERCE_PROVIDER must be SANDBOX, STRIPE or PAYPAL.');
  if (explicit === 'PAYPAL' && !paypal)
    throw new EnvError('COMMERCE_PROVIDER=PAYPAL needs the PAYPAL_* settings.');
  if (explicit === 'STRIPE' && !stripe)
    throw new EnvError('COMMERCE_PROVIDER=STRIPE needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.');
  if (explicit === 'SANDBOX' && !sandboxEnabled)
    throw new EnvError('COMMERCE_PROVIDER=SANDBOX needs COMMERCE_SANDBOX=true.');
  const sellerRules = parseSellerRules(envOptional(env, 'COMMERCE_SELLER_RULES'));
  if (Object.keys(sellerRules).length > 0 && !common.internalApiToken)
    throw new EnvError('COMMERCE_SELLER_RULES needs INTERNAL_API_TOKEN (the rules refuse calls without it).');
  // Without any provider (production without Stripe keys) commerce still serves; checkout answers PROVIDER_UNAVAILABLE.
  const defaultProvider: ProviderName = explicit ?? (stripe && !sandboxEnabled ? 'STRIPE' : 'SANDBOX');
  return {
    ...common,
    queuePrefix: envString(env, 'QUEUE_PREFIX', 'edugraph'),
    defaultProvider,
    sandboxEnabled,
    stripe,
    paypal,
    commissionBps: parseCommission(envOptional(env, 'COMMERCE_COMMISSION_BPS')),
    affiliateShareBps: envInt(env, 'COMMERCE_AFFILIATE_SHARE_BPS', DEFAULT_AFFILIATE_SHARE_BPS, {
      min: 0,
      max: 10_000,
    }),
    backgroundJobs: envBool(env, 'COMMERCE_BACKGROUND_JOBS', true),
    webhookRetentionDays: envInt(env, 'COMMERCE_WEBHOOK_RETENTION_DAYS', 30, { min: 3, max: 3650 }),
    sellerRules,
  };
}

/** The process environment, for entry points (`main.ts`); everything else receives a typed config. */
export function processEnvironment(): EnvRecord {
  return process.env;
}
