import { ConnectionArgs, Roles, type Connection } from '@edugraph/kit';
import { Arg, Args, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { User } from '../../external/user.external.js';
import { platformServices } from '../../platform-services.js';
import type { AuditEventEntity } from './audit-event.entity.js';
import { AuditEvent, AuditEventConnection, AuditEventFilter } from './audit-event.type.js';

@Resolver(() => AuditEvent)
export class AuditResolver {
  /** ADMIN and SUPPORT may search the audit log (read-only for both; nobody can change it). */
  @Roles('ADMIN', 'SUPPORT')
  @Query(() => AuditEventConnection, { description: 'Audit log, newest first. ADMIN and SUPPORT.' })
  async auditEvents(
    @Arg('filter', () => AuditEventFilter, { nullable: true }) filter: AuditEventFilter | null,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
  ): Promise<Connection<AuditEventEntity>> {
    return platformServices().audit.list(filter ?? {}, page);
  }

  @FieldResolver(() => User, { nullable: true })
  actor(@Root() event: AuditEventEntity): User | null {
    return event.actorId ? { id: event.actorId } : null;
  }
}
