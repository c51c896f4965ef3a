import type { DomainEventHandler } from '@edugraph/kit';
import type { CommunityServices } from './community-services.js';

/**
 * Events from other subgraphs the community subgraph consumes (consumer `community`, kit inbox:
 * each event has its effect once). Modules append entries, e.g.
 * `[ORDER_PAID]: services.paywall.onOrderPaid` — each handler runs inside the inbox transaction
 * with its `manager`.
 */
export function communityEventHandlers(services: CommunityServices): Record<string, DomainEventHandler> {
  void services;
  return {};
}
