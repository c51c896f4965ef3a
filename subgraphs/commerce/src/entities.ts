import { ProductEntity } from './modules/catalog/product.entity.js';
import { CouponEntity } from './modules/coupon/coupon.entity.js';
import { OrderEntity, OrderLineEntity } from './modules/order/order.entity.js';
import { RefundEntity } from './modules/refund/refund.entity.js';
import { TierSubscriptionEntity } from './modules/subscription/tier-subscription.entity.js';

export const commerceEntities = [
  ProductEntity,
  OrderEntity,
  OrderLineEntity,
  RefundEntity,
  CouponEntity,
  TierSubscriptionEntity,
];
