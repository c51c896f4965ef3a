import { Authenticated, type RequestContext, type Viewer } from '@edugraph/kit';
import DataLoader from 'dataloader';
import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { CommunityForbiddenError } from '../../common/community.errors.js';
import { viewerOf } from '../../common/services-resolver.js';
import { assertUuid } from '../../common/validation.js';
import type { CommunityServices } from '../../community-services.js';
import type { CommunityAccess, CommunityAccessContext } from '../access/community-access.service.js';
import { canSeePost } from './feed-access.js';
import { FEED_TOPIC, type FeedEventPayload } from './feed-realtime.js';
import { visiblePost } from './feed-request.js';
import { CommunityFeedEvent, FeedEventKindEnum, Post } from './feed.type.js';

type SubscribeData = { args: Record<string, unknown>; context: RequestContext };

/** The last event of a stream whose viewer may no longer read the community: FORBIDDEN, then the end. */
const REVOKED = Symbol('access revoked');
type Revocable<T> = T | typeof REVOKED;
type Verdict = 'deliver' | 'hide' | 'skip' | 'revoked';

/**
 * Per-event access checks for feed subscriptions: process-wide and uncached (always the database's
 * current answer — a banned or removed member stops receiving at the next event), batched so all the
 * subscribers of one event on this instance cost one query per table.
 */
export class FeedSubscriptionGate {
  private readonly communities: DataLoader<string, unknown>;
  private readonly memberships: DataLoader<string, unknown>;
  private readonly roles: DataLoader<string, unknown>;

  constructor(private readonly access: CommunityAccess) {
    const options = { cache: false, maxBatchSize: 5_000 };
    this.communities = new DataLoader(async (ids) => {
      const rows = await access.communitiesByIds(ids);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }, options);
    this.memberships = new DataLoader(async (keys) => {
      const rows = await access.membershipsByKeys(keys);
      return keys.map((k) => rows.find((r) => `${r.communityId}|${r.userId}` === k) ?? null);
    }, options);
    this.roles = new DataLoader(async (ids) => {
      const rows = await access.customRolesByIds(ids);
      return ids.map((id) => rows.find((r) => r.id === id) ?? null);
    }, options);
  }

  async context(viewer: Viewer, communityId: string): Promise<CommunityAccessContext | null> {
    type Loaded = Parameters<CommunityAccess['evaluate']>;
    const [community, membership] = (await Promise.all([
      this.communities.load(communityId),
      this.memberships.load(`${communityId}|${viewer.userId}`),
    ])) as [Loaded[1] | null, Loaded[2]];
    if (!community) return null;
    const role = membership?.customRoleId
      ? ((await this.roles.load(membership.customRoleId)) as Loaded[3])
      : null;
    return this.access.evaluate(viewer, community, membership, role);
  }
}

/**
 * Filters `source` by `verdict`; on 'revoked' emits REVOKED once and ends. A hand-written iterator (as in
 * messaging): `return()` reaches the PubSub subscription at once, even while a `next()` waits.
 */
function gated<T>(
  source: AsyncIterable<T>,
  verdict: (payload: T) => Promise<Verdict>,
): AsyncIterableIterator<Revocable<T>> {
  const upstream = source[Symbol.asyncIterator]();
  let ended = false;
  const end = async (): Promise<IteratorResult<Revocable<T>>> => {
    if (!ended) {
      ended = true;
      await upstream.return?.();
    }
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      while (!ended) {
        const step = await upstream.next();
        if (step.done) return end();
        const decision = await verdict(step.value);
        if (decision === 'skip') continue;
        if (decision === 'revoked') {
          await end();
          return { done: false, value: REVOKED };
        }
        const value = decision === 'hide' ? ({ ...step.value, kind: 'DELETED' } as T) : step.value;
        return { done: false, value };
      }
      return { done: true, value: undefined };
    },
    return: end,
  };
}

/**
 * `communityFeedUpdated(communityId)`: built per schema because `subscribe` needs this instance's services.
 * CONTENT_READ is required on subscribe (typed errors) and checked again for every event; a subscriber
 * who may no longer read the community gets FORBIDDEN and the stream ends. Events about posts the
 * subscriber may not see are skipped — or, for a post that was visible and is no longer (moderation),
 * delivered as DELETED.
 */
export function createFeedSubscriptionResolver(bound: CommunityServices | null) {
  const services = (): CommunityServices => {
    if (!bound) throw new Error('Community services are not bound (schema built for composition only).');
    return bound;
  };
  let gate: FeedSubscriptionGate | null = null;
  const gateOf = () => (gate ??= new FeedSubscriptionGate(services().access));

  async function stream(data: SubscribeData): Promise<AsyncIterable<Revocable<FeedEventPayload>>> {
    const viewer = viewerOf(data.context);
    const communityId = assertUuid(String(data.args['communityId']), 'communityId');
    await services().access.require(viewer, communityId, 'CONTENT_READ');
    const source = services().feed.realtime.pubSub.subscribe(
      FEED_TOPIC,
      communityId,
    ) as AsyncIterable<FeedEventPayload>;
    return gated(source, async (payload) => {
      const context = await gateOf().context(viewer, communityId);
      if (!context?.canRead) return 'revoked';
      if (payload.kind === 'DELETED') return 'deliver';
      const visible = canSeePost(
        context,
        {
          authorId: payload.authorId,
          moderationState: payload.moderationState,
          publishAt: new Date(payload.publishAt),
          deletedAt: null,
        },
        services().clock.now(),
      );
      if (visible) return 'deliver';
      return payload.kind === 'UPDATED' ? 'hide' : 'skip';
    });
  }

  @Resolver()
  class FeedSubscriptionResolver {
    @Authenticated()
    @Subscription(() => CommunityFeedEvent, {
      description:
        'Posts created (scheduled ones when published), updated, deleted, pinned and unpinned in a community. CONTENT_READ on subscribe and for every event: a member who is banned or removed (private communities) gets FORBIDDEN and the stream ends.',
      subscribe: (data) => stream(data as SubscribeData),
    })
    async communityFeedUpdated(
      @Root() root: Revocable<FeedEventPayload>,
      @Arg('communityId', () => ID) _communityId: string,
      @Ctx() ctx: RequestContext,
    ): Promise<CommunityFeedEvent> {
      if (root === REVOKED)
        throw new CommunityForbiddenError(
          'You can no longer read this community.',
          'NOT_MEMBER',
          'CONTENT_READ',
        );
      const found = root.kind === 'DELETED' ? null : await visiblePost(services(), ctx, root.postId);
      return {
        kind: found ? (root.kind as FeedEventKindEnum) : FeedEventKindEnum.DELETED,
        communityId: root.communityId,
        postId: root.postId,
        post: found ? Post.from(found.post, services().clock.now()) : null,
        at: new Date(root.at),
      };
    }
  }
  return FeedSubscriptionResolver;
}
