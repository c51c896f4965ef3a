import {
  Authenticated,
  BadUserInputError,
  ForbiddenError,
  type RequestContext,
  type Viewer,
} from '@edugraph/kit';
import { filter, pipe } from '@graphql-yoga/subscription';
import { Arg, Ctx, Field, ID, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import { viewerOf } from '../../common/services-resolver.js';
import { User } from '../../external/user.external.js';
import type { MessagingServices } from '../../messaging-services.js';
import { assertUuid } from '../conversation/conversation.service.js';
import { ConversationUnreadCount } from '../conversation/conversation.type.js';
import { Message } from '../message/message.type.js';
import { MAX_PRESENCE_IDS } from '../presence/presence.service.js';
import { Presence } from '../presence/presence.type.js';
import {
  TOPICS,
  type MessageSnapshot,
  type PresencePayload,
  type TypingPayload,
  type UnreadPayload,
} from './realtime.topics.js';

@ObjectType('TypingEvent')
export class TypingEvent {
  @Field(() => ID)
  conversationId!: string;

  @Field(() => User)
  user!: User;

  @Field(() => Boolean)
  isTyping!: boolean;

  @Field(() => Date)
  at!: Date;
}

type SubscribeData = { args: Record<string, unknown>; context: RequestContext };

/** The last event of a stream whose viewer is no longer a member: answered with FORBIDDEN, then complete. */
const REVOKED = Symbol('membership revoked');
type Revocable<T> = T | typeof REVOKED;

/**
 * Filters `source` by `verdict`; on 'revoked' emits REVOKED once and ends. A hand-written iterator, not an
 * async generator: `return()` must reach the PubSub subscription at once, even while a `next()` waits.
 */
function endWhenRevoked<T>(
  source: AsyncIterable<T>,
  verdict: (payload: T) => Promise<'deliver' | 'skip' | 'revoked'>,
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
        return { done: false, value: step.value };
      }
      return { done: true, value: undefined };
    },
    return: end,
  };
}

function unlessRevoked<T>(root: Revocable<T>): T {
  if (root === REVOKED) throw new ForbiddenError('You are no longer a member of this conversation.');
  return root;
}

/**
 * The messaging subscriptions. Built per schema because the `subscribe` functions need this instance's
 * services (type-graphql gives them no resolver instance). Membership is checked on subscribe (FORBIDDEN)
 * and again for every event (uncached, batched): a removed member's stream ends at the next event with a
 * FORBIDDEN error, so the client knows (and the gateway's shared upstream stream closes with it).
 */
export function createRealtimeResolver(bound: MessagingServices | null) {
  const services = (): MessagingServices => {
    if (!bound) throw new Error('Messaging services are not bound (schema built for composition only).');
    return bound;
  };

  async function requireMember(conversationId: string, viewer: Viewer): Promise<void> {
    if (!(await services().gate.isMember(conversationId, viewer.userId)))
      throw new ForbiddenError('You are not a member of this conversation.');
  }

  /** Events of one conversation while the viewer is a member; then one REVOKED and the end. */
  async function conversationStream<T>(
    topic: string,
    data: SubscribeData,
    keep: (payload: T, viewer: Viewer) => boolean = () => true,
  ): Promise<AsyncIterable<Revocable<T>>> {
    const viewer = viewerOf(data.context);
    const conversationId = assertUuid(String(data.args['conversationId']), 'conversationId');
    await requireMember(conversationId, viewer);
    const source = services().pubSub.subscribe(topic, conversationId) as AsyncIterable<T>;
    const gate = services().gate;
    return endWhenRevoked(source, async (payload) => {
      if (!keep(payload, viewer)) return 'skip';
      return (await gate.isMember(conversationId, viewer.userId)) ? 'deliver' : 'revoked';
    });
  }

  @Resolver()
  class RealtimeResolver {
    @Authenticated()
    @Subscription(() => Message, {
      description:
        'New messages of a conversation (members only). After a reconnect, fetch what was missed with `messagesSince`.',
      subscribe: (data) => conversationStream<MessageSnapshot>(TOPICS.messageAdded, data as SubscribeData),
    })
    messageAdded(
      @Root() snapshot: Revocable<MessageSnapshot>,
      @Arg('conversationId', () => ID) _conversationId: string,
    ): Message {
      return Message.fromSnapshot(unlessRevoked(snapshot));
    }

    @Authenticated()
    @Subscription(() => Message, {
      description: 'Edited, deleted, hidden/restored messages and reaction changes of a conversation.',
      subscribe: (data) => conversationStream<MessageSnapshot>(TOPICS.messageUpdated, data as SubscribeData),
    })
    messageUpdated(
      @Root() snapshot: Revocable<MessageSnapshot>,
      @Arg('conversationId', () => ID) _conversationId: string,
    ): Message {
      return Message.fromSnapshot(unlessRevoked(snapshot));
    }

    @Authenticated()
    @Subscription(() => TypingEvent, {
      description: 'Who is typing in a conversation (others only).',
      subscribe: (data) =>
        conversationStream<TypingPayload>(
          TOPICS.typing,
          data as SubscribeData,
          (payload, viewer) => payload.userId !== viewer.userId,
        ),
    })
    typing(
      @Root() root: Revocable<TypingPayload>,
      @Arg('conversationId', () => ID) _conversationId: string,
    ): TypingEvent {
      const payload = unlessRevoked(root);
      return {
        conversationId: payload.conversationId,
        user: { id: payload.userId },
        isTyping: payload.isTyping,
        at: new Date(payload.at),
      };
    }

    @Authenticated()
    @Subscription(() => Presence, {
      description: 'Presence changes of up to 100 users.',
      subscribe: (data) => {
        const { args, context } = data as SubscribeData;
        viewerOf(context);
        const raw = args['userIds'];
        const ids = Array.isArray(raw) ? raw.map((id) => assertUuid(String(id), 'userIds')) : [];
        if (ids.length === 0 || ids.length > MAX_PRESENCE_IDS) {
          throw new BadUserInputError(`Name 1–${MAX_PRESENCE_IDS} user ids.`, 'userIds');
        }
        const wanted = new Set(ids);
        return pipe(
          services().pubSub.subscribe(TOPICS.presence) as AsyncIterable<PresencePayload>,
          filter((payload: PresencePayload) => wanted.has(payload.userId)),
        );
      },
    })
    presenceChanged(
      @Root() payload: PresencePayload,
      @Arg('userIds', () => [ID]) _userIds: string[],
    ): Presence {
      return Presence.from(payload);
    }

    @Authenticated()
    @Subscription(() => ConversationUnreadCount, {
      description: 'The viewer’s unread count of a conversation, whenever it may have changed.',
      subscribe: (data) => {
        const viewer = viewerOf((data as SubscribeData).context);
        return pipe(
          services().pubSub.subscribe(TOPICS.unread, viewer.userId) as AsyncIterable<UnreadPayload>,
          filter(async (payload: UnreadPayload) =>
            services().gate.isMember(payload.conversationId, viewer.userId),
          ),
        );
      },
    })
    async unreadCountsChanged(
      @Root() payload: UnreadPayload,
      @Ctx() ctx: RequestContext,
    ): Promise<ConversationUnreadCount> {
      const viewer = viewerOf(ctx);
      const unreadCount = await ctx.loaders
        .get(services().loaders.unreadCount)
        .load(`${viewer.userId}|${payload.conversationId}`);
      return { conversationId: payload.conversationId, unreadCount };
    }
  }
  return RealtimeResolver;
}
