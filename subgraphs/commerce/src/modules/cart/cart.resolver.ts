import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { money } from '../../common/money.type.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Product } from '../catalog/product.type.js';
import type { CartLine } from './cart.service.js';
import { AddToCartInput, Cart, CartPayload, RemoveFromCartInput } from './cart.type.js';

function toCart(lines: CartLine[]): Cart {
  return Object.assign(new Cart(), {
    items: lines.map((l) => ({
      product: Product.from(l.product),
      quantity: l.quantity,
      subtotal: money(l.product.priceMinor * l.quantity, l.product.currency),
    })),
  });
}

@Resolver(() => Cart)
export class CartResolver extends ServicesResolver {
  @Authenticated()
  @Query(() => Cart, { description: 'The viewer’s cart.' })
  async myCart(@Ctx() ctx: RequestContext): Promise<Cart> {
    return toCart(await this.services.carts.list(viewerOf(ctx).userId));
  }

  @Authenticated()
  @Mutation(() => CartPayload, { description: 'Puts a product in the cart (or sets its quantity).' })
  async addToCart(
    @Arg('input', () => AddToCartInput) input: AddToCartInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CartPayload> {
    return { cart: toCart(await this.services.carts.add(viewerOf(ctx), input)) };
  }

  @Authenticated()
  @Mutation(() => CartPayload)
  async removeFromCart(
    @Arg('input', () => RemoveFromCartInput) input: RemoveFromCartInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CartPayload> {
    return { cart: toCart(await this.services.carts.remove(viewerOf(ctx), input.productId)) };
  }
}
