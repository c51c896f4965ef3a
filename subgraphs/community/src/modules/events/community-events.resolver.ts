import { Authenticated, type RequestContext } from '@edugraph/kit';
import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mapConnection, requireInRequest } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { Community } from '../community/community.type.js';
import { canSeeEventDetails, isActiveMember } from './event-access.js';
import { calendarWindow } from './event-queries.js';
import {
  CalendarWindowArgs,
  CommunityCalendarFeedPayload,
  CommunityEventOccurrence,
  CommunityEventOccurrenceConnection,
} from './event.type.js';

/** `Community.events` (the calendar), `Community.calendarFeedUrl` and the viewer's personal feed. */
@Resolver(() => Community)
export class CommunityEventsResolver extends ServicesResolver {
  @FieldResolver(() => CommunityEventOccurrenceConnection, {
    description:
      'The calendar: occurrences overlapping a window (default: now to five weeks later, at most 366 days), by start, first ≤ 100. MEMBERS-only events for active members and managers. Needs CONTENT_READ.',
  })
  async events(
    @Root() community: Community,
    @Args(() => CalendarWindowArgs) args: CalendarWindowArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const context = await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ');
    const window = calendarWindow(args.from, args.to, this.services.clock.now());
    const page = await this.services.events.queries.calendar(
      community.id,
      window,
      { membersOnly: canSeeEventDetails(context), includeCancelled: Boolean(args.includeCancelled) },
      { first: args.first ?? null, after: args.after ?? null },
    );
    const loader = ctx.loaders.get(this.services.loaders.events.occurrence);
    for (const edge of page.edges) loader.prime(edge.node.id, edge.node);
    return mapConnection(page, CommunityEventOccurrence.from);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'ICS feed of the community’s events: public communities for everyone (public events); for an active member, a URL signed for them (members-only events too; revoked by rotateCommunityCalendarFeed). Null when neither.',
  })
  async calendarFeedUrl(@Root() community: Community, @Ctx() ctx: RequestContext): Promise<string | null> {
    const calendar = this.services.events.calendar;
    const context = await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ').catch(
      () => null,
    );
    if (!context) return null;
    if (ctx.viewer && isActiveMember(context)) {
      const salt = await ctx.loaders.get(this.services.loaders.events.calendarSalt).load(ctx.viewer.userId);
      return calendar.communityFeedUrl(community.id, ctx.viewer.userId, salt);
    }
    return community.entity.visibility === 'PUBLIC'
      ? calendar.communityFeedUrl(community.id, null, null)
      : null;
  }
}

@Resolver()
export class CalendarFeedResolver extends ServicesResolver {
  @Authenticated()
  @Query(() => String, {
    description:
      'The viewer’s personal ICS feed URL: their GOING and INTERESTED occurrences across communities.',
  })
  async viewerCalendarFeedUrl(@Ctx() ctx: RequestContext): Promise<string> {
    const viewer = viewerOf(ctx);
    const salt = await ctx.loaders.get(this.services.loaders.events.calendarSalt).load(viewer.userId);
    return this.services.events.calendar.memberFeedUrl(viewer.userId, salt);
  }

  @Authenticated()
  @Mutation(() => CommunityCalendarFeedPayload, {
    description: 'Revokes every calendar feed URL the viewer was given (personal and community ones).',
  })
  async rotateCommunityCalendarFeed(@Ctx() ctx: RequestContext): Promise<CommunityCalendarFeedPayload> {
    const viewer = viewerOf(ctx);
    const salt = await this.services.events.calendar.rotate(viewer);
    return { url: this.services.events.calendar.memberFeedUrl(viewer.userId, salt) };
  }
}
