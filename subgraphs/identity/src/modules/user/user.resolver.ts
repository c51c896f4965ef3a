import { Arg, Args, Ctx, Directive, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import {
  Authenticated,
  ConnectionArgs,
  Public,
  Roles,
  type Connection,
  type RequestContext,
} from '@edugraph/kit';
import { identity } from '../../services.js';
import type { AuditActor } from '../audit/audit.js';
import { DisableUserInput, EnableUserInput, GrantRoleInput, RevokeRoleInput } from './dto/user.inputs.js';
import { userByIdLoader } from './user.loaders.js';
import { canSeePrivateFields } from './user.service.js';
import { toUser, User, UserConnection } from './user.type.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function actorOf(ctx: RequestContext): AuditActor {
  return { actorId: ctx.viewer?.userId ?? null, requestId: ctx.requestId, ip: ctx.ip };
}

/** Privileged actions also need the caller's session to be still active (not only a valid token). */
async function adminActor(ctx: RequestContext): Promise<AuditActor> {
  await identity().auth.requireSession(ctx.viewer);
  return actorOf(ctx);
}

@Resolver(() => User)
export class UserResolver {
  @Public()
  @Query(() => User, { nullable: true, description: 'The signed-in user; null when anonymous.' })
  @Directive('@cacheControl(maxAge: 0, scope: PRIVATE)')
  async viewer(@Ctx() ctx: RequestContext): Promise<User | null> {
    if (!ctx.viewer) return null;
    const entity = await ctx.loaders.get(userByIdLoader).load(ctx.viewer.userId);
    return entity && entity.disabledAt === null ? toUser(entity) : null;
  }

  @Authenticated()
  @Query(() => User, {
    nullable: true,
    description: 'A user by id (public fields for everyone; null if unknown).',
  })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<User | null> {
    if (!UUID.test(id)) return null;
    const entity = await ctx.loaders.get(userByIdLoader).load(id);
    return entity ? toUser(entity) : null;
  }

  @Roles('ADMIN', 'SUPPORT')
  @Query(() => UserConnection, {
    description: 'ADMIN/SUPPORT: users newest first, filtered by email or name.',
  })
  async users(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('query', () => String, { nullable: true }) query: string | null,
  ): Promise<Connection<User>> {
    const page = await identity().users.search(args, query);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toUser(e.node) })) };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Visible to the user themself and ADMIN/SUPPORT; null otherwise.',
  })
  @Directive('@cacheControl(scope: PRIVATE)')
  email(@Root() user: User, @Ctx() ctx: RequestContext): string | null {
    return user.selfView || canSeePrivateFields(ctx.viewer, user.id) ? user.entity.email : null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Visible to the user themself and ADMIN/SUPPORT.',
  })
  @Directive('@cacheControl(scope: PRIVATE)')
  emailVerified(@Root() user: User, @Ctx() ctx: RequestContext): boolean | null {
    return user.selfView || canSeePrivateFields(ctx.viewer, user.id)
      ? user.entity.emailVerifiedAt !== null
      : null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Visible to the user themself and ADMIN/SUPPORT.',
  })
  @Directive('@cacheControl(scope: PRIVATE)')
  twoFactorEnabled(@Root() user: User, @Ctx() ctx: RequestContext): boolean | null {
    return user.selfView || canSeePrivateFields(ctx.viewer, user.id)
      ? user.entity.totpEnabledAt !== null
      : null;
  }

  @FieldResolver(() => Boolean, {
    nullable: true,
    description: 'Visible to the user themself and ADMIN/SUPPORT.',
  })
  @Directive('@cacheControl(scope: PRIVATE)')
  disabled(@Root() user: User, @Ctx() ctx: RequestContext): boolean | null {
    return user.selfView || canSeePrivateFields(ctx.viewer, user.id) ? user.entity.disabledAt !== null : null;
  }

  @Roles('ADMIN')
  @Mutation(() => User, { description: 'ADMIN: grants a platform role (audited).' })
  async grantRole(
    @Arg('input', () => GrantRoleInput) input: GrantRoleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<User> {
    return toUser(await identity().users.grantRole(await adminActor(ctx), input.userId, input.role));
  }

  @Roles('ADMIN')
  @Mutation(() => User, { description: 'ADMIN: revokes a platform role (audited).' })
  async revokeRole(
    @Arg('input', () => RevokeRoleInput) input: RevokeRoleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<User> {
    return toUser(await identity().users.revokeRole(await adminActor(ctx), input.userId, input.role));
  }

  @Roles('ADMIN')
  @Mutation(() => User, { description: 'ADMIN: disables a user and ends their sessions (audited).' })
  async disableUser(
    @Arg('input', () => DisableUserInput) input: DisableUserInput,
    @Ctx() ctx: RequestContext,
  ): Promise<User> {
    return toUser(
      (await identity().users.disable(await adminActor(ctx), input.userId, input.reason ?? null)).user,
    );
  }

  @Roles('ADMIN')
  @Mutation(() => User, { description: 'ADMIN: enables a disabled user (audited).' })
  async enableUser(
    @Arg('input', () => EnableUserInput) input: EnableUserInput,
    @Ctx() ctx: RequestContext,
  ): Promise<User> {
    return toUser(await identity().users.enable(await adminActor(ctx), input.userId));
  }
}
