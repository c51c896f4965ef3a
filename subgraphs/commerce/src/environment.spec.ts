import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COMMISSION_BPS,
  kindsWithoutSellerRule,
  parseCommission,
  parseSellerRules,
  readCommerceConfig,
} from './environment.js';

describe('commerce environment', () => {
  it('defaults to the SANDBOX provider on port 4006 without any key', () => {
    const config = readCommerceConfig({});
    expect(config).toMatchObject({
      port: 4006,
      defaultProvider: 'SANDBOX',
      sandboxEnabled: true,
      stripe: null,
    });
    expect(config.commissionBps).toEqual(DEFAULT_COMMISSION_BPS);
  });

  it('uses Stripe when configured and the sandbox is off (production)', () => {
    const config = readCommerceConfig({
      NODE_ENV: 'production',
      STRIPE_SECRET_KEY: 'sk_live_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_API_BASE: 'http://127.0.0.1:12111',
    });
    expect(config).toMatchObject({ defaultProvider: 'STRIPE', sandboxEnabled: false });
    expect(config.stripe?.apiBase?.port).toBe('12111');
  });

  it('refuses half a Stripe configuration and providers that are not available', () => {
    expect(() => readCommerceConfig({ STRIPE_SECRET_KEY: 'sk_test_x' })).toThrow(/together/);
    expect(() => readCommerceConfig({ COMMERCE_PROVIDER: 'STRIPE' })).toThrow(/needs STRIPE_SECRET_KEY/);
    expect(() => readCommerceConfig({ COMMERCE_PROVIDER: 'PAYPAL' })).toThrow(/PAYPAL_\* settings/);
    expect(() => readCommerceConfig({ COMMERCE_PROVIDER: 'CASH' })).toThrow(/SANDBOX, STRIPE or PAYPAL/);
    expect(() => readCommerceConfig({ PAYPAL_CLIENT_ID: 'x' })).toThrow(/set together/);
    expect(() => readCommerceConfig({ COMMERCE_PROVIDER: 'SANDBOX', COMMERCE_SANDBOX: 'false' })).toThrow(
      /COMMERCE_SANDBOX/,
    );
  });

  it('reads commission overrides in basis points', () => {
    expect(parseCommission('COURSE=700, EBOOK=0')).toMatchObject({ COURSE: 700, EBOOK: 0, TUTOR_HOURS: 250 });
    expect(() => parseCommission('COURSE=10001')).toThrow(/KIND=0..10000/);
    expect(() => parseCommission('SWAG=10')).toThrow(/KIND=0..10000/);
  });

  it('reads seller rules as KIND=url and needs the internal token with them', () => {
    const config = readCommerceConfig({
      INTERNAL_API_TOKEN: 'secret',
      COMMERCE_SELLER_RULES:
        'COURSE=http://127.0.0.1:4005/internal/commerce/seller, EBOOK=http://127.0.0.1:4005/internal/commerce/seller?x=a=b',
    });
    expect(config.sellerRules).toEqual({
      COURSE: 'http://127.0.0.1:4005/internal/commerce/seller',
      EBOOK: 'http://127.0.0.1:4005/internal/commerce/seller?x=a=b',
    });
    expect(readCommerceConfig({}).sellerRules).toEqual({});
    expect(() =>
      readCommerceConfig({ COMMERCE_SELLER_RULES: 'COURSE=http://127.0.0.1:4005/internal/commerce/seller' }),
    ).toThrow(/needs INTERNAL_API_TOKEN/);
  });

  it('refuses seller rules that are not KIND=url, name an unknown or repeated kind, or another scheme', () => {
    expect(() => parseSellerRules('nourl')).toThrow(/must be KIND=url/);
    expect(() => parseSellerRules('COURSE=')).toThrow(/must be KIND=url/);
    expect(() => parseSellerRules('SWAG=http://x/r')).toThrow(/must be KIND=url/);
    expect(() => parseSellerRules('course=http://x/r')).toThrow(/must be KIND=url/);
    expect(() => parseSellerRules('COURSE=not a url')).toThrow(/no valid URL/);
    expect(() => parseSellerRules('COURSE=ftp://x/r')).toThrow(/http or https/);
    expect(() => parseSellerRules('COURSE=http://a/r,COURSE=http://b/r')).toThrow(/COURSE twice/);
    expect(parseSellerRules(' , ')).toEqual({});
  });

  it('lists the sold kinds no rule checks (warned about in production)', () => {
    expect(kindsWithoutSellerRule({})).toEqual([
      'COURSE',
      'EBOOK',
      'COMMUNITY_TIER',
      'TUTOR_HOURS',
      'LIVE_TICKET',
    ]);
    expect(
      kindsWithoutSellerRule(
        parseSellerRules('COURSE=http://l/r,EBOOK=http://l/r,COMMUNITY_TIER=http://c/r'),
      ),
    ).toEqual(['TUTOR_HOURS', 'LIVE_TICKET']);
  });
});
