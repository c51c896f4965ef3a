import type { Express } from 'express';
import type { CommunityServices } from './community-services.js';
import { eventCalendarRoutes } from './modules/events/event-calendar.routes.js';
import { commerceSellerRuleRoute } from './modules/paywall/commerce-seller-rule.js';

/**
 * HTTP routes of the community subgraph besides /graphql, mounted by `app.ts` and the test harness.
 * Modules append theirs (one line each): events' ICS feeds under `/ics/...`.
 */
export function communityHttpRoutes(services: CommunityServices): (app: Express) => void {
  const routes = [eventCalendarRoutes(services.events.calendar, services.logger)];
  // paywall: commerce's seller rule for COMMUNITY_TIER (POST /internal/commerce/seller).
  routes.push(
    commerceSellerRuleRoute({
      tiers: services.paywall.tiers,
      token: services.paywall.internalApiToken,
      logger: services.logger,
    }),
  );
  return (app) => {
    for (const mount of routes) mount(app);
  };
}
