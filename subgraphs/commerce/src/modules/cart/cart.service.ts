import { BadUserInputError, type Viewer } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
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

  /** The cart with its products (one query). */
  async list(userId: string): Promise<CartLine[]> {
    const rows = await this.dataSource
      .getRepository(ProductEntity)
      .createQueryBuilder('p')
      .innerJoin(`${C}.cart_items`, 'ci', 'ci.product_id = p.id AND ci.user_id = :userId', { userId })
      .addSelect('ci.quantity', 'ci_quantity')
      .orderBy('ci.added_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .getRawAndEntities<{ p_id: string; ci_quantity: number }>();
    const quantities = new Map(rows.raw.map((r) => [r.p_id, Number(r.ci_quantity)]));
    return rows.entities.map((product) => ({ product, quantity: quantities.get(product.id) ?? 1 }));
  }
}
