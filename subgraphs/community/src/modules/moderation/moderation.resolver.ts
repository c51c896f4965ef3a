import { Authenticated, pageSize, type RequestContext } from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { accessInRequest, requireInRequest } from '../../common/request-access.js';
import { ServicesResolver, viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import { Community } from '../community/community.type.js';
import { DEFAULT_BAD_WORDS } from './auto-flags.js';
import type { ModerationTargetType, ModeratorAction, ReportReason, Severity } from './moderation.entity.js';
import { MAX_CASE_REPORTS } from './moderation.service.js';
import {
  CommunityModerationSettings,
  ModerateInput,
  ModerationAction,
  ModerationActionPayload,
  ModerationCase,
  ModerationCaseConnection,
  ModerationFlag,
  ModerationQueueArgs,
  ModerationReport,
  ReportContentInput,
  ReportContentPayload,
  UndoModerationActionInput,
  UpdateModerationSettingsInput,
} from './moderation.type.js';

abstract class ModerationResolverBase extends ServicesResolver {
  protected get moderation() {
    return this.services.moderation.service;
  }

  protected get loaders() {
    return this.services.loaders.moderation;
  }
}

/** Root fields and `ModerationCase` relations. */
@Resolver(() => ModerationCase)
export class ModerationCaseResolver extends ModerationResolverBase {
  @Authenticated()
  @Query(() => ModerationCase, {
    nullable: true,
    description: 'A case (REPORTS_HANDLE in its community; null when missing or the community is hidden).',
  })
  async moderationCase(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ModerationCase | null> {
    const kase = await ctx.loaders.get(this.loaders.moderationCase).load(id);
    if (!kase) return null;
    const context = await accessInRequest(this.services, ctx, kase.communityId);
    if (!context?.canSee) return null;
    this.services.access.assert(context, 'REPORTS_HANDLE');
    return ModerationCase.from(kase);
  }

  @Authenticated()
  @Mutation(() => ReportContentPayload, {
    description:
      'CONTENT_REPORT: a post, comment or member the viewer may see; one open report per target (ALREADY_REPORTED).',
  })
  async reportContent(
    @Arg('input', () => ReportContentInput) input: ReportContentInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ReportContentPayload> {
    const { report } = await this.moderation.report(viewerOf(ctx), {
      communityId: input.communityId,
      targetType: input.targetType as ModerationTargetType,
      targetId: input.targetId,
      reason: input.reason as ReportReason,
      note: input.note ?? null,
    });
    return { report: ModerationReport.from(report) };
  }

  @Authenticated()
  @Mutation(() => ModerationActionPayload, {
    description:
      'REPORTS_HANDLE plus the action’s permission; resolves the case, closes its reports, audited (undoable).',
  })
  async moderate(
    @Arg('input', () => ModerateInput) input: ModerateInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ModerationActionPayload> {
    const { action, kase } = await this.moderation.moderate(viewerOf(ctx), {
      caseId: input.caseId,
      action: input.action as ModeratorAction,
      reason: input.reason ?? null,
      muteHours: input.muteHours ?? null,
    });
    return { action: ModerationAction.from(action), moderationCase: ModerationCase.from(kase) };
  }

  @Authenticated()
  @Mutation(() => ModerationActionPayload, {
    description:
      'Restores exactly what the case’s latest standing action changed (UNDO_NOT_ALLOWED, MODERATION_STATE_CHANGED); audited.',
  })
  async undoModerationAction(
    @Arg('input', () => UndoModerationActionInput) input: UndoModerationActionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ModerationActionPayload> {
    const { action, kase } = await this.moderation.undo(viewerOf(ctx), {
      actionId: input.actionId,
      reason: input.reason ?? null,
    });
    return { action: ModerationAction.from(action), moderationCase: ModerationCase.from(kase) };
  }

  @Authenticated()
  @Mutation(() => CommunityModerationSettings, {
    description: 'REPORTS_HANDLE: the community’s bad-word additions (automatic flags use them from now on).',
  })
  async updateModerationSettings(
    @Arg('input', () => UpdateModerationSettingsInput) input: UpdateModerationSettingsInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityModerationSettings> {
    const settings = await this.moderation.updateSettings(viewerOf(ctx), input);
    return CommunityModerationSettings.from(settings, DEFAULT_BAD_WORDS.length);
  }

  @FieldResolver(() => Community, { nullable: true })
  async community(@Root() kase: ModerationCase, @Ctx() ctx: RequestContext): Promise<Community | null> {
    const context = await accessInRequest(this.services, ctx, kase.communityId);
    return context?.canSee ? Community.from(context.community) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The author or the member concerned.' })
  targetUser(@Root() kase: ModerationCase): User | null {
    return kase.entity.targetUserId ? { id: kase.entity.targetUserId } : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The content’s moderation state now (VISIBLE, PENDING_REVIEW, SUPPRESSED, REMOVED, DELETED).',
  })
  async contentState(@Root() kase: ModerationCase, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (kase.targetType === 'MEMBER') return null;
    return ctx.loaders.get(this.loaders.contentState).load(`${kase.targetType}|${kase.targetId}`);
  }

  @FieldResolver(() => [ModerationFlag])
  async flags(@Root() kase: ModerationCase, @Ctx() ctx: RequestContext): Promise<ModerationFlag[]> {
    return (await ctx.loaders.get(this.loaders.flags).load(kase.id)).map((f) => ModerationFlag.from(f));
  }

  @FieldResolver(() => [ModerationReport], { description: `Newest first, at most ${MAX_CASE_REPORTS}.` })
  async reports(
    @Root() kase: ModerationCase,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ModerationReport[]> {
    const limit = pageSize(first, MAX_CASE_REPORTS);
    const reports = await ctx.loaders.get(this.loaders.reports).load(kase.id);
    return reports.slice(0, limit).map((r) => ModerationReport.from(r));
  }

  @FieldResolver(() => [ModerationAction], { description: 'The audit, oldest first (the latest 100).' })
  async actions(@Root() kase: ModerationCase, @Ctx() ctx: RequestContext): Promise<ModerationAction[]> {
    return (await ctx.loaders.get(this.loaders.actions).load(kase.id)).map((a) => ModerationAction.from(a));
  }
}

@Resolver(() => ModerationReport)
export class ModerationReportResolver extends ModerationResolverBase {
  @FieldResolver(() => User)
  reporter(@Root() report: ModerationReport): User {
    return { id: report.entity.reporterId };
  }
}

@Resolver(() => ModerationAction)
export class ModerationActionResolver extends ModerationResolverBase {
  @FieldResolver(() => User, { nullable: true, description: 'Null for automatic actions.' })
  actor(@Root() action: ModerationAction): User | null {
    return action.entity.actorId ? { id: action.entity.actorId } : null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The UNDO that undid this action, if any.' })
  undoneBy(@Root() action: ModerationAction, @Ctx() ctx: RequestContext): Promise<string | null> {
    return ctx.loaders.get(this.loaders.undoneBy).load(action.id);
  }
}

/** `Community.moderationQueue`, `Community.moderationSettings` (REPORTS_HANDLE). */
@Resolver(() => Community)
export class CommunityModerationResolver extends ModerationResolverBase {
  @FieldResolver(() => ModerationCaseConnection, {
    description: 'REPORTS_HANDLE: cases riskiest first, then newest (`first` ≤ 50).',
  })
  async moderationQueue(
    @Root() community: Community,
    @Args(() => ModerationQueueArgs) args: ModerationQueueArgs,
    @Ctx() ctx: RequestContext,
  ) {
    await requireInRequest(this.services, ctx, community.entity, 'REPORTS_HANDLE');
    const page = await this.moderation.queue(community.id, {
      status: args.status,
      severity: (args.severity ?? null) as Severity | null,
      first: args.first ?? null,
      after: args.after ?? null,
    });
    return {
      ...page,
      edges: page.edges.map((e) => ({ cursor: e.cursor, node: ModerationCase.from(e.node) })),
    };
  }

  @FieldResolver(() => CommunityModerationSettings, { description: 'REPORTS_HANDLE.' })
  async moderationSettings(
    @Root() community: Community,
    @Ctx() ctx: RequestContext,
  ): Promise<CommunityModerationSettings> {
    await requireInRequest(this.services, ctx, community.entity, 'REPORTS_HANDLE');
    return CommunityModerationSettings.from(
      await this.moderation.settings(community.id),
      DEFAULT_BAD_WORDS.length,
    );
  }
}
