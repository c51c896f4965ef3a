import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  attachSubscriptionServer,
  Authenticated,
  buildFederatedSchema,
  createLogger,
  createRedisPubSub,
  createTokenVerifier,
  Public,
  remoteJwks,
  type ClosablePubSub,
  type PubSub,
  type RequestContext,
} from '@edugraph/kit';
import {
  Arg,
  Ctx,
  Directive,
  Field,
  FieldResolver,
  ID,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { TEST_AUDIENCE, TEST_INTERNAL_TOKEN, TEST_ISSUER } from './fake-identity.js';
import { startTestSubgraph, type TestSubgraph } from './test-subgraphs.js';

// ─── chat (subgraph A): Message and Subscription.messageAdded, author is a User reference ──────

@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('User')
class UserReference {
  @Field(() => ID)
  id!: string;
}

@ObjectType('Message')
class ChatMessage {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  body!: string;

  @Field(() => UserReference, { nullable: true })
  author!: UserReference | null;
}

export type PublishedMessage = { id: string; body: string; conversationId: string; authorId: string };

/** Upstream subscriptions the chat subgraph has started (the gateway's dedupe is counted here). */
export const chatStats = { subscribes: 0 };
let chatPubSub: PubSub | null = null;

@Resolver(() => ChatMessage)
class ChatResolver {
  @Public()
  @Query(() => String)
  chatVersion(): string {
    return '1';
  }

  @Authenticated()
  @Subscription(() => ChatMessage, {
    subscribe: ({ args }) => {
      chatStats.subscribes += 1;
      if (!chatPubSub) throw new Error('chat pubsub not set');
      return chatPubSub.subscribe('messageAdded', (args as { conversationId: string }).conversationId);
    },
  })
  messageAdded(
    @Root() payload: PublishedMessage,
    @Arg('conversationId', () => ID) _conversationId: string,
  ): ChatMessage {
    return { id: payload.id, body: payload.body, author: { id: payload.authorId } };
  }
}

// ─── people (subgraph B): owns User { id name viewerNote } ───────────────────────────────────────
// `name` is the same for everyone (public for 30 s, like identity's public user fields); `viewerNote`
// depends on who asks (private).

@Directive('@key(fields: "id")')
@Directive('@cacheControl(maxAge: 30, scope: PUBLIC)')
@ObjectType('User')
class User {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;
}

@Resolver(() => User)
class PeopleResolver {
  @Public()
  @Query(() => User, { nullable: true })
  person(@Arg('id', () => ID) id: string): User {
    return { id, name: `Name ${id}` };
  }

  @FieldResolver(() => String, { nullable: true })
  @Directive('@cacheControl(scope: PRIVATE)')
  viewerNote(@Root() user: User, @Ctx() ctx: RequestContext): string | null {
    return ctx.viewer ? `${ctx.viewer.userId} looks at ${user.id}` : null;
  }
}

export type ChatSubgraph = {
  name: string;
  url: string;
  wsUrl: string;
  sdl: string;
  pubSub: ClosablePubSub;
  /** Open graphql-ws sockets at the chat subgraph (the gateway's upstream connections). */
  connections: () => number;
  publish: (message: PublishedMessage) => void;
  stop: () => Promise<void>;
};

/** Subgraph A: type-graphql schema from kit, served over graphql-ws with kit's subscription server, Redis pub/sub. */
export async function startChatSubgraph(options: {
  jwksUrl: string;
  redisUrl: string;
  prefix: string;
}): Promise<ChatSubgraph> {
  const pubSub = createRedisPubSub({
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    name: 'gateway-test-chat',
    maxQueuedEvents: 10_000,
  });
  chatPubSub = pubSub;
  const built = await buildFederatedSchema({ resolvers: [ChatResolver], pubSub });
  const verifyToken = createTokenVerifier({
    issuer: TEST_ISSUER,
    audience: TEST_AUDIENCE,
    keys: remoteJwks(options.jwksUrl),
  });
  const httpServer = http.createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const server = attachSubscriptionServer({
    httpServer,
    schema: built.schema,
    verifyToken,
    logger: createLogger({ name: 'chat', level: 'silent' }),
    production: false,
    gatewayToken: TEST_INTERNAL_TOKEN,
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const port = (httpServer.address() as AddressInfo).port;
  return {
    name: 'chat',
    url: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    sdl: built.sdl,
    pubSub,
    connections: () => server.connections(),
    publish: (message) => pubSub.publish('messageAdded', message.conversationId, message),
    stop: async () => {
      await server.close();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await pubSub.close();
    },
  };
}

/** Subgraph B: owns User; `__resolveReference` fails for the id `broken` (per-event errors). */
export async function startPeopleSubgraph(jwksUrl: string): Promise<TestSubgraph> {
  const built = await buildFederatedSchema({
    resolvers: [PeopleResolver],
    referenceResolvers: {
      User: {
        __resolveReference: (reference: { id: string }) => {
          if (reference.id === 'broken') throw new Error('This person cannot be loaded.');
          return { id: reference.id, name: `Name ${reference.id}` };
        },
      },
    },
  });
  return startTestSubgraph('people', built, jwksUrl);
}
