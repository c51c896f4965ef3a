import {
  Authenticated,
  ConnectionArgs,
  Roles,
  UnauthenticatedError,
  type Connection,
  type RequestContext,
} from '@edugraph/kit';
import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { auditActorOf } from '../../common/audit-actor.js';
import { User } from '../../external/user.external.js';
import { platformServices } from '../../platform-services.js';
import type { DataSubjectRequestEntity } from './data-subject-request.entity.js';
import {
  DataSubjectRequest,
  DataSubjectRequestConnection,
  DataSubjectRequestPayload,
  DataSubjectRequestsArgs,
  RequestDataSubjectRequestInput,
  SetDataSubjectRequestStatusInput,
} from './data-subject-request.type.js';

@Resolver(() => DataSubjectRequest)
export class DataSubjectRequestResolver {
  @Authenticated()
  @Mutation(() => DataSubjectRequestPayload, {
    description:
      'Asks for an export or deletion of your data (ADMIN/SUPPORT may file for another user). Due in 30 days.',
  })
  async requestDataSubjectRequest(
    @Arg('input', () => RequestDataSubjectRequestInput) input: RequestDataSubjectRequestInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ request: DataSubjectRequestEntity }> {
    if (!ctx.viewer) throw new UnauthenticatedError();
    return {
      request: await platformServices().dataSubjectRequests.request(ctx.viewer, input, auditActorOf(ctx)),
    };
  }

  @Roles('ADMIN')
  @Mutation(() => DataSubjectRequestPayload)
  async setDataSubjectRequestStatus(
    @Arg('input', () => SetDataSubjectRequestStatusInput) input: SetDataSubjectRequestStatusInput,
    @Ctx() ctx: RequestContext,
  ): Promise<{ request: DataSubjectRequestEntity }> {
    return { request: await platformServices().dataSubjectRequests.setStatus(input, auditActorOf(ctx)) };
  }

  @Roles('ADMIN', 'SUPPORT')
  @Query(() => DataSubjectRequestConnection, {
    description: 'All data subject requests, newest first. ADMIN and SUPPORT.',
  })
  async dataSubjectRequests(
    @Args(() => DataSubjectRequestsArgs) args: DataSubjectRequestsArgs,
  ): Promise<Connection<DataSubjectRequestEntity>> {
    return platformServices().dataSubjectRequests.list(
      { status: args.status ?? null, userId: args.userId ?? null },
      args,
    );
  }

  @Authenticated()
  @Query(() => DataSubjectRequestConnection, {
    description: "The viewer's own data subject requests, newest first.",
  })
  async myDataSubjectRequests(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<DataSubjectRequestEntity>> {
    if (!ctx.viewer) throw new UnauthenticatedError();
    return platformServices().dataSubjectRequests.list({ userId: ctx.viewer.userId }, args);
  }

  @FieldResolver(() => Boolean, { description: 'Still open after its due date.' })
  overdue(@Root() request: DataSubjectRequestEntity): boolean {
    return (
      (request.status === 'RECEIVED' || request.status === 'IN_PROGRESS') &&
      request.dueAt.getTime() < Date.now()
    );
  }

  @FieldResolver(() => User)
  user(@Root() request: DataSubjectRequestEntity): User {
    return { id: request.userId };
  }
}
