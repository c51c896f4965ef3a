import { Authenticated, ForbiddenError, Roles, type Connection, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { money } from '../../common/money.type.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { ConnectionArgs } from '@edugraph/kit';
import { Refund } from '../refund/refund.type.js';
import type { OrderEntity, OrderLineEntity, OrderStatus } from './order.entity.js';
import { isFinance, type CheckoutResult } from './order.service.js';
import {
  CheckoutInput,
  CheckoutPayload,
  Order,
  OrderConnection,
  OrderIdInput,
  OrderLine,
  OrderPayload,
  OrdersArgs,
  PayOrderInput,
  PaymentStatusEnum,
  SaleConnection,
  type Sale,
} from './order.type.js';

function connectionOf(connection: Connection<OrderEntity>) {
  return {
    ...connection,
    edges: connection.edges.map((e) => ({ cursor: e.cursor, node: Order.from(e.node) })),
  };
}

function checkoutPayload(result: CheckoutResult): CheckoutPayload {
  return {
    order: Order.from(result.order),
    payment: {
      provider: result.payment.provider,
      status: result.payment.status as PaymentStatusEnum,
      clientSecret: result.payment.clientSecret,
      redirectUrl: result.payment.redirectUrl,
      failureCode: result.payment.failureCode,
    },
  };
}

function saleOf(line: OrderLineEntity, currency: string): Sale {
  return {
    id: line.id,
    orderId: line.orderId,
    kind: line.kind as Sale['kind'],
    refId: line.refId,
    title: line.title,
    quantity: line.quantity,
    total: money(line.totalMinor, currency),
    tax: money(line.taxMinor, currency),
    commission: money(line.commissionMinor, currency),
    sellerShare: money(line.totalMinor - line.taxMinor - line.commissionMinor, currency),
    createdAt: line.createdAt,
  };
}

@Resolver(() => Order)
export class OrderResolver extends ServicesResolver {
  @Authenticated()
  @Query(() => Order, { description: 'An order: its buyer, FINANCE or ADMIN; FORBIDDEN for anyone else.' })
  async order(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Order> {
    return Order.from(await this.services.orders.viewable(viewerOf(ctx), id));
  }

  @Authenticated()
  @Query(() => OrderConnection, { description: 'The viewer’s orders, newest first.' })
  async myOrders(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return connectionOf(await this.services.orders.listForBuyer(viewerOf(ctx), args));
  }

  @Roles('FINANCE', 'ADMIN')
  @Query(() => OrderConnection, { description: 'Every order, newest first (FINANCE, ADMIN).' })
  async orders(@Args(() => OrdersArgs) args: OrdersArgs) {
    return connectionOf(
      await this.services.orders.listAll(args, (args.status as OrderStatus | null) ?? null),
    );
  }

  @Authenticated()
  @Query(() => SaleConnection, {
    description: 'Paid order lines of the viewer’s products (instructors, owners, tutors).',
  })
  async mySales(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const connection = await this.services.orders.salesOf(viewerOf(ctx).userId, args);
    const orders = await this.services.orders.byIds(connection.edges.map((e) => e.node.orderId));
    const currency = new Map(orders.map((o) => [o.id, o.currency]));
    return {
      ...connection,
      edges: connection.edges.map((e) => ({
        cursor: e.cursor,
        node: saleOf(e.node, currency.get(e.node.orderId)!),
      })),
    };
  }

  @Authenticated()
  @Mutation(() => CheckoutPayload, {
    description: 'Turns the cart into an order (coupon and tax applied) and pays it with the provider.',
  })
  async checkout(
    @Arg('input', () => CheckoutInput) input: CheckoutInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CheckoutPayload> {
    return checkoutPayload(await this.services.orders.checkout(viewerOf(ctx), input));
  }

  @Authenticated()
  @Mutation(() => CheckoutPayload, {
    description: 'Another payment attempt for the viewer’s PAYMENT_FAILED order.',
  })
  async payOrder(
    @Arg('input', () => PayOrderInput) input: PayOrderInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CheckoutPayload> {
    return checkoutPayload(await this.services.orders.payOrder(viewerOf(ctx), input));
  }

  @Authenticated()
  @Mutation(() => CheckoutPayload, {
    description: 'After 3-D Secure: settles the viewer’s REQUIRES_ACTION order.',
  })
  async confirmOrderPayment(
    @Arg('input', () => OrderIdInput) input: OrderIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CheckoutPayload> {
    return checkoutPayload(await this.services.orders.confirmPayment(viewerOf(ctx), input.orderId));
  }

  @Authenticated()
  @Mutation(() => OrderPayload, {
    description: 'Cancels the viewer’s unpaid order (its coupon redemption is released).',
  })
  async cancelOrder(
    @Arg('input', () => OrderIdInput) input: OrderIdInput,
    @Ctx() ctx: RequestContext,
  ): Promise<OrderPayload> {
    return { order: Order.from(await this.services.orders.cancel(viewerOf(ctx), input.orderId)) };
  }

  private async requireViewer(order: Order, ctx: RequestContext) {
    const viewer = viewerOf(ctx);
    if (order.buyer.id !== viewer.userId && !isFinance(viewer))
      throw new ForbiddenError('You may not view this order.');
  }

  @FieldResolver(() => [OrderLine])
  async lines(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<OrderLine[]> {
    await this.requireViewer(order, ctx);
    const lines = await ctx.loaders.get(this.services.loaders.orderLines).load(order.id);
    return lines.map((l) => OrderLine.from(l, order.currency));
  }

  @FieldResolver(() => [Refund])
  async refunds(@Root() order: Order, @Ctx() ctx: RequestContext): Promise<Refund[]> {
    await this.requireViewer(order, ctx);
    const refunds = await ctx.loaders.get(this.services.loaders.refunds).load(order.id);
    return refunds.map((r) => Refund.from(r, order.currency));
  }
}
