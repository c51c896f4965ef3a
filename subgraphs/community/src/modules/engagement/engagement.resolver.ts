import { Authenticated, ConnectionArgs, NotFoundError, pageSize, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessInRequest, mapConnection, requireInRequest } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { CommunityForbiddenError } from '../../common/community.errors.js';
import { Community } from '../community/community.type.js';
import type { MembershipEntity } from '../membership/membership.entity.js';
import { CommunityMembership, CommunityMembershipPayload } from '../membership/membership.type.js';
import { nextLevelAt } from './engagement.config.js';
import type { PointsAccountEntity } from './engagement.entity.js';
import {
  AwardPointsInput,
  AwardPointsPayload,
  CommunityLeaderboard,
  CommunityPoints,
  CommunityStreak,
  LeaderboardArgs,
  LeaderboardEntry,
  LeaderboardMetricEnum,
  LeaderboardPeriodEnum,
  PointsHistoryArgs,
  PointsLedgerEntry,
  PointsLedgerEntryConnection,
  RebuildCommunityLeaderboardsPayload,
  SetMyCommunityTimeZoneInput,
  pointsOf,
} from './engagement.type.js';
import { MAX_LEADERBOARD_ROWS } from './leaderboard.service.js';
import { currentStreak, localDay } from './streak.js';

/** Shared by the engagement resolvers: accounts and streaks through the request's DataLoaders. */
abstract class EngagementResolverBase extends ServicesResolver {
  protected account(
    ctx: RequestContext,
    communityId: string,
    userId: string,
  ): Promise<PointsAccountEntity | null> {
    return ctx.loaders.get(this.services.loaders.engagement.account).load(`${communityId}|${userId}`);
  }

  protected streakOf(account: PointsAccountEntity | null, timeZone: string): CommunityStreak {
    const state = {
      current: account?.currentStreak ?? 0,
      longest: account?.longestStreak ?? 0,
      lastActiveDay: account?.lastActiveDay ?? null,
    };
    return Object.assign(new CommunityStreak(), {
      current: currentStreak(state, localDay(this.services.clock.now(), timeZone)),
      longest: state.longest,
      lastActiveOn: state.lastActiveDay,
      timeZone,
    });
  }

  protected pointsView(
    communityId: string,
    userId: string,
    account: PointsAccountEntity | null,
    timeZone: string,
  ): CommunityPoints {
    const thresholds = this.services.engagement.config.levelThresholds;
    return pointsOf(
      communityId,
      userId,
      account,
      this.streakOf(account, timeZone),
      nextLevelAt(account?.lifetimePoints ?? 0, thresholds),
    );
  }
}

/** `Community.leaderboard`. */
@Resolver(() => Community)
export class CommunityLeaderboardResolver extends EngagementResolverBase {
  @FieldResolver(() => CommunityLeaderboard, {
    description:
      'Best members first (readers; `first` ≤ 100). Equal scores share a rank and are ordered by user id.',
  })
  async leaderboard(
    @Root() community: Community,
    @Args(() => LeaderboardArgs) args: LeaderboardArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityLeaderboard> {
    await requireInRequest(this.services, ctx, community.entity, 'CONTENT_READ');
    const first = pageSize(args.first, MAX_LEADERBOARD_ROWS);
    const memberships = ctx.loaders.get(this.services.loaders.membership);
    const board = await this.services.engagement.leaderboards.board(
      community.id,
      args.period,
      args.metric,
      first,
      (userIds) => memberships.loadMany(userIds.map((u) => `${community.id}|${u}`)).then(onlyRows),
    );
    return Object.assign(new CommunityLeaderboard(), {
      period: board.period as LeaderboardPeriodEnum,
      metric: board.metric as LeaderboardMetricEnum,
      from: board.from,
      to: board.to,
      entries: board.rows.map((row) =>
        Object.assign(new LeaderboardEntry(), {
          rank: row.rank,
          score: row.score,
          userId: row.userId,
          membership: CommunityMembership.from(row.membership),
        }),
      ),
    });
  }
}

@Resolver(() => LeaderboardEntry)
export class LeaderboardEntryResolver extends ServicesResolver {
  @FieldResolver(() => User)
  user(@Root() entry: LeaderboardEntry): User {
    return { id: entry.userId };
  }
}

/** `CommunityMembership.points`, `.level`, `.streak` (visible wherever the membership is). */
@Resolver(() => CommunityMembership)
export class MembershipEngagementResolver extends EngagementResolverBase {
  @FieldResolver(() => Int, { description: 'Points held in the community.' })
  async points(@Root() membership: CommunityMembership, @Ctx() ctx: RequestContext): Promise<number> {
    const { communityId, userId } = membership.entity;
    return (await this.account(ctx, communityId, userId))?.balance ?? 0;
  }

  @FieldResolver(() => Int, {
    description: 'Level by lifetime points (thresholds 0, 500, 1,500, 4,000, 8,000).',
  })
  async level(@Root() membership: CommunityMembership, @Ctx() ctx: RequestContext): Promise<number> {
    const { communityId, userId } = membership.entity;
    return (await this.account(ctx, communityId, userId))?.level ?? 1;
  }

  @FieldResolver(() => CommunityStreak)
  async streak(
    @Root() membership: CommunityMembership,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityStreak> {
    const { communityId, userId, timeZone } = membership.entity;
    return this.streakOf(await this.account(ctx, communityId, userId), timeZone);
  }
}

/** `User.points(communityId)`: community's field on identity's User (batched). */
@Resolver(() => User)
export class UserPointsResolver extends EngagementResolverBase {
  @FieldResolver(() => CommunityPoints, {
    nullable: true,
    description:
      'The user’s points in a community: null when the viewer may not read it (the user always sees their own) or the user never belonged to it.',
  })
  async points(
    @Root() user: User,
    @Arg('communityId', () => ID) communityId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityPoints | null> {
    const context = await accessInRequest(this.services, ctx, communityId);
    if (!context?.canSee) return null;
    const own = ctx.viewer?.userId === user.id;
    if (!own && !context.canRead) return null;
    const membership = await ctx.loaders
      .get(this.services.loaders.membership)
      .load(`${context.community.id}|${user.id}`);
    if (!membership) return null;
    if (!own && membership.status !== 'ACTIVE') return null;
    const account = await this.account(ctx, context.community.id, user.id);
    return this.pointsView(context.community.id, user.id, account, membership.timeZone);
  }
}

@Resolver(() => CommunityPoints)
export class CommunityPointsResolver extends EngagementResolverBase {
  @FieldResolver(() => User)
  user(@Root() points: CommunityPoints): User {
    return { id: points.userId };
  }

  @FieldResolver(() => Community, { nullable: true })
  async community(@Root() points: CommunityPoints, @Ctx() ctx: RequestContext): Promise<Community | null> {
    const context = await accessInRequest(this.services, ctx, points.communityId);
    return context?.canSee ? Community.from(context.community) : null;
  }

  @FieldResolver(() => PointsLedgerEntryConnection, {
    description:
      'Awards and deductions, newest first (`first` ≤ 100): the member themselves and POINTS_AWARD holders.',
  })
  async history(
    @Root() points: CommunityPoints,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ) {
    if (ctx.viewer?.userId !== points.userId) {
      const context = await requireInRequest(this.services, ctx, points.communityId, 'CONTENT_READ');
      if (!context.has('POINTS_AWARD'))
        throw new CommunityForbiddenError(
          'Only the member and those who award points see this history.',
          'MISSING_PERMISSION',
          'POINTS_AWARD',
        );
    }
    const page = await this.services.engagement.points.history(points.communityId, points.userId, args);
    return mapConnection(page, PointsLedgerEntry.from);
  }
}

@Resolver(() => PointsLedgerEntry)
export class PointsLedgerEntryResolver extends ServicesResolver {
  @FieldResolver(() => User, { nullable: true, description: 'The moderator, for MODERATOR_AWARD.' })
  actor(@Root() entry: PointsLedgerEntry): User | null {
    return entry.entity.actorId ? { id: entry.entity.actorId } : null;
  }
}

/** Root fields: the viewer's history, moderator awards, the viewer's time zone, leaderboard rebuilds. */
@Resolver()
export class EngagementResolver extends EngagementResolverBase {
  @Authenticated()
  @Query(() => PointsLedgerEntryConnection, {
    description: 'The viewer’s points history in a community, newest first (`first` ≤ 100).',
  })
  async myPointsHistory(@Args(() => PointsHistoryArgs) args: PointsHistoryArgs, @Ctx() ctx: RequestContext) {
    const viewer = viewerOf(ctx);
    const context = await accessInRequest(this.services, ctx, args.communityId);
    if (!context?.canSee) throw new NotFoundError('Community');
    const page = await this.services.engagement.points.history(context.community.id, viewer.userId, args);
    return mapConnection(page, PointsLedgerEntry.from);
  }

  @Authenticated()
  @Mutation(() => AwardPointsPayload, {
    description:
      'Awards (or, negative, deducts) points to another active member with a note (POINTS_AWARD; a deduction also needs a rank above theirs and stops at a balance of 0).',
  })
  async awardPoints(
    @Arg('input', () => AwardPointsInput) input: AwardPointsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<AwardPointsPayload> {
    const { entry, account, timeZone, duplicate } = await this.services.engagement.points.awardByModerator(
      viewerOf(ctx),
      input,
    );
    return {
      entry: PointsLedgerEntry.from(entry),
      points: this.pointsView(account.communityId, account.userId, account, timeZone),
      duplicate,
    };
  }

  @Authenticated()
  @Mutation(() => CommunityMembershipPayload, {
    description: 'The viewer’s IANA time zone in a community (streak days count in it).',
  })
  async setMyCommunityTimeZone(
    @Arg('input', () => SetMyCommunityTimeZoneInput) input: SetMyCommunityTimeZoneInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityMembershipPayload> {
    const membership = await this.services.memberships.setTimeZone(
      viewerOf(ctx),
      input.communityId,
      input.timeZone,
    );
    const community = await this.services.communities.find(ctx.viewer, { id: membership.communityId });
    return {
      membership: CommunityMembership.from(membership),
      community: community ? Community.from(community) : null,
    };
  }

  @Authenticated()
  @Mutation(() => RebuildCommunityLeaderboardsPayload, {
    description: 'Rebuilds the community’s leaderboards in Redis from PostgreSQL (COMMUNITY_UPDATE).',
  })
  async rebuildCommunityLeaderboards(
    @Arg('communityId', () => ID) communityId: string,
    @Ctx() ctx: RequestContext,
  ): Promise<RebuildCommunityLeaderboardsPayload> {
    const context = await this.services.access.require(viewerOf(ctx), communityId, 'COMMUNITY_UPDATE');
    const accounts = await this.services.engagement.leaderboards.rebuild(context.community.id);
    return { communityId: context.community.id, accounts };
  }
}

function onlyRows(values: (MembershipEntity | null | Error)[]): (MembershipEntity | null)[] {
  return values.map((v) => {
    if (v instanceof Error) throw v;
    return v;
  });
}
