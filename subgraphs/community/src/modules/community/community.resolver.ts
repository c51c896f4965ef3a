import { Authenticated, ConnectionArgs, Public, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessInRequest, mapConnection } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Asset } from '../../external/asset.external.js';
import { User } from '../../external/user.external.js';
import { CommunityPermissionEnum } from '../access/access.type.js';
import { COMMUNITY_PERMISSIONS } from '../access/permissions.js';
import { CommunityMembership } from '../membership/membership.type.js';
import type { CommunityEntity } from './community.entity.js';
import {
  CommunitiesFilter,
  Community,
  CommunityConnection,
  CommunityPayload,
  CreateCommunityInput,
  UpdateCommunityInput,
} from './community.type.js';

const payload = (community: CommunityEntity): CommunityPayload => ({ community: Community.from(community) });

@Resolver(() => Community)
export class CommunityResolver extends ServicesResolver {
  @Public()
  @Query(() => Community, {
    nullable: true,
    description: 'A community by id or slug; private ones only for their members (null for others).',
  })
  async community(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID, { nullable: true }) id?: string | null,
    @Arg('slug', () => String, { nullable: true }) slug?: string | null,
  ): Promise<Community | null> {
    const community = await this.services.communities.find(ctx.viewer, {
      id: id ?? null,
      slug: slug ?? null,
    });
    return community ? Community.from(community) : null;
  }

  @Public()
  @Query(() => CommunityConnection, {
    description:
      'Discovery, newest first (first ≤ 100): public communities and the viewer’s own; `filter.mine` for only the viewer’s.',
  })
  async communities(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => CommunitiesFilter, { nullable: true }) filter?: CommunitiesFilter | null,
  ) {
    const page = await this.services.communities.list(ctx.viewer, filter ?? {}, args);
    const loader = ctx.loaders.get(this.services.loaders.community);
    for (const edge of page.edges) loader.prime(edge.node.id, edge.node);
    return mapConnection(page, Community.from);
  }

  @Authenticated()
  @Mutation(() => CommunityPayload, { description: 'The viewer becomes its OWNER (an active member).' })
  async createCommunity(
    @Arg('input', () => CreateCommunityInput) input: CreateCommunityInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityPayload> {
    return payload(await this.services.communities.create(viewerOf(ctx), input));
  }

  @Authenticated()
  @Mutation(() => CommunityPayload, {
    description: 'Profile and policies (COMMUNITY_UPDATE: admins and the owner).',
  })
  async updateCommunity(
    @Arg('input', () => UpdateCommunityInput) input: UpdateCommunityInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityPayload> {
    const { communityId, ...fields } = input;
    return payload(await this.services.communities.update(viewerOf(ctx), communityId, fields));
  }

  @FieldResolver(() => User)
  owner(@Root() community: Community): User {
    return { id: community.entity.ownerId };
  }

  @FieldResolver(() => Asset, { nullable: true })
  cover(@Root() community: Community): Asset | null {
    return community.entity.coverAssetId ? { id: community.entity.coverAssetId } : null;
  }

  @FieldResolver(() => CommunityMembership, {
    nullable: true,
    description: 'The viewer’s membership in any status (null when signed out or never joined).',
  })
  async viewerMembership(
    @Root() community: Community,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembership | null> {
    if (!ctx.viewer) return null;
    const membership = await ctx.loaders
      .get(this.services.loaders.membership)
      .load(`${community.id}|${ctx.viewer.userId}`);
    return membership ? CommunityMembership.from(membership) : null;
  }

  @FieldResolver(() => [CommunityPermissionEnum], {
    description:
      'What the viewer may do here now (role defaults, custom role, mute, archive and policies applied).',
  })
  async viewerPermissions(
    @Root() community: Community,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityPermissionEnum[]> {
    const context = await accessInRequest(this.services, ctx, community.entity);
    if (!context) return [];
    return COMMUNITY_PERMISSIONS.filter((p) => context.has(p)) as CommunityPermissionEnum[];
  }
}
