import type { DomainEventHandler } from '@edugraph/kit';
import type { CommunityServices } from './community-services.js';
import { COMMUNITY_MEMBER_LEFT, type CommunityMemberLeftPayload } from './common/community-events.js';

/**
 * Events from other subgraphs the community subgraph consumes (consumer `community`, kit inbox:
 * each event has its effect once). Modules append entries, e.g.
 * `[ORDER_PAID]: services.paywall.onOrderPaid` — each handler runs inside the inbox transaction
 * with its `manager`.
 */
export function communityEventHandlers(services: CommunityServices): Record<string, DomainEventHandler> {
  return {
    // paywall: commerce's subscription.activated/renewed/canceled/expired → tier grants.
    ...services.paywall.eventHandlers(),
    // moderation: automatic flags on community.post.created / community.comment.created.
    ...services.moderation.eventHandlers(),
    // events: a member who left, was removed or banned gives up their places (the waitlist moves up).
    [COMMUNITY_MEMBER_LEFT]: async (event, manager) => {
      const payload = event.payload as CommunityMemberLeftPayload;
      await services.events.rsvps.releaseMember(manager, payload.communityId, payload.userId);
    },
  };
}
