import 'reflect-metadata';
import { buildFederatedSchema, type BuiltSubgraphSchema } from '@edugraph/kit';
import { ServicesContainer } from './common/services-resolver.js';
import { userReferenceResolver } from './external/user.external.js';
import type { MediaServices } from './media-services.js';
import { AssetRenditionResolver, AssetResolver, mayViewOnce } from './modules/asset/asset.resolver.js';
import { Asset } from './modules/asset/asset.type.js';

/**
 * The media subgraph schema. With services: resolvers call them. Without (composition, `npm run compose`):
 * the same SDL, resolvers unbound.
 */
export function buildMediaSchema(services: MediaServices | null = null): Promise<BuiltSubgraphSchema> {
  return buildFederatedSchema({
    resolvers: [AssetResolver, AssetRenditionResolver],
    container: new ServicesContainer(services),
    referenceResolvers: {
      User: userReferenceResolver,
      // Other subgraphs expose `Lesson.asset`, `Ebook.file`…: a reference resolves only for viewers
      // who may view the asset (null otherwise), so no field elsewhere leaks a private file.
      Asset: {
        __resolveReference: async (reference, ctx) => {
          if (!services) return null;
          const asset = await ctx.loaders.get(services.loaders.asset).load(reference.id);
          if (!asset) return null;
          const allowed = await mayViewOnce(ctx, asset, () => services.views.mayView(ctx.viewer, asset));
          return allowed ? Asset.from(asset) : null;
        },
      },
    },
  });
}
