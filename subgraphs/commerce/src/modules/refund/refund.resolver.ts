import { Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Order } from '../order/order.type.js';
import { Refund, RefundOrderInput, RefundOrderPayload } from './refund.type.js';

@Resolver(() => Refund)
export class RefundResolver extends ServicesResolver {
  @Roles('FINANCE', 'ADMIN')
  @Mutation(() => RefundOrderPayload, {
    description:
      'Refunds a paid order, fully or partly (never above what remains); provider refund + ledger reversal.',
  })
  async refundOrder(
    @Arg('input', () => RefundOrderInput) input: RefundOrderInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RefundOrderPayload> {
    const refund = await this.services.refunds.refund(viewerOf(ctx), input);
    const order = (await this.services.orders.find(refund.orderId))!;
    return { refund: Refund.from(refund, order.currency), order: Order.from(order) };
  }
}
