import { byKey, groupByKey, type LoaderFactory, type Logger } from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { systemClock, type Clock } from './common/clock.js';
import { DEFAULT_AFFILIATE_SHARE_BPS, DEFAULT_COMMISSION_BPS, type ProviderName } from './environment.js';
import type { ProductEntity, ProductKind } from './modules/catalog/product.entity.js';
import { ProductService } from './modules/catalog/product.service.js';
import { SellerRules } from './modules/catalog/seller-rules.js';
import { AffiliateService } from './modules/affiliate/affiliate.service.js';
import { CartService } from './modules/cart/cart.service.js';
import { CouponService } from './modules/coupon/coupon.service.js';
import { FinanceService } from './modules/finance/finance.service.js';
import { LedgerService } from './modules/ledger/ledger.service.js';
import type { OrderLineEntity } from './modules/order/order.entity.js';
import { OrderService } from './modules/order/order.service.js';
import { PayoutService } from './modules/payout/payout.service.js';
import type { RefundEntity } from './modules/refund/refund.entity.js';
import { RefundService } from './modules/refund/refund.service.js';
import { TierSubscriptionService } from './modules/subscription/tier-subscription.service.js';
import { TaxService } from './modules/tax/tax.service.js';
import type { PaymentProvider } from './providers/payment-provider.js';

/** Per-request DataLoaders (factories are per services instance, so `ctx.loaders.get(factory)` keys them). */
export type CommerceLoaders = {
  /** Products by `KIND:refId`. */
  productByRef: LoaderFactory<string, ProductEntity | null>;
  orderLines: LoaderFactory<string, OrderLineEntity[]>;
  refunds: LoaderFactory<string, RefundEntity[]>;
};

export type CommerceServices = {
  products: ProductService;
  carts: CartService;
  coupons: CouponService;
  taxes: TaxService;
  orders: OrderService;
  refunds: RefundService;
  ledger: LedgerService;
  finance: FinanceService;
  subscriptions: TierSubscriptionService;
  affiliates: AffiliateService;
  payouts: PayoutService;
  providers: ReadonlyMap<string, PaymentProvider>;
  loaders: CommerceLoaders;
};

export type CommerceServicesOptions = {
  dataSource: DataSource;
  providers: PaymentProvider[];
  defaultProvider: ProviderName;
  commissionBps?: Record<ProductKind, number>;
  affiliateShareBps?: number;
  logger: Logger;
  clock?: Clock;
  /** Who may sell what, by the owning subgraphs (kinds without a rule are not checked). */
  sellerRules?: SellerRules;
};

export function createCommerceServices(options: CommerceServicesOptions): CommerceServices {
  const { dataSource, logger } = options;
  const clock = options.clock ?? systemClock;
  const providers = new Map(options.providers.map((p) => [p.name, p] as const));
  const products = new ProductService(dataSource, clock, options.sellerRules ?? new SellerRules(logger));
  const coupons = new CouponService(dataSource, clock);
  const taxes = new TaxService(dataSource);
  const ledger = new LedgerService(dataSource);
  const orders = new OrderService(
    dataSource,
    providers,
    options.defaultProvider,
    options.commissionBps ?? DEFAULT_COMMISSION_BPS,
    options.affiliateShareBps ?? DEFAULT_AFFILIATE_SHARE_BPS,
    coupons,
    taxes,
    ledger,
    clock,
    logger,
  );
  const refunds = new RefundService(dataSource, providers, ledger, clock, logger);
  return {
    products,
    carts: new CartService(dataSource),
    coupons,
    taxes,
    orders,
    refunds,
    ledger,
    finance: new FinanceService(dataSource),
    affiliates: new AffiliateService(dataSource),
    payouts: new PayoutService(dataSource, ledger, clock),
    subscriptions: new TierSubscriptionService(dataSource, orders, options.defaultProvider, clock, logger),
    providers,
    loaders: {
      productByRef: () =>
        new DataLoader(async (keys) =>
          byKey(keys, await products.byRefs(keys), (p) => `${p.kind}:${p.refId}`),
        ),
      orderLines: () =>
        new DataLoader(async (ids) => groupByKey(ids, await orders.linesOf(ids), (l) => l.orderId)),
      refunds: () =>
        new DataLoader(async (ids) => groupByKey(ids, await refunds.byOrderIds(ids), (r) => r.orderId)),
    },
  };
}
