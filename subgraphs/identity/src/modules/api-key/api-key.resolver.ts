import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Authenticated, ConnectionArgs, type Connection, type RequestContext } from '@edugraph/kit';
import { identity } from '../../services.js';
import { actorOf } from '../user/user.resolver.js';
import { CreateApiKeyInput, RevokeApiKeyInput } from './dto/api-key.inputs.js';
import { ApiKey, ApiKeyConnection, CreateApiKeyPayload, toApiKey } from './api-key.type.js';

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Authenticated()
  @Query(() => ApiKeyConnection, {
    description: "The viewer's API keys, newest first (at most 50 per page).",
  })
  async apiKeys(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<ApiKey>> {
    const session = await identity().auth.requireSession(ctx.viewer);
    const page = await identity().apiKeys.list(session.userId, args);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toApiKey(e.node) })) };
  }

  @Authenticated()
  @Mutation(() => CreateApiKeyPayload, {
    description: 'Creates an API key; the plaintext key is returned only here.',
  })
  async createApiKey(
    @Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<CreateApiKeyPayload> {
    const session = await identity().auth.requireSession(ctx.viewer);
    const { key, plaintext } = await identity().apiKeys.create(actorOf(ctx), session.userId, {
      name: input.name,
      scopes: input.scopes,
    });
    return Object.assign(new CreateApiKeyPayload(), { apiKey: toApiKey(key), plaintextKey: plaintext });
  }

  @Authenticated()
  @Mutation(() => ApiKey, { description: 'Revokes one of your API keys (ADMIN: any key).' })
  async revokeApiKey(
    @Arg('input', () => RevokeApiKeyInput) input: RevokeApiKeyInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ApiKey> {
    const session = await identity().auth.requireSession(ctx.viewer);
    const isAdmin = ctx.viewer?.roles.includes('ADMIN') ?? false;
    return toApiKey(await identity().apiKeys.revoke(actorOf(ctx), session.userId, isAdmin, input.apiKeyId));
  }
}
