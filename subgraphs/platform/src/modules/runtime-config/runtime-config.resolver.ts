import { Authenticated, NotFoundError, Public, Roles, type RequestContext } from '@edugraph/kit';
import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { auditActorOf } from '../../common/audit-actor.js';
import { platformServices } from '../../platform-services.js';
import { readableExposures } from './config-value.js';
import type { ConfigEntryView } from './runtime-config.service.js';
import { ConfigEntry, SetConfigEntryInput, SetConfigEntryPayload } from './runtime-config.type.js';

function exposuresFor(ctx: RequestContext) {
  return readableExposures({ signedIn: ctx.viewer !== null, roles: ctx.viewer?.roles ?? [] });
}

@Resolver(() => ConfigEntry)
export class RuntimeConfigResolver {
  @Public()
  @Query(() => [ConfigEntry], { description: 'PUBLIC config entries; readable anonymously.' })
  async publicConfig(): Promise<ConfigEntryView[]> {
    return platformServices().config.list(['PUBLIC']);
  }

  @Authenticated()
  @Query(() => [ConfigEntry], {
    description:
      'Config the viewer may read: PUBLIC and AUTHENTICATED; OPS for ADMIN and SUPPORT; SECRET entries for ADMIN with the value redacted.',
  })
  async runtimeConfig(@Ctx() ctx: RequestContext): Promise<ConfigEntryView[]> {
    return platformServices().config.list(exposuresFor(ctx));
  }

  @Authenticated()
  @Query(() => ConfigEntry, { description: 'One entry by key, under the same visibility as runtimeConfig.' })
  async configEntry(
    @Arg('key', () => String) key: string,
    @Ctx() ctx: RequestContext,
  ): Promise<ConfigEntryView> {
    const entry = await platformServices().config.getVisible(key, exposuresFor(ctx));
    if (!entry) throw new NotFoundError(`The config entry "${key}"`);
    return entry;
  }

  @Roles('ADMIN')
  @Mutation(() => SetConfigEntryPayload, {
    description: 'Creates or replaces an entry; the value is validated against its type. Audited.',
  })
  async setConfigEntry(
    @Arg('input', () => SetConfigEntryInput) input: SetConfigEntryInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ entry: ConfigEntryView }> {
    return { entry: await platformServices().config.set(input, auditActorOf(ctx)) };
  }
}
