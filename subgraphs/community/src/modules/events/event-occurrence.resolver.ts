import { Authenticated, ConnectionArgs, pageSize, Public, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { mapConnection } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { canSeeEvent, canSeeEventDetails } from './event-access.js';
import type { EventOccurrenceEntity } from './event.entity.js';
import { eventAccess } from './event.resolver.js';
import {
  CancelCommunityEventOccurrenceInput,
  CheckInCommunityEventInput,
  CommunityEvent,
  CommunityEventAttendancePayload,
  CommunityEventCheckInPayload,
  CommunityEventOccurrence,
  CommunityEventOccurrenceConnection,
  CommunityEventOccurrencePayload,
  CommunityEventRsvp,
  CommunityEventRsvpConnection,
  CommunityEventRsvpCounts,
  CommunityEventRsvpPayload,
  CommunityEventRsvpStatusEnum,
  EventAttendeesArgs,
  MarkCommunityEventAttendanceInput,
  RsvpCommunityEventInput,
} from './event.type.js';
import { localTime } from './recurrence.js';

@Resolver(() => CommunityEventOccurrence)
export class EventOccurrenceResolver extends ServicesResolver {
  private async loadEvent(occurrence: EventOccurrenceEntity, ctx: RequestContext) {
    return ctx.loaders.get(this.services.loaders.events.event).load(occurrence.eventId);
  }

  @Public()
  @Query(() => CommunityEventOccurrence, {
    nullable: true,
    description: 'One occurrence of an event; null when missing or hidden.',
  })
  async communityEventOccurrence(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventOccurrence | null> {
    const occurrence = await ctx.loaders.get(this.services.loaders.events.occurrence).load(id);
    if (!occurrence) return null;
    const event = await this.loadEvent(occurrence, ctx);
    const context = event ? await eventAccess(this.services, ctx, event) : null;
    return event && context && canSeeEvent(context, event) ? CommunityEventOccurrence.from(occurrence) : null;
  }

  @Authenticated()
  @Query(() => CommunityEventOccurrenceConnection, {
    description:
      'The viewer’s upcoming occurrences (GOING, INTERESTED or WAITLISTED; not ended, not cancelled) in communities they are an active member of, by start.',
  })
  async viewerUpcomingEvents(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const page = await this.services.events.queries.upcoming(
      viewerOf(ctx).userId,
      this.services.clock.now(),
      args,
    );
    const loader = ctx.loaders.get(this.services.loaders.events.occurrence);
    for (const edge of page.edges) loader.prime(edge.node.id, edge.node);
    return mapConnection(page, CommunityEventOccurrence.from);
  }

  @Authenticated()
  @Mutation(() => CommunityEventRsvpPayload, {
    description:
      'EVENT_RSVP (active members). GOING takes a free place or joins the waitlist (WAITLISTED); leaving a place promotes the first in line. EVENT_CANCELLED, EVENT_ENDED.',
  })
  async rsvpCommunityEvent(
    @Arg('input', () => RsvpCommunityEventInput) input: RsvpCommunityEventInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventRsvpPayload> {
    const { rsvp, occurrence } = await this.services.events.rsvps.respond(
      viewerOf(ctx),
      { eventId: input.eventId ?? null, occurrenceId: input.occurrenceId ?? null },
      input.status,
    );
    const [view] = await this.services.events.queries.rsvpsByKeys([`${rsvp.occurrenceId}|${rsvp.userId}`]);
    return {
      rsvp: CommunityEventRsvp.from(view ?? { ...rsvp, waitlistPosition: null }),
      occurrence: CommunityEventOccurrence.from(occurrence),
    };
  }

  @Authenticated()
  @Mutation(() => CommunityEventCheckInPayload, {
    description:
      'The viewer checks in (GOING, from 30 minutes before the start until the end): CHECK_IN_CLOSED, NOT_GOING.',
  })
  async checkInCommunityEvent(
    @Arg('input', () => CheckInCommunityEventInput) input: CheckInCommunityEventInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventCheckInPayload> {
    const result = await this.services.events.rsvps.checkIn(viewerOf(ctx), input.occurrenceId);
    return {
      occurrence: CommunityEventOccurrence.from(result.occurrence),
      newlyAttended: result.newlyAttended,
    };
  }

  @Authenticated()
  @Mutation(() => CommunityEventAttendancePayload, {
    description: 'EVENT_MANAGE: marks active members as attending (once each; NOT_A_MEMBER for others).',
  })
  async markCommunityEventAttendance(
    @Arg('input', () => MarkCommunityEventAttendanceInput) input: MarkCommunityEventAttendanceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventAttendancePayload> {
    const result = await this.services.events.rsvps.markAttendance(
      viewerOf(ctx),
      input.occurrenceId,
      input.userIds,
    );
    return {
      occurrence: CommunityEventOccurrence.from(result.occurrence),
      markedUserIds: result.marked,
      alreadyMarkedUserIds: result.alreadyMarked,
    };
  }

  @Authenticated()
  @Mutation(() => CommunityEventOccurrencePayload, { description: 'EVENT_MANAGE: cancels one occurrence.' })
  async cancelCommunityEventOccurrence(
    @Arg('input', () => CancelCommunityEventOccurrenceInput) input: CancelCommunityEventOccurrenceInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventOccurrencePayload> {
    const { occurrence } = await this.services.events.events.cancelOccurrence(
      viewerOf(ctx),
      input.occurrenceId,
      input.reason ?? null,
    );
    return { occurrence: CommunityEventOccurrence.from(occurrence) };
  }

  @FieldResolver(() => CommunityEvent, { nullable: true })
  async event(
    @Root() occurrence: CommunityEventOccurrence,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEvent | null> {
    const event = await this.loadEvent(occurrence.entity, ctx);
    return event ? CommunityEvent.from(event) : null;
  }

  @FieldResolver(() => String, { description: 'The start in the event’s zone, `YYYY-MM-DDTHH:mm`.' })
  async localStartsAt(
    @Root() occurrence: CommunityEventOccurrence,
    @Ctx() ctx: RequestContext,
  ): Promise<string> {
    const event = await this.loadEvent(occurrence.entity, ctx);
    return localTime(occurrence.startsAt, event?.timeZone ?? 'UTC');
  }

  @FieldResolver(() => CommunityEventRsvpCounts)
  async counts(
    @Root() occurrence: CommunityEventOccurrence,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventRsvpCounts> {
    return ctx.loaders.get(this.services.loaders.events.counts).load(occurrence.id);
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Free GOING places; null: unlimited.' })
  async spotsLeft(
    @Root() occurrence: CommunityEventOccurrence,
    @Ctx() ctx: RequestContext,
  ): Promise<number | null> {
    const event = await this.loadEvent(occurrence.entity, ctx);
    if (!event || event.capacity === null) return null;
    const counts = await ctx.loaders.get(this.services.loaders.events.counts).load(occurrence.id);
    return Math.max(0, event.capacity - counts.going);
  }

  @FieldResolver(() => CommunityEventRsvp, { nullable: true, description: 'The viewer’s answer.' })
  async viewerRsvp(
    @Root() occurrence: CommunityEventOccurrence,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventRsvp | null> {
    if (!ctx.viewer) return null;
    const rsvp = await ctx.loaders
      .get(this.services.loaders.events.rsvp)
      .load(`${occurrence.id}|${ctx.viewer.userId}`);
    return rsvp ? CommunityEventRsvp.from(rsvp) : null;
  }

  @FieldResolver(() => Boolean, { description: 'The viewer checked in or was marked as attending.' })
  async viewerAttended(
    @Root() occurrence: CommunityEventOccurrence,
    @Ctx() ctx: RequestContext,
  ): Promise<boolean> {
    if (!ctx.viewer) return false;
    return ctx.loaders
      .get(this.services.loaders.events.attended)
      .load(`${occurrence.id}|${ctx.viewer.userId}`);
  }

  @FieldResolver(() => CommunityEventRsvpConnection, {
    nullable: true,
    description:
      'Who answered (default GOING), in request order (the waitlist order for WAITLISTED); first ≤ 100. Active members and managers only (null for others).',
  })
  async attendees(
    @Root() occurrence: CommunityEventOccurrence,
    @Args(() => EventAttendeesArgs) args: EventAttendeesArgs,
    @Ctx() ctx: RequestContext,
  ) {
    const event = await this.loadEvent(occurrence.entity, ctx);
    const context = event ? await eventAccess(this.services, ctx, event) : null;
    if (!context || !canSeeEventDetails(context)) return null;
    const page = await ctx.loaders.get(this.services.loaders.events.rsvpPage).load({
      occurrenceId: occurrence.id,
      status: args.status ?? CommunityEventRsvpStatusEnum.GOING,
      first: pageSize(args.first),
      after: args.after ?? null,
    });
    return mapConnection(page, CommunityEventRsvp.from);
  }
}

@Resolver(() => CommunityEventRsvp)
export class EventRsvpResolver extends ServicesResolver {
  @FieldResolver(() => User)
  user(@Root() rsvp: CommunityEventRsvp): User {
    return { id: rsvp.entity.userId };
  }

  @FieldResolver(() => CommunityEventOccurrence, { nullable: true })
  async occurrence(
    @Root() rsvp: CommunityEventRsvp,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityEventOccurrence | null> {
    const occurrence = await ctx.loaders
      .get(this.services.loaders.events.occurrence)
      .load(rsvp.entity.occurrenceId);
    return occurrence ? CommunityEventOccurrence.from(occurrence) : null;
  }
}
