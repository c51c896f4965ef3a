import 'reflect-metadata';
import { buildFederatedSchema, type BuiltSubgraphSchema } from '@edugraph/kit';
import type { CommerceServices } from './commerce-services.js';
import { ServicesContainer } from './common/services-resolver.js';
import { PRICED_ENTITIES } from './external/priced.external.js';
import { userReferenceResolver } from './external/user.external.js';
import { AffiliateResolver } from './modules/affiliate/affiliate.resolver.js';
import { CartResolver } from './modules/cart/cart.resolver.js';
import { priceResolvers, ProductResolver } from './modules/catalog/product.resolver.js';
import { CouponResolver } from './modules/coupon/coupon.resolver.js';
import { FinanceResolver } from './modules/finance/finance.resolver.js';
import { LedgerResolver } from './modules/ledger/ledger.resolver.js';
import { OrderResolver } from './modules/order/order.resolver.js';
import { PayoutResolver } from './modules/payout/payout.resolver.js';
import { RefundResolver } from './modules/refund/refund.resolver.js';
import { TierSubscriptionResolver } from './modules/subscription/tier-subscription.resolver.js';
import { TaxResolver } from './modules/tax/tax.resolver.js';

/**
 * The commerce subgraph schema. With services: resolvers call them. Without (composition, `npm run
 * compose`): the same SDL, resolvers unbound.
 */
export function buildCommerceSchema(services: CommerceServices | null = null): Promise<BuiltSubgraphSchema> {
  const keyOnly = { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) };
  return buildFederatedSchema({
    resolvers: [
      ProductResolver,
      CartResolver,
      OrderResolver,
      RefundResolver,
      CouponResolver,
      TaxResolver,
      LedgerResolver,
      FinanceResolver,
      TierSubscriptionResolver,
      AffiliateResolver,
      PayoutResolver,
      ...priceResolvers,
    ],
    // Reached through federation only (`_entities`), not from Query.
    orphanedTypes: PRICED_ENTITIES.map((e) => e.type),
    container: new ServicesContainer(services),
    referenceResolvers: {
      User: userReferenceResolver,
      ...Object.fromEntries(PRICED_ENTITIES.map((e) => [e.name, keyOnly])),
    },
  });
}
