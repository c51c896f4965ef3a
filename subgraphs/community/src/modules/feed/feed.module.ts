import type { PubSub } from '@edugraph/kit';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../common/clock.js';
import type { CommunityAccess } from '../access/community-access.service.js';
import { ClassroomService } from './classroom.service.js';
import { CommentService } from './comment.service.js';
import type { TierGate } from './feed-gate.js';
import { FeedModeration } from './feed-moderation.js';
import { FeedQueries } from './feed-queries.js';
import { FeedRealtime } from './feed-realtime.js';
import { createFeedLoaders, type FeedLoaders } from './feed.loaders.js';
import { PollService } from './poll.service.js';
import { PostService } from './post.service.js';
import { ReactionService } from './reaction.service.js';
import { ResourceService } from './resource.service.js';

/** The feed module's services (`services.feed`). */
export type FeedModule = {
  posts: PostService;
  comments: CommentService;
  reactions: ReactionService;
  polls: PollService;
  resources: ResourceService;
  classroom: ClassroomService;
  queries: FeedQueries;
  realtime: FeedRealtime;
  moderation: FeedModeration;
  /** Paywall's tier access, once the services are assembled (null: no tiers — gated content stays locked). */
  tiers: () => TierGate | null;
};

export function createFeedModule(
  dataSource: DataSource,
  access: CommunityAccess,
  clock: Clock,
  pubSub: PubSub,
  tiers: () => TierGate | null,
): { module: FeedModule; loaders: FeedLoaders } {
  const queries = new FeedQueries(dataSource);
  const realtime = new FeedRealtime(pubSub);
  return {
    module: {
      posts: new PostService(dataSource, access, clock, realtime),
      comments: new CommentService(dataSource, access, clock, tiers, realtime),
      reactions: new ReactionService(dataSource, access, clock, tiers, realtime),
      polls: new PollService(dataSource, access, clock, tiers),
      resources: new ResourceService(dataSource, access, clock),
      classroom: new ClassroomService(dataSource, access, clock),
      queries,
      realtime,
      moderation: new FeedModeration(realtime, clock),
      tiers,
    },
    loaders: createFeedLoaders(queries, tiers),
  };
}
