import { NotFoundError, Public, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Money, money } from '../../common/money.type.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { isUuid } from '../../common/validation.js';
import { PRICED_ENTITIES } from '../../external/priced.external.js';
import type { CommerceServices } from '../../commerce-services.js';
import type { BillingInterval, ProductKind } from './product.entity.js';
import { Product, ProductKindEnum, SetProductPriceInput, SetProductPricePayload } from './product.type.js';

@Resolver(() => Product)
export class ProductResolver extends ServicesResolver {
  @Public()
  @Query(() => Product, { description: 'A product by id.' })
  async product(@Arg('id', () => ID) id: string): Promise<Product> {
    const entity = isUuid(id) ? await this.services.products.find(id) : null;
    if (!entity) throw new NotFoundError('Product');
    return Product.from(entity);
  }

  @Public()
  @Query(() => Product, {
    nullable: true,
    description: 'The product selling a course, ebook, tier, tutor or session.',
  })
  async productFor(
    @Arg('kind', () => ProductKindEnum) kind: ProductKindEnum,
    @Arg('refId', () => ID) refId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<Product | null> {
    if (!isUuid(refId)) return null;
    const entity = await ctx.loaders
      .get(this.services.loaders.productByRef)
      .load(`${kind}:${refId.toLowerCase()}`);
    return entity ? Product.from(entity) : null;
  }

  @Roles('INSTRUCTOR', 'ADMIN')
  @Mutation(() => SetProductPricePayload, {
    description:
      'Creates or reprices the product for a course, ebook, tier, tutor or session; the caller is its seller.',
  })
  async setProductPrice(
    @Arg('input', () => SetProductPriceInput) input: SetProductPriceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<SetProductPricePayload> {
    const product = await this.services.products.setPrice(viewerOf(ctx), {
      ...input,
      kind: input.kind as ProductKind,
      billingInterval: (input.billingInterval as BillingInterval | null | undefined) ?? null,
    });
    return { product: Product.from(product) };
  }
}

/** `price` on each entity commerce sells (null when not for sale). One query per request per kind batch. */
function priceResolverFor(entry: (typeof PRICED_ENTITIES)[number]) {
  @Resolver(() => entry.type)
  class PriceResolver extends ServicesResolver {
    @FieldResolver(() => Money, {
      nullable: true,
      description: 'The price in commerce (null when not for sale).',
    })
    async price(@Root() root: { id: string }, @Ctx() ctx: RequestContext): Promise<Money | null> {
      if (!isUuid(root.id)) return null;
      const product = await ctx.loaders
        .get(this.services.loaders.productByRef)
        .load(`${entry.kind}:${root.id.toLowerCase()}`);
      return product && product.active ? money(product.priceMinor, product.currency) : null;
    }

    @FieldResolver(() => Product, {
      nullable: true,
      description: 'The commerce product (to add it to a cart).',
    })
    async product(@Root() root: { id: string }, @Ctx() ctx: RequestContext): Promise<Product | null> {
      if (!isUuid(root.id)) return null;
      const product = await ctx.loaders
        .get(this.services.loaders.productByRef)
        .load(`${entry.kind}:${root.id.toLowerCase()}`);
      return product ? Product.from(product) : null;
    }
  }
  Object.defineProperty(PriceResolver, 'name', { value: `${entry.name}PriceResolver` });
  return PriceResolver;
}

export const priceResolvers: (new (services: CommerceServices | null) => object)[] =
  PRICED_ENTITIES.map(priceResolverFor);
