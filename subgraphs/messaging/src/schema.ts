import 'reflect-metadata';
import {
  buildFederatedSchema,
  createMemoryPubSub,
  type BuiltSubgraphSchema,
  type RequestContext,
} from '@edugraph/kit';
import { ServicesContainer } from './common/services-resolver.js';
import { userReferenceResolver } from './external/user.external.js';
import type { MessagingServices } from './messaging-services.js';
import { ConversationResolver } from './modules/conversation/conversation.resolver.js';
import { Conversation } from './modules/conversation/conversation.type.js';
import { MessageResolver } from './modules/message/message.resolver.js';
import { Message } from './modules/message/message.type.js';
import { PresenceResolver, UserPresenceResolver } from './modules/presence/presence.resolver.js';
import { createRealtimeResolver } from './modules/realtime/realtime.resolver.js';

/**
 * The messaging subgraph schema. With services: resolvers call them and subscriptions use their PubSub.
 * Without (composition, `npm run compose`): the same SDL, resolvers unbound.
 */
export function buildMessagingSchema(
  services: MessagingServices | null = null,
): Promise<BuiltSubgraphSchema> {
  const visibleMember = async (conversationId: string, ctx: RequestContext) =>
    services && ctx.viewer
      ? ctx.loaders.get(services.loaders.membership).load(`${conversationId}|${ctx.viewer.userId}`)
      : null;
  return buildFederatedSchema({
    resolvers: [
      ConversationResolver,
      MessageResolver,
      PresenceResolver,
      UserPresenceResolver,
      createRealtimeResolver(services),
    ],
    container: new ServicesContainer(services),
    pubSub: services?.pubSub ?? createMemoryPubSub(),
    referenceResolvers: {
      User: userReferenceResolver,
      // References resolve only for members (another subgraph's field cannot leak a private conversation).
      Conversation: {
        __resolveReference: async (reference, ctx) => {
          if (!services || !(await visibleMember(reference.id, ctx))) return null;
          const conversation = await ctx.loaders.get(services.loaders.conversation).load(reference.id);
          return conversation ? Conversation.from(conversation) : null;
        },
      },
      Message: {
        __resolveReference: async (reference, ctx) => {
          if (!services) return null;
          const message = await ctx.loaders.get(services.loaders.message).load(reference.id);
          if (!message || !(await visibleMember(message.conversationId, ctx))) return null;
          return Message.from(message);
        },
      },
    },
  });
}
