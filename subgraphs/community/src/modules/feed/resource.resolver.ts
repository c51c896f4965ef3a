import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Asset } from '../../external/asset.external.js';
import { User } from '../../external/user.external.js';
import { Community } from '../community/community.type.js';
import { lockedFor, postContext } from './feed-request.js';
import {
  CreateResourceInput,
  DeleteResourceInput,
  DeleteResourcePayload,
  Resource,
  ResourcePayload,
  UpdateResourceInput,
} from './feed.type.js';

/** The resource library's mutations (RESOURCE_MANAGE) and the fields of `Resource`. */
@Resolver(() => Resource)
export class ResourceResolver extends ServicesResolver {
  @Authenticated()
  @Mutation(() => ResourcePayload, {
    description:
      'RESOURCE_MANAGE (moderators and above): a media asset or an https:// link; `requiredTierId` needs TIER_MANAGE.',
  })
  async createResource(
    @Arg('input', () => CreateResourceInput) input: CreateResourceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ResourcePayload> {
    const { communityId, ...fields } = input;
    const resource = await this.services.feed.resources.create(viewerOf(ctx), communityId, fields);
    return { resource: Resource.from(resource) };
  }

  @Authenticated()
  @Mutation(() => ResourcePayload, { description: 'RESOURCE_MANAGE.' })
  async updateResource(
    @Arg('input', () => UpdateResourceInput) input: UpdateResourceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ResourcePayload> {
    const { resourceId, ...fields } = input;
    const resource = await this.services.feed.resources.update(viewerOf(ctx), resourceId, fields);
    return { resource: Resource.from(resource) };
  }

  @Authenticated()
  @Mutation(() => DeleteResourcePayload, { description: 'RESOURCE_MANAGE.' })
  async deleteResource(
    @Arg('input', () => DeleteResourceInput) input: DeleteResourceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<DeleteResourcePayload> {
    const resource = await this.services.feed.resources.delete(viewerOf(ctx), input.resourceId);
    return { resourceId: resource.id };
  }

  @FieldResolver(() => Boolean, { description: 'Gated by a paid tier the viewer does not hold.' })
  async locked(@Root() resource: Resource, @Ctx() ctx: RequestContext): Promise<boolean> {
    const context = await postContext(this.services, ctx, resource.entity);
    return !context || (await lockedFor(this.services, ctx, context, resource.entity));
  }

  @FieldResolver(() => String, { nullable: true, description: 'The link; null for assets or when locked.' })
  async url(@Root() resource: Resource, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (!resource.entity.url || (await this.locked(resource, ctx))) return null;
    return resource.entity.url;
  }

  @FieldResolver(() => Asset, {
    nullable: true,
    description: 'The media asset; null for links or when locked.',
  })
  async asset(@Root() resource: Resource, @Ctx() ctx: RequestContext): Promise<Asset | null> {
    if (!resource.entity.assetId || (await this.locked(resource, ctx))) return null;
    return { id: resource.entity.assetId };
  }

  @FieldResolver(() => User)
  createdBy(@Root() resource: Resource): User {
    return { id: resource.entity.createdById };
  }

  @FieldResolver(() => Community, { nullable: true })
  async community(@Root() resource: Resource, @Ctx() ctx: RequestContext): Promise<Community | null> {
    const context = await postContext(this.services, ctx, resource.entity);
    return context?.canSee ? Community.from(context.community) : null;
  }
}
