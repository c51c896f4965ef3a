import { BadUserInputError, type Viewer } from '@edugraph/kit';
import { In, type DataSource } from 'typeorm';
import { ProductUnavailableError } from '../../common/commerce.errors.js';
import { assertUuid } from '../../common/validation.js';
import { ProductEntity } from '../catalog/product.entity.js';

const C = '"commerce"';
export const MAX_CART_LINES = 50;

export type CartLine = { product: ProductEntity; quantity: number };

/** The buyer's cart: products and quantities (1–100), consumed by checkout. */
export class CartService {
  constructor(private readonly dataSource: DataSource) {}

  async add(viewer: Viewer, input: { productId: string; quantity?: number | null }): Promise<CartLine[]> {
    const productId = assertUuid(input.productId, 'productId');
    const quantity = input.quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 100)
      throw new BadUserInputError('"quantity" must be 1–100.', 'quantity');
    const product = await this.dataSource.getRepository(ProductEntity).findOneBy({ id: productId });
    if (!product || !product.active) throw new ProductUnavailableError(productId);
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM ${C}.cart_items WHERE user_id = $1 AND product_id <> $2`,
      [viewer.userId, productId],
    )) as [{ n: number }];
    if (n >= MAX_CART_LINES)
      throw new BadUserInputError(`A cart holds at most ${MAX_CART_LINES} products.`, 'productId');
    await this.dataSource.query(
      `INSERT INTO ${C}.cart_items (user_id, product_id, quantity) VALUES ($1, $2, $3)
       ON CONFLICT ON CONSTRAINT pk_cart_items DO UPDATE SET quantity = EXCLUDED.quantity`,
      [viewer.userId, productId, quantity],
    );
    return this.list(viewer.userId);
  }

  async remove(viewer: Viewer, productId: string): Promise<CartLine[]> {
    await this.dataSource.query(`DELETE FROM ${C}.cart_items WHERE user_id = $1 AND product_id = $2`, [
      viewer.userId,
      assertUuid(productId, 'productId'),
    ]);
    return this.list(viewer.userId);
  }

  /** The cart with its products (two queries). */
  async list(userId: string): Promise<CartLine[]> {
    const items: { product_id: string; quantity: number }[] = await this.dataSource.query(
      `SELECT product_id, quantity FROM ${C}.cart_items WHERE user_id = $1 ORDER BY added_at, product_id`,
      [userId],
    );
    if (items.length === 0) return [];
    const products = await this.dataSource
      .getRepository(ProductEntity)
      .findBy({ id: In(items.map((i) => i.product_id)) });
    const byId = new Map(products.map((p) => [p.id, p]));
    return items.flatMap((i) => {
      const product = byId.get(i.product_id);
      return product ? [{ product, quantity: i.quantity }] : [];
    });
  }
}
