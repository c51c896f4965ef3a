import { Authenticated, pageSize, Public, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessInRequest, mapConnection } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import type { CommunityServices } from '../../community-services.js';
import { Asset } from '../../external/asset.external.js';
import { User } from '../../external/user.external.js';
import type { CommunityAccessContext } from '../access/community-access.service.js';
import { Community } from '../community/community.type.js';
import { canSeeEvent, canSeeEventDetails } from './event-access.js';
import type { EventEntity } from './event.entity.js';
import { calendarWindow } from './event-queries.js';
import {
  CalendarWindowArgs,
  CancelCommunityEventInput,
  CommunityEvent,
  CommunityEventOccurrence,
  CommunityEventOccurrenceConnection,
  CommunityEventPayload,
  CreateCommunityEventInput,
  UpdateCommunityEventInput,
} from './event.type.js';

/** The viewer's access context in an event's community (request DataLoaders). */
export async function eventAccess(
  services: CommunityServices,
  ctx: RequestContext,
  event: EventEntity,
): Promise<CommunityAccessContext | null> {
  return accessInRequest(services, ctx, event.communityId);
}

/** The event when the viewer may see it, else null (loaders). */
export async function visibleEvent(
  services: CommunityServices,
  ctx: RequestContext,
  eventId: string,
): Promise<EventEntity | null> {
  const event = await ctx.loaders.get(services.loaders.events.event).load(eventId);
  if (!event) return null;
  const context = await eventAccess(services, ctx, event);
  return context && canSeeEvent(context, event) ? event : null;
}

@Resolver(() => CommunityEvent)
export class EventResolver extends ServicesResolver {
  @Public()
  @Query(() => CommunityEvent, {
    nullable: true,
    description: 'An event; null when missing or hidden (private community, MEMBERS-only event).',
  })
  async communityEvent(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEvent | null> {
    const event = await visibleEvent(this.services, ctx, id);
    return event ? CommunityEvent.from(event) : null;
  }

  @Authenticated()
  @Mutation(() => CommunityEventPayload, {
    description:
      'EVENT_MANAGE (moderators and above). Typed errors: INVALID_RECURRENCE, INVALID_TIME_ZONE, INVALID_EVENT_TIME, BAD_USER_INPUT.',
  })
  async createCommunityEvent(
    @Arg('input', () => CreateCommunityEventInput) input: CreateCommunityEventInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventPayload> {
    const { communityId, ...fields } = input;
    const event = await this.services.events.events.create(viewerOf(ctx), communityId, fields);
    return { event: CommunityEvent.from(event) };
  }

  @Authenticated()
  @Mutation(() => CommunityEventPayload, {
    description:
      'EVENT_MANAGE. Changing times, zone or recurrence moves the occurrences (see the README); a larger capacity promotes waitlisted members.',
  })
  async updateCommunityEvent(
    @Arg('input', () => UpdateCommunityEventInput) input: UpdateCommunityEventInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventPayload> {
    const { eventId, ...fields } = input;
    const event = await this.services.events.events.update(viewerOf(ctx), eventId, fields);
    return { event: CommunityEvent.from(event) };
  }

  @Authenticated()
  @Mutation(() => CommunityEventPayload, { description: 'EVENT_MANAGE. The event stays, marked cancelled.' })
  async cancelCommunityEvent(
    @Arg('input', () => CancelCommunityEventInput) input: CancelCommunityEventInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventPayload> {
    const event = await this.services.events.events.cancel(
      viewerOf(ctx),
      input.eventId,
      input.reason ?? null,
    );
    return { event: CommunityEvent.from(event) };
  }

  @FieldResolver(() => Community, { nullable: true })
  async community(@Root() event: CommunityEvent, @Ctx() ctx: RequestContext): Promise<Community | null> {
    const context = await eventAccess(this.services, ctx, event.entity);
    return context?.canSee ? Community.from(context.community) : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'ONLINE events: for active members and managers only (null for others).',
  })
  async meetingUrl(@Root() event: CommunityEvent, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (!event.entity.meetingUrl) return null;
    const context = await eventAccess(this.services, ctx, event.entity);
    return context && canSeeEventDetails(context) ? event.entity.meetingUrl : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'ONLINE events held as a live session: its id, for active members and managers only.',
  })
  async liveSessionId(@Root() event: CommunityEvent, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (!event.entity.liveSessionId) return null;
    const context = await eventAccess(this.services, ctx, event.entity);
    return context && canSeeEventDetails(context) ? event.entity.liveSessionId : null;
  }

  @FieldResolver(() => Asset, { nullable: true })
  cover(@Root() event: CommunityEvent): Asset | null {
    return event.entity.coverAssetId ? { id: event.entity.coverAssetId } : null;
  }

  @FieldResolver(() => User)
  createdBy(@Root() event: CommunityEvent): User {
    return { id: event.entity.createdBy };
  }

  @FieldResolver(() => Boolean, { description: 'The viewer may edit and cancel it (EVENT_MANAGE).' })
  async viewerCanManage(@Root() event: CommunityEvent, @Ctx() ctx: RequestContext): Promise<boolean> {
    const context = await eventAccess(this.services, ctx, event.entity);
    return Boolean(context && context.has('EVENT_MANAGE'));
  }

  @FieldResolver(() => CommunityEventOccurrence, {
    nullable: true,
    description: 'The next occurrence that has not ended (and is not cancelled).',
  })
  async nextOccurrence(
    @Root() event: CommunityEvent,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventOccurrence | null> {
    const occurrence = await ctx.loaders.get(this.services.loaders.events.nextOccurrence).load(event.id);
    return occurrence ? CommunityEventOccurrence.from(occurrence) : null;
  }

  @FieldResolver(() => CommunityEventOccurrenceConnection, {
    description: 'Occurrences overlapping a window (default: the next five weeks), by start.',
  })
  async occurrences(
    @Root() event: CommunityEvent,
    @Args(() => CalendarWindowArgs) args: CalendarWindowArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const window = calendarWindow(args.from, args.to, this.services.clock.now());
    const page = await ctx.loaders.get(this.services.loaders.events.occurrencePage).load({
      eventId: event.id,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      includeCancelled: Boolean(args.includeCancelled),
      first: pageSize(args.first),
      after: args.after ?? null,
    });
    return mapConnection(page, CommunityEventOccurrence.from);
  }
}
