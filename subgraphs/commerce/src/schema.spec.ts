import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { subgraph } from './app.js';
import { buildCommerceSchema } from './schema.js';

describe('commerce schema (composition build, no services)', () => {
  it('contributes price to the entities it sells, keyed the Federation 2 way', async () => {
    const { sdl } = await buildCommerceSchema();
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    for (const type of ['Course', 'Ebook', 'CommunityTier', 'TutorProfile', 'LiveSession'])
      expect(sdl).toMatch(new RegExp(`type ${type} @key\\(fields: "id"\\) \\{[^}]*price: Money`));
    expect(sdl).toMatch(/type Money @shareable/);
    expect(sdl).toMatch(/type User @key\(fields: "id"\) \{\s+id: ID!\s+\}/);
  });

  it('has the documented root fields (the kit refuses to build one without an access rule)', async () => {
    const { schema } = await buildCommerceSchema();
    const names = (fields: Record<string, unknown>) =>
      Object.keys(fields)
        .filter((n) => !n.startsWith('_'))
        .sort();
    expect(names(schema.getQueryType()!.getFields())).toEqual([
      'coupons',
      'financeOrdersCsv',
      'financeSummary',
      'ledgerBalances',
      'myAffiliate',
      'myAffiliateCommissions',
      'myBalances',
      'myCart',
      'myOrders',
      'myPayouts',
      'mySales',
      'myTierSubscriptions',
      'order',
      'orderLedger',
      'orders',
      'product',
      'productFor',
      'taxRates',
    ]);
    expect(names(schema.getMutationType()!.getFields())).toEqual([
      'addToCart',
      'cancelOrder',
      'cancelTierSubscription',
      'checkout',
      'confirmOrderPayment',
      'createCoupon',
      'createPayoutBatch',
      'joinAffiliateProgram',
      'markPayoutBatchPaid',
      'payOrder',
      'reconcilePayments',
      'refundOrder',
      'removeFromCart',
      'requestPayout',
      'setProductPrice',
      'setTaxRate',
      'subscribeToTier',
    ]);
  });

  it('is a subgraph definition on port 4006 with its own schema', () => {
    expect(subgraph).toMatchObject({ name: 'commerce', schemaName: 'commerce', defaultPort: 4006 });
  });
});
