import { Authenticated, ConnectionArgs, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { mapConnection, requireInRequest } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Course } from '../../external/course.external.js';
import { User } from '../../external/user.external.js';
import { Community } from '../community/community.type.js';
import { isModerator } from './feed-access.js';
import { normaliseTag } from './feed-text.js';
import {
  ClassroomCourse,
  ClassroomCourseConnection,
  ClassroomCoursePayload,
  CommunityFeedArgs,
  FeedSortEnum,
  FeedWindowEnum,
  LinkClassroomCourseInput,
  Post,
  PostConnection,
  ResourceConnection,
  ResourcesArgs,
  Resource,
  ScheduledPostsArgs,
  UnlinkClassroomCourseInput,
} from './feed.type.js';

/** `Community.feed`, `scheduledPosts`, `resources`, `resourceFolders`, `classroom`. */
@Resolver(() => Community)
export class CommunityFeedResolver extends ServicesResolver {
  @FieldResolver(() => PostConnection, {
    description:
      'The feed (CONTENT_READ): on the first page the pinned posts (at most 5) first, then `first` (≤ 50) posts — NEW: newest first; TOP: highest score (reactions + 2 × comments) first — published within `window`, optionally with `tag`. Keyset cursors: posts published meanwhile never shift later pages.',
  })
  async feed(
    @Root() community: Community,
    @Args(() => CommunityFeedArgs) args: CommunityFeedArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const context = await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ');
    const now = this.services.clock.now();
    const page = await this.services.feed.queries.feed({
      communityId: community.id,
      viewerId: ctx.viewer?.userId ?? null,
      moderator: isModerator(context),
      sort: args.sort ?? FeedSortEnum.NEW,
      window: args.window ?? FeedWindowEnum.ALL,
      tag: args.tag ? normaliseTag(args.tag) : null,
      first: args.first ?? null,
      after: args.after ?? null,
      now,
    });
    const loader = ctx.loaders.get(this.services.loaders.feed.post);
    for (const edge of page.edges) loader.prime(edge.node.id, edge.node);
    return mapConnection(page, (p) => Post.from(p, now));
  }

  @FieldResolver(() => PostConnection, {
    description:
      'Posts scheduled for later, soonest first: the viewer’s own (members), or all of them (POST_MODERATE).',
  })
  async scheduledPosts(
    @Root() community: Community,
    @Args(() => ScheduledPostsArgs) args: ScheduledPostsArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const context = await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ');
    const now = this.services.clock.now();
    if (!ctx.viewer)
      return {
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      };
    const page = await this.services.feed.queries.scheduled(
      community.id,
      { viewerId: ctx.viewer.userId, moderator: isModerator(context) },
      now,
      { first: args.first ?? null, after: args.after ?? null },
    );
    return mapConnection(page, (p) => Post.from(p, now));
  }

  @FieldResolver(() => ResourceConnection, {
    description:
      'The resource library (CONTENT_READ), newest first, first ≤ 100; gated resources are locked.',
  })
  async resources(
    @Root() community: Community,
    @Args(() => ResourcesArgs) args: ResourcesArgs,
    @Ctx() ctx: RequestContext,
  ) {
    await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ');
    const folder = args.folder?.replace(/\s+/g, ' ').trim() || null;
    const page = await this.services.feed.queries.resources(community.id, folder, {
      first: args.first ?? null,
      after: args.after ?? null,
    });
    return mapConnection(page, Resource.from);
  }

  @FieldResolver(() => [String], { description: 'Folders of the resource library, alphabetically.' })
  async resourceFolders(@Root() community: Community, @Ctx() ctx: RequestContext): Promise<string[]> {
    await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ');
    return this.services.feed.queries.resourceFolders(community.id);
  }

  @FieldResolver(() => ClassroomCourseConnection, {
    description: 'Learning courses linked to the community, in order (CONTENT_READ), first ≤ 100.',
  })
  async classroom(
    @Root() community: Community,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ) {
    await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ');
    const page = await this.services.feed.queries.classroom(community.id, {
      first: args.first ?? null,
      after: args.after ?? null,
    });
    return mapConnection(page, ClassroomCourse.from);
  }
}

/** Classroom links (COMMUNITY_UPDATE or RESOURCE_MANAGE) and the fields of `ClassroomCourse`. */
@Resolver(() => ClassroomCourse)
export class ClassroomResolver extends ServicesResolver {
  @Authenticated()
  @Mutation(() => ClassroomCoursePayload, {
    description:
      'COMMUNITY_UPDATE or RESOURCE_MANAGE: links a learning course (or moves a linked one to `position`). At most 100 (CLASSROOM_FULL).',
  })
  async linkClassroomCourse(
    @Arg('input', () => LinkClassroomCourseInput) input: LinkClassroomCourseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ClassroomCoursePayload> {
    const link = await this.services.feed.classroom.link(
      viewerOf(ctx),
      input.communityId,
      input.courseId,
      input.position ?? null,
    );
    return { classroomCourse: ClassroomCourse.from(link) };
  }

  @Authenticated()
  @Mutation(() => ClassroomCoursePayload, { description: 'COMMUNITY_UPDATE or RESOURCE_MANAGE.' })
  async unlinkClassroomCourse(
    @Arg('input', () => UnlinkClassroomCourseInput) input: UnlinkClassroomCourseInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ClassroomCoursePayload> {
    const link = await this.services.feed.classroom.unlink(viewerOf(ctx), input.communityId, input.courseId);
    return { classroomCourse: ClassroomCourse.from(link) };
  }

  @FieldResolver(() => Course, {
    nullable: true,
    description: 'Learning resolves it (null when the course is missing or hidden from the viewer).',
  })
  course(@Root() link: ClassroomCourse): Course {
    return { id: link.entity.courseId };
  }

  @FieldResolver(() => User)
  addedBy(@Root() link: ClassroomCourse): User {
    return { id: link.entity.addedById };
  }
}
