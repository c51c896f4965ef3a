import {
  byKey,
  groupByKey,
  type DomainEvent,
  type DomainEventHandler,
  type LoaderFactory,
  type Logger,
} from '@edugraph/kit';
import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import {
  COMMUNITY_COMMENT_CREATED,
  COMMUNITY_POST_CREATED,
  type CommunityCommentCreatedPayload,
  type CommunityPostCreatedPayload,
} from '../../common/community-events.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import type { FeedModeration } from '../feed/feed-moderation.js';
import type { MembershipService } from '../membership/membership.service.js';
import type {
  ModerationActionEntity,
  ModerationCaseEntity,
  ModerationFlagEntity,
  ModerationReportEntity,
} from './moderation.entity.js';
import { ModerationService } from './moderation.service.js';

/** The moderation module (`services.moderation`). */
export type ModerationModule = {
  service: ModerationService;
  /** Automatic flags on new posts and comments, for consumer `community` (src/event-handlers.ts). */
  eventHandlers(): Record<string, DomainEventHandler>;
};

export type ModerationLoaders = {
  moderationCase: LoaderFactory<string, ModerationCaseEntity | null>;
  reports: LoaderFactory<string, ModerationReportEntity[]>;
  flags: LoaderFactory<string, ModerationFlagEntity[]>;
  actions: LoaderFactory<string, ModerationActionEntity[]>;
  /** Action id → the id of the UNDO that undid it (null when it stands). */
  undoneBy: LoaderFactory<string, string | null>;
  /** `POST|id` / `COMMENT|id` → the content's moderation state (`DELETED`, or null when missing). */
  contentState: LoaderFactory<string, string | null>;
};

function timeOf(value: unknown, event: DomainEvent): Date {
  for (const candidate of [value, event.occurredAt]) {
    if (typeof candidate !== 'string') continue;
    const date = new Date(candidate);
    if (!Number.isNaN(date.getTime())) return date;
  }
  return new Date();
}

export function createModerationModule(
  dataSource: DataSource,
  access: CommunityAccess,
  memberships: MembershipService,
  clock: Clock,
  logger: Logger,
  feed: () => FeedModeration | null,
): { module: ModerationModule; loaders: ModerationLoaders } {
  const service = new ModerationService(dataSource, access, memberships, clock, logger, feed);
  return {
    module: {
      service,
      eventHandlers: () => ({
        [COMMUNITY_POST_CREATED]: async (event, manager) => {
          const p = event.payload as Partial<CommunityPostCreatedPayload>;
          if (typeof p.body !== 'string' || !p.postId || !p.communityId || !p.authorId) return;
          await service.flagContent(manager, {
            communityId: p.communityId,
            targetType: 'POST',
            targetId: p.postId,
            postId: p.postId,
            authorId: p.authorId,
            title: p.title ?? null,
            body: p.body,
            createdAt: timeOf(p.publishedAt ?? p.createdAt, event),
          });
        },
        [COMMUNITY_COMMENT_CREATED]: async (event, manager) => {
          const p = event.payload as Partial<CommunityCommentCreatedPayload>;
          if (typeof p.body !== 'string' || !p.commentId || !p.postId || !p.communityId || !p.authorId)
            return;
          await service.flagContent(manager, {
            communityId: p.communityId,
            targetType: 'COMMENT',
            targetId: p.commentId,
            postId: p.postId,
            authorId: p.authorId,
            title: null,
            body: p.body,
            createdAt: timeOf(p.createdAt, event),
          });
        },
      }),
    },
    loaders: {
      moderationCase: () =>
        new DataLoader(async (ids) => byKey(ids, await service.casesByIds(ids), (c) => c.id)),
      reports: () =>
        new DataLoader(async (ids) => groupByKey(ids, await service.reportsOf(ids), (r) => r.caseId)),
      flags: () =>
        new DataLoader(async (ids) => groupByKey(ids, await service.flagsOf(ids), (r) => r.caseId)),
      actions: () =>
        new DataLoader(async (ids) => groupByKey(ids, await service.actionsOf(ids), (r) => r.caseId)),
      undoneBy: () =>
        new DataLoader(async (ids) => {
          const undone = await service.undoneOf(ids);
          return ids.map((id) => undone.get(id) ?? null);
        }),
      contentState: () =>
        new DataLoader(async (keys) => {
          const states = await service.contentStates(keys);
          return keys.map((k) => states.get(k) ?? null);
        }),
    },
  };
}
