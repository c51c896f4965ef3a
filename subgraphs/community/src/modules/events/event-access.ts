import type { CommunityAccessContext } from '../access/community-access.service.js';
import type { EventEntity } from './event.entity.js';

/** An ACTIVE member of the event's community (whatever the role). */
export function isActiveMember(context: CommunityAccessContext): boolean {
  return context.membership?.status === 'ACTIVE';
}

/** Managers and platform admins (who keep seeing everything in archived communities). */
export function canManageEvents(context: CommunityAccessContext): boolean {
  return context.has('EVENT_MANAGE') || context.platformAdmin;
}

/**
 * Whether the viewer sees the event at all: it needs the community's CONTENT_READ, and MEMBERS-only
 * events are for active members and managers only (hidden events are NOT_FOUND / null).
 */
export function canSeeEvent(
  context: CommunityAccessContext,
  event: Pick<EventEntity, 'visibility'>,
): boolean {
  if (!context.canRead) return false;
  return event.visibility === 'PUBLIC' || isActiveMember(context) || canManageEvents(context);
}

/** The meeting link, the live session id and attendee lists: for active members and managers only. */
export function canSeeEventDetails(context: CommunityAccessContext): boolean {
  return context.canRead && (isActiveMember(context) || canManageEvents(context));
}
