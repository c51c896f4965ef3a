import type { AuditService } from './modules/audit/audit.service.js';
import type { DataSubjectRequestService } from './modules/data-subject-request/data-subject-request.service.js';
import type { FeatureFlagService } from './modules/feature-flag/feature-flag.service.js';
import type { RetentionService } from './modules/retention/retention.service.js';
import type { RuntimeConfigService } from './modules/runtime-config/runtime-config.service.js';

/** The services resolvers call. Bound once per process when the subgraph starts (or per test file). */
export type PlatformServices = {
  audit: AuditService;
  flags: FeatureFlagService;
  config: RuntimeConfigService;
  retention: RetentionService;
  dataSubjectRequests: DataSubjectRequestService;
};

let bound: PlatformServices | null = null;

export function bindPlatformServices(services: PlatformServices | null): void {
  bound = services;
}

/** The bound services; resolvers use this (type-graphql constructs resolvers without arguments). */
export function platformServices(): PlatformServices {
  if (!bound)
    throw new Error(
      'Platform services are not bound: call bindPlatformServices() when starting the subgraph.',
    );
  return bound;
}
