import { Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import type { CouponKind } from './coupon.entity.js';
import { Coupon, CreateCouponInput, CreateCouponPayload } from './coupon.type.js';

@Resolver(() => Coupon)
export class CouponResolver extends ServicesResolver {
  @Roles('FINANCE', 'ADMIN')
  @Query(() => [Coupon], { description: 'Coupons, newest first (at most 500).' })
  async coupons(): Promise<Coupon[]> {
    return (await this.services.coupons.list()).map(Coupon.from);
  }

  @Roles('FINANCE', 'ADMIN')
  @Mutation(() => CreateCouponPayload)
  async createCoupon(
    @Arg('input', () => CreateCouponInput) input: CreateCouponInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateCouponPayload> {
    const coupon = await this.services.coupons.create(viewerOf(ctx), {
      ...input,
      kind: input.kind as CouponKind,
    });
    return { coupon: Coupon.from(coupon) };
  }
}
