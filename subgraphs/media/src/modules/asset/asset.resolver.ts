import { Authenticated, ForbiddenError, NotFoundError, Public, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { CompleteUploadInput, MyAssetsArgs, RequestUploadInput } from './asset.input.js';
import {
  Asset,
  AssetConnection,
  AssetRendition,
  CompleteUploadPayload,
  RenditionKindEnum,
  RequestUploadPayload,
} from './asset.type.js';
import type { AssetStatus } from './asset.entity.js';

const decisions = new WeakMap<RequestContext, Map<string, Promise<boolean>>>();

/** One access decision per request and asset (view rules may be HTTP calls). */
export function mayViewOnce(
  ctx: RequestContext,
  asset: { id: string },
  decide: () => Promise<boolean>,
): Promise<boolean> {
  let byAsset = decisions.get(ctx);
  if (!byAsset) {
    byAsset = new Map();
    decisions.set(ctx, byAsset);
  }
  let decision = byAsset.get(asset.id);
  if (!decision) {
    decision = decide();
    byAsset.set(asset.id, decision);
  }
  return decision;
}

@Resolver(() => Asset)
export class AssetResolver extends ServicesResolver {
  @Public()
  @Query(() => Asset, {
    description:
      'An asset the viewer may view (owner, ADMIN, anyone for PUBLIC, the owning domain’s rule for RESTRICTED); FORBIDDEN otherwise.',
  })
  async asset(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Asset> {
    const entity = await this.services.assets.find(id);
    if (!entity) throw new NotFoundError('Asset');
    // Field resolvers below reuse this row and this decision (one rule call per request and asset).
    ctx.loaders.get(this.services.loaders.asset).prime(entity.id, entity);
    if (!(await mayViewOnce(ctx, entity, () => this.services.views.mayView(ctx.viewer, entity))))
      throw new ForbiddenError('You may not view this asset.');
    return Asset.from(entity);
  }

  @Authenticated()
  @Query(() => AssetConnection, { description: 'The viewer’s own assets, newest first.' })
  async myAssets(@Args(() => MyAssetsArgs) args: MyAssetsArgs, @Ctx() ctx: RequestContext) {
    const connection = await this.services.assets.listForOwner(
      viewerOf(ctx),
      args,
      (args.status as AssetStatus | null | undefined) ?? null,
    );
    return {
      ...connection,
      edges: connection.edges.map((e) => ({ cursor: e.cursor, node: Asset.from(e.node) })),
    };
  }

  @Authenticated()
  @Mutation(() => RequestUploadPayload, {
    description:
      'Creates a PENDING_UPLOAD asset and a 5-minute presigned PUT URL (random key, size and type signed in).',
  })
  async requestUpload(
    @Arg('input', () => RequestUploadInput) input: RequestUploadInput,
    @Ctx() ctx: RequestContext,
  ): Promise<RequestUploadPayload> {
    const { asset, upload } = await this.services.assets.requestUpload(viewerOf(ctx), input);
    return {
      asset: Asset.from(asset),
      upload: {
        url: upload.url,
        method: upload.method,
        headers: Object.entries(upload.headers).map(([name, value]) => ({ name, value })),
        expiresAt: upload.expiresAt,
      },
    };
  }

  @Authenticated()
  @Mutation(() => CompleteUploadPayload, {
    description:
      'Checks the upload (size, type, magic bytes, SHA-256) and queues the antivirus scan; typed errors change nothing.',
  })
  async completeUpload(
    @Arg('input', () => CompleteUploadInput) input: CompleteUploadInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CompleteUploadPayload> {
    return { asset: Asset.from(await this.services.assets.completeUpload(viewerOf(ctx), input.assetId)) };
  }

  /** Re-checked per field (decided once per request and asset): a reference or list never signs for others. */
  private async viewable(asset: Asset, ctx: RequestContext) {
    const entity = await ctx.loaders.get(this.services.loaders.asset).load(asset.id);
    if (!entity) return null;
    return (await mayViewOnce(ctx, entity, () => this.services.views.mayView(ctx.viewer, entity)))
      ? entity
      : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'A 60-minute signed download URL while READY (null otherwise). FORBIDDEN unless the viewer may view the asset.',
  })
  async url(@Root() asset: Asset, @Ctx() ctx: RequestContext): Promise<string | null> {
    const entity = await this.requireViewable(asset, ctx);
    if (entity.status !== 'READY') return null;
    return (await this.services.assets.downloadUrl(entity)).url;
  }

  @FieldResolver(() => [AssetRendition], { description: 'PDF, page images and thumbnail, once rendered.' })
  async renditions(@Root() asset: Asset, @Ctx() ctx: RequestContext): Promise<AssetRendition[]> {
    const entity = await this.requireViewable(asset, ctx);
    if (entity.status !== 'READY') return [];
    const rows = await ctx.loaders.get(this.services.loaders.renditions).load(asset.id);
    return rows.map((r) =>
      Object.assign(new AssetRendition(), {
        id: r.id,
        kind: r.kind as RenditionKindEnum,
        page: r.page,
        contentType: r.contentType,
        size: r.size,
        width: r.width,
        height: r.height,
        storageKey: r.storageKey,
      }),
    );
  }

  private async requireViewable(asset: Asset, ctx: RequestContext) {
    const entity = await this.viewable(asset, ctx);
    if (!entity) throw new ForbiddenError('You may not view this asset.');
    return entity;
  }
}

@Resolver(() => AssetRendition)
export class AssetRenditionResolver extends ServicesResolver {
  @FieldResolver(() => String, { description: 'A 60-minute signed URL (the parent asset’s access applies).' })
  async url(@Root() rendition: AssetRendition): Promise<string> {
    const signed = await this.services.storage.presignDownload(rendition.storageKey, {
      expiresInSeconds: 60 * 60,
      contentType: rendition.contentType,
    });
    return signed.url;
  }
}
