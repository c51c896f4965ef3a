import { ConnectionArgs, ConnectionType } from '@edugraph/kit';
import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money, money } from '../../common/money.type.js';
import { User, userRef } from '../../external/user.external.js';
import { ProductKindEnum } from '../catalog/product.type.js';
import type { OrderEntity, OrderLineEntity } from './order.entity.js';

export enum OrderStatusEnum {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  PAYMENT_FAILED = 'PAYMENT_FAILED',
  PAID = 'PAID',
  PARTIALLY_REFUNDED = 'PARTIALLY_REFUNDED',
  REFUNDED = 'REFUNDED',
  CANCELED = 'CANCELED',
}
registerEnumType(OrderStatusEnum, {
  name: 'OrderStatus',
  description:
    'PENDING_PAYMENT → PAID | REQUIRES_ACTION (3-D Secure) | PAYMENT_FAILED (retry) | CANCELED; PAID → (PARTIALLY_)REFUNDED.',
});

export enum PaymentProviderEnum {
  SANDBOX = 'SANDBOX',
  STRIPE = 'STRIPE',
  PAYPAL = 'PAYPAL',
}
registerEnumType(PaymentProviderEnum, { name: 'PaymentProvider' });

export enum PaymentStatusEnum {
  SUCCEEDED = 'SUCCEEDED',
  REQUIRES_ACTION = 'REQUIRES_ACTION',
  REQUIRES_PAYMENT_METHOD = 'REQUIRES_PAYMENT_METHOD',
  PROCESSING = 'PROCESSING',
  FAILED = 'FAILED',
}
registerEnumType(PaymentStatusEnum, { name: 'PaymentStatus' });

@ObjectType('OrderLine')
export class OrderLine {
  @Field(() => ID)
  id!: string;

  @Field(() => ProductKindEnum)
  kind!: ProductKindEnum;

  @Field(() => ID)
  refId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Money)
  unitPrice!: Money;

  @Field(() => Money)
  subtotal!: Money;

  @Field(() => Money)
  discount!: Money;

  @Field(() => Money)
  tax!: Money;

  @Field(() => Money, { description: 'What the buyer pays for the line.' })
  total!: Money;

  @Field(() => User)
  seller!: User;

  static from(line: OrderLineEntity, currency: string): OrderLine {
    return Object.assign(new OrderLine(), {
      id: line.id,
      kind: line.kind as ProductKindEnum,
      refId: line.refId,
      title: line.title,
      quantity: line.quantity,
      unitPrice: money(line.unitPriceMinor, currency),
      subtotal: money(line.subtotalMinor, currency),
      discount: money(line.discountMinor, currency),
      tax: money(line.taxMinor, currency),
      total: money(line.totalMinor, currency),
      seller: userRef(line.sellerId),
    });
  }
}

@ObjectType('Order')
export class Order {
  @Field(() => ID)
  id!: string;

  @Field(() => OrderStatusEnum)
  status!: OrderStatusEnum;

  @Field(() => User)
  buyer!: User;

  @Field(() => String)
  currency!: string;

  @Field(() => Money)
  subtotal!: Money;

  @Field(() => Money)
  discount!: Money;

  @Field(() => Money)
  tax!: Money;

  @Field(() => Boolean, { description: 'Tax included in the prices (true) or added on top.' })
  taxInclusive!: boolean;

  @Field(() => Money)
  total!: Money;

  @Field(() => Money)
  refunded!: Money;

  @Field(() => String)
  provider!: string;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last payment attempt failed (e.g. card_declined).',
  })
  failureCode!: string | null;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  paidAt!: Date | null;

  static from(o: OrderEntity): Order {
    return Object.assign(new Order(), {
      id: o.id,
      status: o.status as OrderStatusEnum,
      buyer: userRef(o.buyerId),
      currency: o.currency,
      subtotal: money(o.subtotalMinor, o.currency),
      discount: money(o.discountMinor, o.currency),
      tax: money(o.taxMinor, o.currency),
      taxInclusive: o.taxInclusive,
      total: money(o.totalMinor, o.currency),
      refunded: money(o.refundedMinor, o.currency),
      provider: o.provider,
      failureCode: o.failureCode,
      createdAt: o.createdAt,
      paidAt: o.paidAt,
    });
  }
}

@ObjectType('OrderConnection')
export class OrderConnection extends ConnectionType(Order, 'Order') {}

@ObjectType('Sale', { description: 'A paid order line seen by its seller.' })
export class Sale {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  orderId!: string;

  @Field(() => ProductKindEnum)
  kind!: ProductKindEnum;

  @Field(() => ID)
  refId!: string;

  @Field(() => String)
  title!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Money, { description: 'Paid by the buyer for the line (tax included).' })
  total!: Money;

  @Field(() => Money)
  tax!: Money;

  @Field(() => Money, { description: 'Platform commission.' })
  commission!: Money;

  @Field(() => Money, { description: 'The seller’s share: total − tax − commission.' })
  sellerShare!: Money;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('SaleConnection')
export class SaleConnection extends ConnectionType(Sale, 'Sale') {}

@ObjectType('PaymentSession', { description: 'The outcome of a payment attempt.' })
export class PaymentSession {
  @Field(() => String)
  provider!: string;

  @Field(() => PaymentStatusEnum)
  status!: PaymentStatusEnum;

  @Field(() => String, {
    nullable: true,
    description: 'Stripe: for Stripe.js to confirm/authenticate on the client.',
  })
  clientSecret!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'PayPal: where the buyer approves, then `confirmOrderPayment`.',
  })
  redirectUrl!: string | null;

  @Field(() => String, { nullable: true })
  failureCode!: string | null;
}

@InputType('CheckoutInput')
export class CheckoutInput {
  @Field(() => String, { description: 'ISO 3166-1 alpha-2; decides the tax rate.' })
  billingCountry!: string;

  @Field(() => String, { nullable: true })
  billingRegion?: string | null;

  @Field(() => String, { nullable: true })
  couponCode?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'An affiliate’s referral code (25 % of the commission goes to them).',
  })
  referralCode?: string | null;

  @Field(() => PaymentProviderEnum, {
    nullable: true,
    description: 'Default: the configured provider (SANDBOX in development).',
  })
  provider?: PaymentProviderEnum | null;

  @Field(() => String, {
    nullable: true,
    description:
      'SANDBOX: a Stripe test card (4242424242424242 …). STRIPE: a PaymentMethod id; omit to confirm with Stripe.js.',
  })
  paymentMethod?: string | null;
}

@InputType('PayOrderInput')
export class PayOrderInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => String, { nullable: true })
  paymentMethod?: string | null;
}

@InputType('OrderIdInput')
export class OrderIdInput {
  @Field(() => ID)
  orderId!: string;
}

@ObjectType('CheckoutPayload')
export class CheckoutPayload {
  @Field(() => Order)
  order!: Order;

  @Field(() => PaymentSession)
  payment!: PaymentSession;
}

@ObjectType('OrderPayload')
export class OrderPayload {
  @Field(() => Order)
  order!: Order;
}

@ArgsType()
export class OrdersArgs extends ConnectionArgs {
  @Field(() => OrderStatusEnum, { nullable: true })
  status?: OrderStatusEnum | null;
}
