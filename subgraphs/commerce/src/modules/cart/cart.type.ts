import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Money } from '../../common/money.type.js';
import { Product } from '../catalog/product.type.js';

@ObjectType('CartItem')
export class CartItem {
  @Field(() => Product)
  product!: Product;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Money, { description: 'Unit price × quantity, before coupon and tax.' })
  subtotal!: Money;
}

@ObjectType('Cart', { description: 'The viewer’s cart (one currency per checkout).' })
export class Cart {
  @Field(() => [CartItem])
  items!: CartItem[];
}

@InputType('AddToCartInput')
export class AddToCartInput {
  @Field(() => ID)
  productId!: string;

  @Field(() => Int, { nullable: true, description: '1–100 (default 1); replaces the quantity in the cart.' })
  quantity?: number | null;
}

@InputType('RemoveFromCartInput')
export class RemoveFromCartInput {
  @Field(() => ID)
  productId!: string;
}

@ObjectType('CartPayload')
export class CartPayload {
  @Field(() => Cart)
  cart!: Cart;
}
